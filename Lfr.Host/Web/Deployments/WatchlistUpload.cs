using System.Globalization;
using System.IO.Compression;
using System.Text;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;

namespace Lfr.Host.Web.Deployments;

/// <summary>An entry the upload could not use (or enrolment refused): which file, which manifest row, and why.</summary>
public sealed record RejectedEntry(string File, int? Row, string Reason);

/// <summary>A build's or an addition's entries refused: answered 400 with every one listed; nothing is stored.</summary>
public sealed class RejectedUploadException(IReadOnlyList<RejectedEntry> rejected)
    : Exception($"{rejected.Count} entr{(rejected.Count == 1 ? "y" : "ies")} refused, nothing stored: " +
                string.Join("; ", rejected.Take(20).Select(r => $"{r.File}: {r.Reason}")) + (rejected.Count > 20 ? "; …" : ""))
{
    public IReadOnlyList<RejectedEntry> Rejected { get; } = rejected;
}

/// <summary>
/// Turns an upload into watchlist entries, each with an opaque id (<see cref="WatchlistEntryId.New"/>) and a label (its
/// file and row) that only the answer to the watchlist manager uses. Three shapes: a manifest CSV (<c>manifest</c>) with
/// the images (<c>images</c>); a zip (<c>archive</c>) holding <c>manifest.csv</c> and the images; or images alone, with
/// one category, reason and source for all (the subject reference per file as <c>ref:FILE</c>, else the file's name).
/// Manifest columns, by header: <c>file, reference, category, reason, source</c>, and optionally <c>markers</c>
/// (separated by <c>;</c>) and <c>source_date</c> (YYYY-MM-DD). Every problem is collected, not only the first.
/// </summary>
public static class WatchlistUpload
{
    public const int MaxImageBytes = 4 * 1024 * 1024;
    private const int MaxArchiveEntries = 20_000;

    public sealed record Parsed(IReadOnlyList<WatchlistEntryDraft> Drafts, IReadOnlyDictionary<WatchlistEntryId, (string File, int? Row)> Labels);

    public static Parsed Read(UploadForm form, DateOnly forDate, StaffId by)
    {
        var rejected = new List<RejectedEntry>();
        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var image in form.Files.Where(f => f.Field == "images"))
            if (!images.TryAdd(image.FileName, image.Bytes))
                rejected.Add(new RejectedEntry(image.FileName, null, "two uploaded images have this name"));
        string? manifest = null;
        if (form.Files.FirstOrDefault(f => f.Field == "archive") is { } archive)
            manifest = Unzip(archive, images);
        else if (form.Files.FirstOrDefault(f => f.Field == "manifest") is { } csv)
            manifest = Encoding.UTF8.GetString(csv.Bytes);

        var drafts = new List<WatchlistEntryDraft>();
        var labels = new Dictionary<WatchlistEntryId, (string, int?)>();
        var rows = manifest is null ? FormRows(form, images) : ManifestRows(manifest, rejected);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var named = images.TryGetValue(row.File, out var bytes);
            var problem = row.Problem;
            if (named && !used.Add(row.File))
                problem = "the same image is named on two rows";
            else if (problem is null && !named)
                problem = "no image of that name was uploaded";
            else if (problem is null && bytes!.Length == 0)
                problem = "the file image is empty";
            else if (problem is null && bytes!.Length > MaxImageBytes)
                problem = $"the file image holds {bytes.Length / 1024:N0} KB; a file image may hold {MaxImageBytes / 1024} KB at most";
            else if (problem is null && bytes is not ([0xFF, 0xD8, 0xFF, ..] or [0x89, (byte)'P', (byte)'N', (byte)'G', ..]))
                problem = "not a JPEG or PNG image";
            if (problem is not null)
            {
                rejected.Add(new RejectedEntry(row.File, row.Line, problem));
                continue;
            }

