using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lfr.Vision.Models;

/// <summary>The order of the colour planes a model takes.</summary>
public enum ColourOrder
{
    Bgr,
    Rgb,
}

/// <summary>
/// How the embedder wants its input and gives its output: the aligned face resized to <see cref="InputSize"/> square,
/// planes in <see cref="Colour"/> order, each value (v − <see cref="Mean"/>) / <see cref="Std"/>; the output a vector
/// of <see cref="EmbeddingSize"/>. The defaults are fr_feature's.
/// </summary>
public sealed record EmbedderInput
{
    public int InputSize { get; init; } = 112;
    public ColourOrder Colour { get; init; } = ColourOrder.Bgr;
    public float Mean { get; init; } = 127;
    public float Std { get; init; } = 128;
    public int EmbeddingSize { get; init; } = 512;
    public string InputName { get; init; } = "input";
    public string OutputName { get; init; } = "output";
}

/// <summary>One model of a set: its file (relative to the set's file) and the SHA-256 it must have.</summary>
public sealed record ModelSetEntry(string Path, string Sha256);

/// <summary>
/// A force's own models (<c>LFR_MODEL_SET</c> names a JSON file): any of detector, landmarks, embedder, liveness, each
/// with its path and SHA-256, the embedder's input settings, and the calibration fitted for that embedder
/// (<c>lfr eval --calibrate</c>). A model the file does not name is the built-in faceplugin one. Every file is verified
/// against its SHA-256 before it is loaded, as the built-in ones are.
/// </summary>
public sealed record ModelSet
{
    public const string Variable = "LFR_MODEL_SET";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public ModelSetEntry? Detector { get; init; }
    public ModelSetEntry? Landmarks { get; init; }
    public ModelSetEntry? Embedder { get; init; }
    public ModelSetEntry? Liveness { get; init; }
    public EmbedderInput EmbedderInput { get; init; } = new();

    /// <summary>The calibration fitted for this set's embedder (a path relative to the set's file).</summary>
    public string? Calibration { get; init; }

    /// <summary>The folder the set's file is in; relative paths are resolved against it.</summary>
    [JsonIgnore]
    public string Folder { get; init; } = ".";

    /// <summary>The set <c>LFR_MODEL_SET</c> names, or null for the built-in models.</summary>
    public static ModelSet? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? Load(path) : null;

    public static ModelSet Load(string path)
    {
        ModelSet? set;
        try
        {
            using var stream = File.OpenRead(path);
            set = JsonSerializer.Deserialize<ModelSet>(stream, Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ModelException($"model set {path}: {e.Message}");
        }
        if (set is null) throw new ModelException($"model set {path} is empty");
        set = set with { Folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))! };
        foreach (var (name, entry) in set.Entries())
            if (entry.Sha256 is not { Length: 64 } || !entry.Sha256.All(char.IsAsciiHexDigit))
                throw new ModelException($"model set {path}: {name} needs its sha256 (64 hex digits)");
        var input = set.EmbedderInput;
        if (input.InputSize is < 16 or > 1024 || !(input.Std > 0))
            throw new ModelException($"model set {path}: the embedder's inputSize must be 16..1024 and std above 0");
        return set;
    }

    /// <summary>The models this set names, by the built-in model's name (fr_detect, fr_landmark, fr_feature, fr_liveness).</summary>
    public IEnumerable<(string Name, ModelSetEntry Entry)> Entries()
    {
        if (Detector is not null) yield return (ModelFiles.Detector, Detector);
        if (Landmarks is not null) yield return (ModelFiles.Landmarks, Landmarks);
        if (Embedder is not null) yield return (ModelFiles.Embedder, Embedder);
        if (Liveness is not null) yield return (ModelFiles.Liveness, Liveness);
    }

    public string Resolve(string path) => System.IO.Path.GetFullPath(path, Folder);
}
