using Lfr.Vision;
using Lfr.Vision.Evaluation;
using Lfr.Vision.Imaging;
using Lfr.Vision.Photos;
using Lfr.Vision.Watchlists;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr watchlist build --from DIR_OR_CSV --out FILE [--category C]</c>: enrols file images into a signed
/// watchlist file. Each photo must show exactly one good face; others are rejected with the reason.
/// From a folder, each image's file name (without extension) is its entry id, and the images in a sub-folder are
/// one person's (the sub-folder's name is the id); from a manifest CSV, the identity. A person's several images
/// are fused into one entry (the mean of their embeddings); an image below the quality floor is refused with the
/// reason and the person's other images still count.
/// </summary>
public static class WatchlistCommand
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    public static int Run(CliArgs args)
    {
        if (args.Positional.Count == 0 || args.Positional[0] != "build")
            throw new CliException("usage: lfr watchlist build --from DIR_OR_CSV --out FILE [--category court-warrant|wanted|sex-offender]");
        var from = args.Required("from");
        var output = args.Required("out");
        var category = ParseCategory(args.Option("category") ?? "court-warrant");
        var quiet = args.Flag("quiet");
        args.RejectUnknown();

        var sources = ReadSources(from);
        if (sources.Count == 0) throw new CliException($"{from}: no images found");

        var keyResolution = CliSigningKey.ForWriting();
        if (keyResolution.Created)
            Console.Error.WriteLine($"lfr: created a new watchlist signing key at {keyResolution.Origin} (keep it; identify needs it)");

        using var engine = FaceEngine.Load(new FaceEngineOptions());
        using var progress = new ProgressBar("enrolling", sources.Count, enabled: !quiet);
        var faces = SubjectFace.FromMany(engine, sources.Select(s => s.Path).ToList(), SubjectRule.SingleGoodFace,
            Environment.ProcessorCount, progress);
        progress.Dispose();

        var fileImages = FileImages(sources, faces);
        var entries = new List<WatchlistEntry>();
        var rejected = 0;
        for (var i = 0; i < sources.Count; i++)
        {
            if (faces[i].Ok) continue;
            rejected++;
            Console.Error.WriteLine($"rejected {sources[i].Path}: {faces[i].Error}");
        }
        // A person's several file images make one entry whose template is the mean of their embeddings: on lfw-dev
        // with 2-3 photos per person TPIR at 0.6 rose from 0.60 (one photo) to 0.86, against 0.81 for best-of-n
        // (docs/benchmarks.md). The entry carries every good image (up to 8), best first: the officer's handset shows them all.
        foreach (var person in Enumerable.Range(0, sources.Count).Where(i => faces[i].Ok).GroupBy(i => sources[i].Id, StringComparer.Ordinal))
        {
            var good = person.ToList();
            var template = OpenSetIdentification.Fuse(good.Select(i => (person.Key, faces[i].Embedding!)).ToList(), GalleryFusion.Mean)[0].Embedding;
            var order = FileImageOrder.BestFirst(template, good.Select(i => faces[i].Embedding!).ToList()).Select(k => good[k]).ToList();
            var first = order[0];
            entries.Add(new WatchlistEntry(new WatchlistEntryId(person.Key), category, template)
            {
                Source = Path.GetFileName(sources[first].Path) + (good.Count > 1 ? $" and {good.Count - 1} more" : ""),
                RecordedOn = File.GetLastWriteTimeUtc(sources[first].Path).ToString("yyyy-MM-dd"),
                FileImage = fileImages[first],
                MoreFileImages = [.. order.Skip(1).Where(i => fileImages[i].Length > 0).Take(WatchlistEntry.MaxFileImages - 1).Select(i => (ReadOnlyMemory<byte>)fileImages[i])],
            });
        }
        if (entries.Count == 0) throw new CliException("no photo could be enrolled; nothing written");
        WatchlistFile.Write(output, entries, engine.EmbeddingModelSha256, DateTimeOffset.UtcNow, keyResolution.Key);
        Console.Error.WriteLine($"wrote {output}: {entries.Count} entries enrolled, {rejected} rejected ({sources.Count - rejected} images enrolled)");
        return rejected == 0 ? 0 : 1;
    }

    /// <summary>
    /// Each enrolled photo as the file image the control room shows officers: a JPEG under 64 KB (shrunk when it must
    /// be), so a watchlist of 17,000 entries stays near a gigabyte at most.
    /// </summary>
    private static byte[][] FileImages(List<(string Path, string Id)> sources, SubjectFace[] faces)
    {
        var images = new byte[sources.Count][];
        Parallel.For(0, sources.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (!faces[i].Ok) return;
            using var decoded = SafeImageDecoder.DecodeFile(sources[i].Path);
            images[i] = decoded.IsSuccess ? JpegEncoder.EncodeUnder(decoded.Image, WatchlistEntry.MaxFileImageBytes) : [];
        });
        return images;
    }

    public static WatchlistCategory ParseCategory(string text) => text.ToLowerInvariant() switch
    {
        "court-warrant" or "warrant" => WatchlistCategory.CourtWarrant,
        "wanted" or "wanted-with-power-of-arrest" => WatchlistCategory.WantedWithPowerOfArrest,
        "sex-offender" or "sex-offender-with-conditions" => WatchlistCategory.SexOffenderWithConditions,
        _ => throw new CliException($"unknown category '{text}': use court-warrant, wanted or sex-offender"),
    };

    private static List<(string Path, string Id)> ReadSources(string from)
    {
        if (Directory.Exists(from))
        {
            var top = Path.GetFullPath(from).TrimEnd(Path.DirectorySeparatorChar);
            return Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, Path.GetDirectoryName(Path.GetFullPath(f)) == top
                    ? Path.GetFileNameWithoutExtension(f)
                    : Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(f))!)))
                .ToList();
        }
        if (File.Exists(from))
            return Manifest.Read(from).Where(r => r.Identity.Length > 0).Select(r => (r.Path, r.Identity)).ToList();
        throw new CliException($"{from}: no such folder or manifest");
    }
}