            var id = WatchlistEntryId.New();
            labels[id] = (row.File, row.Line);
            drafts.Add(new WatchlistEntryDraft(id, row.Category, row.Reason, row.Source, row.SourceDate ?? forDate, by, row.Reference, bytes!, row.Markers));
        }

        if (manifest is not null)
            rejected.AddRange(images.Keys.Where(name => !used.Contains(name)).Select(name => new RejectedEntry(name, null, "no manifest row names this image")));
        if (rejected.Count > 0)
            throw new RejectedUploadException(rejected);
        if (drafts.Count == 0)
            throw new BadInputException("upload at least one file image (with a manifest CSV, as a zip, or with one category for all)");
        return new Parsed(drafts, labels);
    }

    /// <summary>The rows of enrolment's refusal, by the files and rows the watchlist manager knows.</summary>
    public static RejectedUploadException Refused(Parsed parsed, IEnumerable<EntryProblem> problems) =>
        new([.. problems.Select(p => parsed.Labels.TryGetValue(p.Entry, out var label)
            ? new RejectedEntry(label.File, label.Row, p.Reason)
            : new RejectedEntry(p.Entry.Value, null, p.Reason))]);

    private sealed record Row(int? Line, string File, string Reference, WatchlistCategory Category, string Reason, string Source,
        DateOnly? SourceDate, string[] Markers, string? Problem);

    private static IEnumerable<Row> FormRows(UploadForm form, IReadOnlyDictionary<string, byte[]> images)
    {
        var category = Category(form["category"]) ?? throw new BadInputException(
            $"unknown category '{form["category"]}': court-warrant, wanted or sex-offender (or upload a manifest CSV with a category per entry)");
        var (reason, source) = (form["reason"], form["source"]);
        if (reason.Length == 0 || source.Length == 0)
            throw new BadInputException("give the reason and the source for the images (or upload a manifest CSV with them per entry)");
        return images.Keys.Select(file => new Row(null, file, form[$"ref:{file}"] is { Length: > 0 } r ? r : Path.GetFileNameWithoutExtension(file),
            category, reason, source, null, Markers(form[$"markers:{file}"], ','), null));
    }

    private static List<Row> ManifestRows(string csv, List<RejectedEntry> rejected)
    {
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = Fields(lines.FirstOrDefault() ?? "").Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = new[] { "file", "reference", "category", "reason", "source" }.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new BadInputException($"the manifest's first line must name its columns; missing: {string.Join(", ", missing)}");
        var rows = new List<Row>();
        for (var i = 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var fields = Fields(lines[i]);
            string Get(string column)
            {
                var at = header.IndexOf(column);
                return at >= 0 && at < fields.Count ? fields[at].Trim() : "";
            }

            var file = Get("file");
            var problems = new List<string>();
            var category = Category(Get("category"));
            if (category is null) problems.Add($"unknown category '{Get("category")}': court-warrant, wanted or sex-offender");
            foreach (var column in new[] { "reference", "reason", "source" })
                if (Get(column).Length == 0) problems.Add($"the {column} is missing");
            DateOnly? sourceDate = null;
            if (Get("source_date") is { Length: > 0 } day)
            {
                if (DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) sourceDate = parsed;
                else problems.Add("the source_date must read YYYY-MM-DD");
            }
            if (file.Length == 0)
                rejected.Add(new RejectedEntry("(no file named)", i + 1, "the row names no image"));
            else
                rows.Add(new Row(i + 1, file, Get("reference"), category ?? default, Get("reason"), Get("source"), sourceDate,
                    Markers(Get("markers"), ';'), problems.Count > 0 ? string.Join("; ", problems) : null));
        }

        return rows;
    }

    /// <summary>The manifest and the images of a zip, each image capped before it is read; nothing is written to disk.</summary>
    private static string Unzip(UploadedFile archive, Dictionary<string, byte[]> images)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(archive.Bytes, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxArchiveEntries) throw new BadInputException($"a zip may hold {MaxArchiveEntries} files at most");
            string? manifest = null;
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                var cap = entry.Name.Equals("manifest.csv", StringComparison.OrdinalIgnoreCase) ? 16 * 1024 * 1024 : MaxImageBytes;
                var bytes = ReadCapped(entry, cap);
                if (cap != MaxImageBytes) manifest = Encoding.UTF8.GetString(bytes);
                else images[entry.FullName] = bytes;
            }

            return manifest ?? throw new BadInputException($"{archive.FileName}: the zip holds no manifest.csv");
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"{archive.FileName}: not a readable zip ({e.Message})");
        }
    }

    /// <summary>Reads at most one byte past the cap, whatever the zip's header claims, so a zip bomb stops at the cap.</summary>
    private static byte[] ReadCapped(ZipArchiveEntry entry, int cap)
    {
        using var stream = entry.Open();
        using var memory = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            memory.Write(buffer, 0, read);
            // an oversized image is kept as a marker byte beyond the cap, and refused by name with the others
            if (memory.Length > cap) return new byte[cap + 1];
        }
        return memory.ToArray();
    }

    private static WatchlistCategory? Category(string text) => text.Trim().ToLowerInvariant() switch
    {
        "court-warrant" => WatchlistCategory.CourtWarrant,
        "wanted" => WatchlistCategory.WantedWithPowerOfArrest,
        "sex-offender" => WatchlistCategory.SexOffenderWithConditions,
        _ => null,
    };

    private static string[] Markers(string text, char separator) =>
        text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One CSV line's fields: commas separate, double quotes enclose (a doubled quote is a quote).</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
