using Lfr.Vision;
using Lfr.Vision.Imaging;
using Lfr.Vision.Photos;
using Lfr.Vision.Watchlists;
using OpenCvSharp;

namespace Lfr.Host.Demo;

/// <summary>
/// Someone on the demo watchlist: the file image the control room keeps, other photos of them that walk past, and the
/// file image's embedding as the control room enrols it (exactly one good face).
/// </summary>
public sealed record DemoSuspect(WatchlistEntryId Id, WatchlistCategory Category, string FileImage, IReadOnlyList<string> Walks, float[] Embedding);

/// <summary>Someone who is on no watchlist and walks past the cameras: nothing of them may stay anywhere.</summary>
public sealed record DemoPasserBy(string Label, IReadOnlyList<string> Walks);

/// <summary>
/// Who is on the demo's watchlist and who walks past its cameras, from real face photos: LFW's evaluation photos
/// (<c>../shared/data/lfw-dev</c> beside the checkout) when present, where the file image and the walker are different
/// photos of one person; otherwise faces cut from the group photos the build fetched (<c>samples/</c> next to lfr).
/// The choice is deterministic, so a second run (and a test) meets the same people.
/// </summary>
public sealed class DemoCast : IDisposable
{
    public const int PerCategory = 2;
    public const int PassersByWanted = 6;

    // a walker the model recognises with a margin over the threshold's cosine, so that some capture of the passage alerts
    private const float RecognisedMargin = 0.05f;

    // a passer-by must be far from everyone on the watchlist: the demo shows the pipeline, not the model's errors
    private const float StrangerCosine = 0.3f;

    private static readonly (WatchlistCategory Category, string Label, string Reason, string Source)[] Categories =
    [
        (WatchlistCategory.CourtWarrant, "court warrant", "Failed to appear: theft (warrant not backed for bail)", "Bromley Magistrates' Court"),
        (WatchlistCategory.WantedWithPowerOfArrest, "wanted", "Wanted: robbery, Catford Broadway", "Lewisham CID"),
        (WatchlistCategory.SexOffenderWithConditions, "sex-offender conditions", "Breach of SHPO: not to enter Lewisham town centre", "Public protection unit"),
    ];

    private readonly string _scratch;

    private DemoCast(string source, IReadOnlyList<DemoSuspect> watchlist, IReadOnlyList<DemoPasserBy> passersBy, string scratch)
    {
        Source = source;
        Watchlist = watchlist;
        PassersBy = passersBy;
        _scratch = scratch;
    }

    /// <summary>Where the photos came from, for the banner.</summary>
    public string Source { get; }

    public IReadOnlyList<DemoSuspect> Watchlist { get; }

    public IReadOnlyList<DemoPasserBy> PassersBy { get; }

    /// <summary>The reason and image source the demo's watchlist manager records for an entry of this category.</summary>
    public static (string Reason, string Source) Record(WatchlistCategory category)
    {
        var c = Categories.Single(c => c.Category == category);
        return (c.Reason, c.Source);
    }

    /// <summary>The category as the terminal shows it.</summary>
    public static string Label(WatchlistCategory category) => Categories.Single(c => c.Category == category).Label;

