using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lfr.Vision.Models;

/// <summary>One model of a set: its file (relative to the set's file) and the SHA-256 it must have.</summary>
public sealed record ModelSetEntry(string Path, string Sha256);

/// <summary>
/// A force's own models (<c>LFR_MODEL_SET</c> names a JSON file): any of detector, landmarks, embedder, liveness, each
/// with its path and SHA-256, the detector's, landmark model's and embedder's input settings (size, colour order,
/// mean/std, the embedding size), and the calibration fitted for that embedder
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
    public DetectorInput DetectorInput { get; init; } = new();
    public LandmarksInput LandmarksInput { get; init; } = new();
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
        if (set.Problem() is { } problem)
            throw new ModelException($"model set {path}: {problem}");
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

    /// <summary>What is wrong with the input settings, or null; checked before any model is loaded.</summary>
    private string? Problem()
    {
        var (detector, landmarks, embedder) = (DetectorInput, LandmarksInput, EmbedderInput);
        if (detector.Width is < 32 or > 4096 || detector.Height is < 32 or > 4096)
            return "the detector's width and height must be 32..4096";
        if (detector.Colour == ColourOrder.Grey || embedder.Colour == ColourOrder.Grey)
            return "the detector and the embedder take colour (bgr or rgb), not grey";
        if (landmarks.InputSize is < 16 or > 1024)
            return "the landmark model's inputSize must be 16..1024";
        if (embedder.InputSize is < 16 or > 1024)
            return "the embedder's inputSize must be 16..1024";
        if (embedder.EmbeddingSize is < Watchlists.WatchlistEntry.MinEmbeddingLength or > Watchlists.WatchlistEntry.MaxEmbeddingLength)
            return $"the embedder's embeddingSize must be {Watchlists.WatchlistEntry.MinEmbeddingLength}..{Watchlists.WatchlistEntry.MaxEmbeddingLength}";
        if (!(detector.Std > 0) || !(landmarks.Std > 0) || !(embedder.Std > 0))
            return "every std must be above 0";
        return null;
    }

    public string Resolve(string path) => System.IO.Path.GetFullPath(path, Folder);
}
