using Lfr.Vision;
using Lfr.Vision.Evaluation;
using Lfr.Vision.Imaging;
using Lfr.Vision.Photos;
using Lfr.Vision.Watchlists;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr watchlist build --from DIR_OR_CSV --out FILE [--category C]</c>: enrols file images into a signed
/// watchlist file. Each photo must show exactly one good face; others are rejected with the reason.
/// From a folder, each image's file name (without extension) is its entry id; from a manifest CSV, the identity.
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
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var rejected = 0;
        for (var i = 0; i < sources.Count; i++)
        {
            if (faces[i].Ok)
            {
                // A person with several file images gets one entry per image: id, id#2, id#3...
                var n = used[sources[i].Id] = used.GetValueOrDefault(sources[i].Id) + 1;
                var id = n == 1 ? sources[i].Id : $"{sources[i].Id}#{n}";
                entries.Add(new WatchlistEntry(new WatchlistEntryId(id), category, faces[i].Embedding!)
                {
                    Source = Path.GetFileName(sources[i].Path),
                    RecordedOn = File.GetLastWriteTimeUtc(sources[i].Path).ToString("yyyy-MM-dd"),
                    FileImage = fileImages[i],
                });
            }
            else
            {
                rejected++;
                Console.Error.WriteLine($"rejected {sources[i].Path}: {faces[i].Error}");
            }
        }
        if (entries.Count == 0) throw new CliException("no photo could be enrolled; nothing written");
        WatchlistFile.Write(output, entries, engine.EmbeddingModelSha256, DateTimeOffset.UtcNow, keyResolution.Key);
        Console.Error.WriteLine($"wrote {output}: {entries.Count} entries enrolled, {rejected} rejected");
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
            return Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, Path.GetFileNameWithoutExtension(f)))
                .ToList();
        if (File.Exists(from))
            return Manifest.Read(from).Where(r => r.Identity.Length > 0).Select(r => (r.Path, r.Identity)).ToList();
        throw new CliException($"{from}: no such folder or manifest");
    }
}
