using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Vision.Watchlists;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>
/// An entry as the watchlist manager submits it. <see cref="SubjectReference"/> (e.g. the PNC id) is never stored:
/// only its salted hash goes into the manifest that answers subject-access requests after the wipe.
/// There is deliberately no field for any protected characteristic. <see cref="MoreFileImages"/> are the person's other
/// file images (custody images of other dates): the entry's template is the mean of all their embeddings, and
/// officers see every one, the most typical first.
/// </summary>
public sealed record WatchlistEntryDraft(
    WatchlistEntryId Id,
    WatchlistCategory Category,
    string Reason,
    string Source,
    DateOnly SourceDate,
    StaffId AddedBy,
    string SubjectReference,
    byte[] FileImage,
    IReadOnlyList<string>? WarningMarkers = null,
    IReadOnlyList<byte[]>? MoreFileImages = null)
{
    /// <summary>Every file image of the entry, <see cref="FileImage"/> first.</summary>
    public IReadOnlyList<byte[]> AllFileImages() => [FileImage, .. MoreFileImages ?? []];
}

/// <summary>
/// An entry as operators and officers see it; the file images are references into the encrypted store, the most
/// typical (<see cref="FileImage"/>) first and the others in <see cref="MoreFileImages"/>.
/// <see cref="WarningMarkers"/> (e.g. "weapons", "violent") are for the officers' safety; most entries have none.
/// </summary>
public sealed record WatchlistRecord(
    WatchlistEntryId Id,
    WatchlistCategory Category,
    string Reason,
    string Source,
    DateOnly SourceDate,
    StaffId AddedBy,
    ImageRef FileImage,
    IReadOnlyList<string>? WarningMarkers = null,
    IReadOnlyList<ImageRef>? MoreFileImages = null)
{
    /// <summary>Every file image of the entry, <see cref="FileImage"/> first (a method, so the journal does not store it twice).</summary>
    public IReadOnlyList<ImageRef> AllFileImages() => [FileImage, .. MoreFileImages ?? []];

    /// <summary>Whether <paramref name="image"/> is one of this entry's file images.</summary>
    public bool HasFileImage(ImageRef image) => FileImage == image || (MoreFileImages?.Contains(image) ?? false);
}

/// <summary>
/// What a van gets of an entry: id, category and the file image's embedding (512 floats, L2-normalised); never the file
/// image, the reason or anything that names the person. <see cref="ToString"/> leaves the embedding out of logs.
/// </summary>
public sealed record EnrolledEntry(WatchlistEntryId Id, WatchlistCategory Category, float[] Embedding)
{
    public override string ToString() => $"EnrolledEntry({Id}, {Category})";
}

/// <summary>An entry whose file image gave no usable face, and why.</summary>
public sealed record EntryProblem(WatchlistEntryId Entry, string Reason)
{
    public override string ToString() => $"{Entry}: {Reason}";
}

public sealed record CategoryCounts(int CourtWarrant, int WantedWithPowerOfArrest, int SexOffenderWithConditions)
{
    public int Total => CourtWarrant + WantedWithPowerOfArrest + SexOffenderWithConditions;

    public static CategoryCounts Of(IEnumerable<WatchlistCategory> categories)
    {
        var list = categories.ToList();
        return new(
            list.Count(c => c == WatchlistCategory.CourtWarrant),
            list.Count(c => c == WatchlistCategory.WantedWithPowerOfArrest),
            list.Count(c => c == WatchlistCategory.SexOffenderWithConditions));
    }

    public override string ToString() =>
        $"court-warrant={CourtWarrant};wanted-with-power-of-arrest={WantedWithPowerOfArrest};sex-offender-with-conditions={SexOffenderWithConditions}";
}

/// <summary>
/// What stays after a wipe: entry ids and salted hashes of subject references, plus counts for the return;
/// no images, no embeddings, no reasons.
/// </summary>
public sealed record WatchlistManifest(
    WatchlistId Watchlist,
    DateOnly ForDate,
    DeploymentId? Deployment,
    DateTimeOffset BuiltAt,
    DateTimeOffset? WipedAt,
    CategoryCounts Counts,
    IReadOnlyList<WatchlistEntryId> Entries);

public static class WatchlistProtocol
{
    public interface IWatchlistMessage;

    public sealed record BuildWatchlist(
        WatchlistId Watchlist, DateOnly ForDate, DeploymentId? Deployment, StaffId BuiltBy, IReadOnlyList<WatchlistEntryDraft> Entries)
        : IWatchlistMessage;

