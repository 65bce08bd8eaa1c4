using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Lfr.Vision.Models;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>
/// The import of a signed watchlist file (<c>lfr watchlist build</c>, format 2): verified, checked against the embedding
/// model, then stored like a build. The file's ids are the force's references: they become subject references, and
/// each entry gets an opaque id.
/// </summary>
public sealed partial class WatchlistAuthorityActor
{
    private void Handle(ImportWatchlist import)
    {
        if (Import(import) is { } problem)
        {
            _log.Warning("Watchlist {Watchlist} not imported: {Reason}", import.Watchlist, problem);
            Sender.Tell(new Refused(problem));
        }
    }

    /// <summary>Stores the file's watchlist and answers the sender, or returns why not.</summary>
    private string? Import(ImportWatchlist import)
    {
        if (_key is null)
            return "this control room has no watchlist signing key configured, so it cannot verify a watchlist file";
        WatchlistFileContents contents;
        try
        {
            contents = WatchlistFile.Read(import.File, _engine?.EmbeddingModelSha256 ?? ModelFiles.Expected[ModelFiles.Embedder], _key);
        }
        catch (WatchlistFileException e)
        {
            return e.Message;
        }

        if (contents.FormatVersion == WatchlistFile.FormatVersionWithoutImages)
            return $"the watchlist file is format {WatchlistFile.FormatVersionWithoutImages}, without file images, which officers' taskings need; " +
                   "enrol it again with this version of lfr watchlist build";
        var imageless = contents.Entries.Where(e => e.FileImage.IsEmpty).Select(e => e.Id.Value).ToList();
        if (imageless.Count > 0)
            return $"{imageless.Count} entries carry no file image: {string.Join(", ", imageless)}";

        // the file's ids are the force's references (e.g. PNC ids): they become subject references, and each entry gets an opaque id
        var drafts = contents.Entries.Select(e => new WatchlistEntryDraft(WatchlistEntryId.New(), e.Category, e.Reason ?? CategoryReason(e.Category),
            e.Source ?? "signed watchlist file", SourceDate(e.RecordedOn, contents.CreatedUtc), import.ImportedBy, e.Id.Value, e.FileImage.ToArray(),
            MoreFileImages: [.. e.MoreFileImages.Select(i => i.ToArray())])).ToList();
        var build = new BuildWatchlist(import.Watchlist, import.ForDate, import.Deployment, import.ImportedBy, drafts);
        if (Validate(build) is { } problem)
            return problem;
        Store(import.Watchlist, import.ForDate, import.Deployment, import.ImportedBy, drafts,
            [.. contents.Entries.Select(e => e.Embedding.ToArray())], contents.ModelSha256, Sender, "imported");
        return null;
    }

    private static string CategoryReason(WatchlistCategory category) => category switch
    {
        WatchlistCategory.CourtWarrant => "wanted on a court warrant (no details in the imported file)",
        WatchlistCategory.WantedWithPowerOfArrest => "wanted by police with a power of arrest (no details in the imported file)",
        _ => "registered sex offender with conditions (no details in the imported file)",
    };

    private static DateOnly SourceDate(string? recordedOn, DateTimeOffset created) =>
        DateOnly.TryParseExact(recordedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : DateOnly.FromDateTime(created.UtcDateTime);
}