    /// <summary>LFW's photos beside the checkout that lfr runs from, or null.</summary>
    public static string? FindLfw()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Lfr.sln"))) continue;
            var lfw = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "lfw-dev"));
            return File.Exists(Path.Combine(lfw, "gallery.csv")) && File.Exists(Path.Combine(lfw, "probes.csv")) ? lfw : null;
        }
        return null;
    }

    /// <param name="cosineAtThreshold">The cosine that the alert threshold's likelihood stands for.</param>
    /// <param name="lfw">An LFW folder with <c>gallery.csv</c> and <c>probes.csv</c>; null: the sample group photos.</param>
    public static DemoCast Choose(FaceEngine engine, float cosineAtThreshold, string? lfw)
    {
        // the walkers' photos, cut around their subject, live here until the cast is disposed
        var scratch = Directory.CreateTempSubdirectory("lfr-demo-cast-").FullName;
        try
        {
            return lfw is null ? FromSamples(engine, cosineAtThreshold, scratch) : FromLfw(engine, cosineAtThreshold, lfw, scratch);
        }
        catch
        {
            // a cast found too small has already deleted it
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Enrolled: a gallery photo as the file image, the person's probe photos walking. Passers-by: people not in the
    /// gallery. A news photo often shows someone else at its edge, cut in half, whom no detector finds: the walkers
    /// are cut around their subject so that the scene shows only the people it is about.
    /// </summary>
    private static DemoCast FromLfw(FaceEngine engine, float cosineAtThreshold, string lfw, string scratch)
    {
        var gallery = Rows(lfw, "gallery.csv").GroupBy(r => r.Identity).ToDictionary(g => g.Key, g => g.First().Path);
        var probes = Rows(lfw, "probes.csv").GroupBy(r => r.Identity).Where(g => g.Count() >= 2)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();

        var suspects = new List<DemoSuspect>();
        foreach (var person in probes.Where(p => gallery.ContainsKey(p.Key)))
        {
            if (suspects.Count == Categories.Length * PerCategory) break;
            // enrolled as the control room will enrol it: a file image with one good face, or not at all
            if (Embed(engine, gallery[person.Key], SubjectRule.SingleGoodFace) is not { } enrolment) continue;
            if (Walks(engine, person.Take(3).Select(r => r.Path), scratch) is not { } walks) continue;
            if (walks.Max(p => Cosine(Embed(engine, p), enrolment)) < cosineAtThreshold + RecognisedMargin) continue;
            var category = Categories[suspects.Count / PerCategory].Category;
            suspects.Add(new DemoSuspect(new WatchlistEntryId(person.Key), category, gallery[person.Key], walks, enrolment));
        }

        var passersBy = new List<DemoPasserBy>();
        foreach (var person in probes.Where(p => !gallery.ContainsKey(p.Key)))
        {
            if (passersBy.Count == PassersByWanted) break;
            if (Walks(engine, person.Take(3).Select(r => r.Path), scratch) is not { } walks) continue;
            if (walks.Any(p => Embed(engine, p) is not { } e || suspects.Any(s => Cosine(e, s.Embedding) >= StrangerCosine))) continue;
            passersBy.Add(new DemoPasserBy(person.Key, walks));
        }
        return Checked(new DemoCast($"LFW photos in {lfw}", suspects, passersBy, scratch));
    }

    /// <summary>Each photo cut around its subject (the face nearest its centre) into the scratch folder; null if one has no face.</summary>
    private static List<string>? Walks(FaceEngine engine, IEnumerable<string> photos, string scratch)
    {
        var walks = new List<string>();
        foreach (var photo in photos)
        {
            using var decoded = SafeImageDecoder.DecodeFile(photo);
            if (!decoded.IsSuccess) return null;
            var subject = SubjectFace.From(engine, decoded.Image!, photo, SubjectRule.CentreMost);
            if (subject.Face is not { } face) return null;
            walks.Add(SaveCrop(decoded.Image!, face.Box, 1.6f, Path.Combine(scratch, Path.GetFileName(photo))));
        }
        return walks;
    }

    /// <summary>
    /// Faces cut from the group photos, each saved as two crops (a tight and a loose one) in the scratch folder: the
    /// first faces enrolled, the rest passers-by.
    /// </summary>
    private static DemoCast FromSamples(FaceEngine engine, float cosineAtThreshold, string scratch)
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples");
        var photos = Directory.Exists(samples) ? Directory.GetFiles(samples, "*.jpg").Order(StringComparer.Ordinal).ToList() : [];
        if (photos.Count == 0)
            throw new DemoException($"no demo photos: neither ../shared/data/lfw-dev beside the checkout nor {samples} (the build fetches it)");

        var suspects = new List<DemoSuspect>();
        var passersBy = new List<DemoPasserBy>();
        foreach (var photo in photos)
        {
            using var decoded = SafeImageDecoder.DecodeFile(photo);
            if (!decoded.IsSuccess) continue;
            var image = decoded.Image!;
            var (faces, _) = engine.Embed(image, engine.Detect(image), applyQualityGate: true);
            foreach (var face in faces)
            {
                var label = $"{Path.GetFileNameWithoutExtension(photo)}-face-{(int)face.Face.Box.X}";
                var walks = new[] { 1.5f, 1.9f }.Select(margin => SaveCrop(image, face.Face.Box, margin, Path.Combine(scratch, $"{label}-{margin:0.0}.jpg"))).ToList();
                if (suspects.Count < Categories.Length * PerCategory)
                {
                    if (Embed(engine, walks[0], SubjectRule.SingleGoodFace) is not { } enrolment
                        || walks.Max(p => Cosine(Embed(engine, p), enrolment)) < cosineAtThreshold + RecognisedMargin) continue;
                    suspects.Add(new DemoSuspect(new WatchlistEntryId(label), Categories[suspects.Count / PerCategory].Category, walks[0], walks,
                        enrolment));
                }
                else if (passersBy.Count < PassersByWanted && suspects.All(s => Cosine(face.Embedding, s.Embedding) < StrangerCosine))
                {
                    passersBy.Add(new DemoPasserBy(label, walks));
                }
            }
        }
        return Checked(new DemoCast($"faces cut from the sample photos in {samples}", suspects, passersBy, scratch));
    }

    private static DemoCast Checked(DemoCast cast)
    {
        if (cast.Watchlist.Count == 0 || cast.PassersBy.Count == 0)
        {
            cast.Dispose();
            throw new DemoException($"{cast.Source}: too few usable faces for a demo ({cast.Watchlist.Count} to enrol, {cast.PassersBy.Count} passers-by)");
        }
        return cast;
    }

    private static string SaveCrop(Mat image, Lfr.Vision.Detection.FaceBox box, float margin, string path)
    {
        var side = (int)(Math.Max(box.Width, box.Height) * margin);
        var centre = new Point((int)(box.X + box.Width / 2), (int)(box.Y + box.Height / 2));
        var square = new Rect(centre.X - side / 2, centre.Y - side / 2, side, side).Intersect(new Rect(0, 0, image.Width, image.Height));
        using var crop = new Mat(image, square);
        File.WriteAllBytes(path, JpegEncoder.EncodeUnder(crop, 256 * 1024));
        return path;
    }

    private static float[]? Embed(FaceEngine engine, string path, SubjectRule rule = SubjectRule.CentreMost) => SubjectFace.From(engine, path, rule).Embedding;

    private static float Cosine(float[]? a, float[] b) => a is null ? -1f : System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    private static IEnumerable<(string Path, string Identity)> Rows(string folder, string manifest) =>
        File.ReadLines(Path.Combine(folder, manifest)).Skip(1).Select(line => line.Split(','))
            .Where(cols => cols.Length >= 2 && cols[1].Length > 0)
            .Select(cols => (Path.Combine(folder, cols[0]), cols[1]));

    public void Dispose()
    {
        if (Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true);
    }
}

/// <summary>The demo cannot be set up (no photos, a control room that refuses); the message says why.</summary>
public sealed class DemoException(string message) : Exception(message);