    /// <summary>
    /// Imports a signed watchlist file (<c>lfr watchlist build</c>, format 2, with each entry's file image), as uploaded to
    /// the control room: verified with the watchlist signing key, checked against the embedding model, then
    /// stored like a build. The entry ids serve as subject references; an entry without a reason gets its category's.
    /// Answered with <see cref="WatchlistBuilt"/> or <see cref="Refused"/>.
    /// </summary>
    public sealed record ImportWatchlist(byte[] File, WatchlistId Watchlist, DateOnly ForDate, DeploymentId? Deployment, StaffId ImportedBy)
        : IWatchlistMessage;

    public sealed record WatchlistBuilt(WatchlistId Watchlist, CategoryCounts Counts) : IWatchlistMessage;

    /// <summary>
    /// The reply to a build in which some file images gave no usable face (none, several, or too poor): nothing was
    /// stored, and every such entry is listed, so the watchlist manager can replace those images and build again.
    /// </summary>
    public sealed record EnrolmentRefused(WatchlistId Watchlist, IReadOnlyList<EntryProblem> Problems) : IWatchlistMessage
    {
        public string Reason => $"{Problems.Count} file image(s) without one usable face: {string.Join("; ", Problems)}";
    }

    /// <summary>A van of a live deployment takes its copy; the hand-out is audited with the node's name.</summary>
    public sealed record LoadWatchlist(WatchlistId Watchlist, string Node) : IWatchlistMessage;

    /// <summary>
    /// The reply to <see cref="LoadWatchlist"/>: the records (for the control room's screens) and what the van may hold,
    /// <see cref="Entries"/> (ids, categories, embeddings of <see cref="ModelSha256"/>), and the daily wipe the van must keep
    /// with it (<see cref="WatchlistSettings.Schedule"/>: the authority's, the one schedule there is).
    /// </summary>
    public sealed record WatchlistContents(
        WatchlistId Watchlist, string Node, DeploymentId Deployment, string ModelSha256, IReadOnlyList<WatchlistRecord> Records,
        IReadOnlyList<EnrolledEntry> Entries, DailyWipeSchedule DailyWipe) : IWatchlistMessage
    {
        public override string ToString() => $"WatchlistContents({Watchlist}, {Node}, {Entries.Count} entries)";
    }

    /// <summary>The reply to a <see cref="LoadWatchlist"/> that was not allowed.</summary>
    public sealed record LoadRefused(WatchlistId Watchlist, string Node, string Reason) : IWatchlistMessage;

    public sealed record DescribeEntry(WatchlistId Watchlist, WatchlistEntryId Entry) : IWatchlistMessage;

    /// <summary><see cref="Record"/> is null once the watchlist has been wiped (or never held the entry).</summary>
    public sealed record EntryDescription(WatchlistId Watchlist, WatchlistEntryId Entry, WatchlistRecord? Record) : IWatchlistMessage;

    public sealed record WipeWatchlist(WatchlistId Watchlist, StaffId By, string Reason) : IWatchlistMessage;

    /// <summary>The result of a wipe: what was removed and whether a check afterwards found nothing left.</summary>
    public sealed record WatchlistWiped(WatchlistId Watchlist, int Entries, int Images, bool Verified) : IWatchlistMessage;

    public sealed record GetManifest(WatchlistId Watchlist) : IWatchlistMessage;

    /// <summary>The reply to <see cref="GetManifest"/>; <see cref="Manifest"/> is null for an unknown watchlist.</summary>
    public sealed record ManifestResult(WatchlistId Watchlist, WatchlistManifest? Manifest) : IWatchlistMessage;

    /// <summary>A subject-access request: was the person with this reference on any watchlist for that date?</summary>
    public sealed record WasOnWatchlist(string SubjectReference, DateOnly Date) : IWatchlistMessage;

    public sealed record SubjectAccessAnswer(IReadOnlyList<(WatchlistId Watchlist, WatchlistEntryId Entry)> Matches) : IWatchlistMessage;

    public sealed record Refused(string Reason) : IWatchlistMessage;

    /// <summary>Published for every node that holds a copy: drop it from memory, index and disk now.</summary>
    public sealed record WatchlistWipeOrdered(WatchlistId Watchlist, DateTimeOffset At) : IWatchlistMessage;
}
