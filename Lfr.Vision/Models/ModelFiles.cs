using System.Reflection;
using System.Security.Cryptography;

namespace Lfr.Vision.Models;

/// <summary>One verified model file: where it is and the SHA-256 it was checked against; <paramref name="BuiltIn"/> when it is the build's own.</summary>
public sealed record ModelFile(string Name, string Path, string Sha256, bool BuiltIn = true);

/// <summary>
/// Finds the face models and verifies each against the SHA-256 sums committed in <c>build/models.sha256</c>
/// (embedded in this assembly). Search order: <c>LFR_MODELS</c>, then <c>models/</c> next to the application.
/// Nothing is ever downloaded at run time: the build fetched them.
/// </summary>
public sealed class ModelFiles
{
    public const string Detector = "fr_detect";
    public const string Landmarks = "fr_landmark";
    public const string Embedder = "fr_feature";
    public const string Liveness = "fr_liveness";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> ExpectedSums = new(ReadEmbeddedSums);
    private readonly Dictionary<string, ModelFile> _files;

    private ModelFiles(Dictionary<string, ModelFile> files, string folder, ModelSet? set)
    {
        _files = files;
        Folder = folder;
        Set = set;
    }

    public string Folder { get; }

    /// <summary>The force's own model set the models came from (<see cref="ModelSet.Variable"/>), or null for the built-in ones.</summary>
    public ModelSet? Set { get; }

    /// <summary>The detector's input and output settings (fr_detect's unless the model set says otherwise).</summary>
    public DetectorInput DetectorInput => Set?.DetectorInput ?? new DetectorInput();

    /// <summary>The landmark model's input and output settings.</summary>
    public LandmarksInput LandmarksInput => Set?.LandmarksInput ?? new LandmarksInput();

    /// <summary>The embedder's input and output settings.</summary>
    public EmbedderInput EmbedderInput => Set?.EmbedderInput ?? new EmbedderInput();

    public IEnumerable<ModelFile> All => _files.Values;

    public ModelFile this[string name] => _files[name];

    /// <summary>The SHA-256 of each model this build expects, by model name.</summary>
    public static IReadOnlyDictionary<string, string> Expected => ExpectedSums.Value;

    /// <summary>
    /// Locates and verifies all models: those of the model set <c>LFR_MODEL_SET</c> names (or <paramref name="set"/>)
    /// against its SHA-256 sums, the others against the build's; throws <see cref="ModelException"/> with what to do
    /// when one is missing or wrong.
    /// </summary>
    public static ModelFiles Locate(string? folder = null, ModelSet? set = null)
    {
        set ??= ModelSet.FromEnvironment();
        folder ??= Environment.GetEnvironmentVariable("LFR_MODELS") is { Length: > 0 } env
            ? env
            : System.IO.Path.Combine(AppContext.BaseDirectory, "models");
        var files = new Dictionary<string, ModelFile>();
        foreach (var (name, sum) in Expected)
        {
            if (set?.Entries().FirstOrDefault(e => e.Name == name).Entry is { } own)
            {
                var ownPath = set.Resolve(own.Path);
                if (!File.Exists(ownPath))
                    throw new ModelException($"model {ownPath} (the model set's {name}) not found.");
                var ownSum = Sha256Of(ownPath);
                if (!string.Equals(ownSum, own.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new ModelException($"model {ownPath} has SHA-256 {ownSum}, but the model set says {own.Sha256.ToLowerInvariant()}: refusing to load it.");
                files[name] = new ModelFile(name, ownPath, ownSum, BuiltIn: false);
                continue;
            }
            var path = System.IO.Path.Combine(folder, name + ".onnx");
            if (!File.Exists(path))
                throw new ModelException($"model {name}.onnx not found in {folder}. Build the project (dotnet build fetches and verifies the models) or set LFR_MODELS to a folder holding them.");
            var actual = Sha256Of(path);
            if (!string.Equals(actual, sum, StringComparison.OrdinalIgnoreCase))
                throw new ModelException($"model {path} has SHA-256 {actual}, expected {sum}: refusing to load it. Rebuild to fetch a verified copy.");
            files[name] = new ModelFile(name, path, sum);
        }
        return new ModelFiles(files, folder, set);
    }

    internal static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static IReadOnlyDictionary<string, string> ReadEmbeddedSums()
    {
        using var stream = typeof(ModelFiles).Assembly.GetManifestResourceStream("Lfr.Vision.models.sha256")
            ?? throw new ModelException("the model checksum list is missing from Lfr.Vision");
        using var reader = new StreamReader(stream);
        var sums = new Dictionary<string, string>();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2)
                sums[System.IO.Path.GetFileNameWithoutExtension(parts[1])] = parts[0];
        }
        return sums;
    }
}

public sealed class ModelException(string message) : Exception(message);
