using System.Text;
using Lfr.Actors.ControlRoom.Persistence;

namespace Lfr.Actors.ControlRoom.Audit;

/// <summary>What an audit entry records. Entries hold ids and codes, never images, names or embeddings.</summary>
public enum AuditKind
{
    DeploymentPlanned,
    SignageConfirmed,
    DeploymentAuthorised,
    DeploymentApproved,
    DeploymentLive,
    DeploymentEnded,
    ThresholdChanged,
    WatchlistBuilt,
    WatchlistLoaded,
    WatchlistWiped,
    AlertRaised,
    AlertCaptureAdded,
    AlertConfirmed,
    AlertDismissed,
    TaskingIssued,
    TaskingAcknowledged,
    TaskingEscalated,
    OutcomeRecorded,
    ImageViewed,
    ImageExported,
    ImagesPurged,
    /// <summary>A van confirmed it verified and holds a watchlist (its name and the entry count).</summary>
    WatchlistLoadConfirmed,
    /// <summary>A van refused a watchlist that failed its checks (signature, count, model); nothing was swapped there.</summary>
    WatchlistLoadRefused,
    /// <summary>A van confirmed it dropped a watchlist (its name and how many entries it dropped).</summary>
    WatchlistWipeConfirmed,

    // explicit values from 1400: kinds are journalled as numbers, and other branches append too
    /// <summary>More officers tasked to an alert already confirmed (also a re-task's new officer).</summary>
    TaskingAdded = 1400,
    /// <summary>An operator cancelled one officer's tasking, with the reason (a re-task cancels the first).</summary>
    TaskingCancelled = 1401,
    /// <summary>An operator stood down every officer on an alert, with the reason.</summary>
    AlertStoodDown = 1402,
    /// <summary>The officer's handset showed the stand-down and the officer marked it received.</summary>
    StandDownReceived = 1403,

    /// <summary>The watchlist manager added entries to a watchlist before its deployment went live (opaque ids, counts).</summary>
    WatchlistEntriesAdded = 1420,
    /// <summary>The watchlist manager took an entry off a watchlist before its deployment went live, with the reason.</summary>
    WatchlistEntryRemoved = 1421,
    /// <summary>A subject-access request was answered: its request number and how much was found, never the reference.</summary>
    SubjectAccessQueried = 1422,
    /// <summary>A capture marked for evidence under a case reference: kept past its retention until released.</summary>
    EvidenceHeld = 1423,
    /// <summary>An evidential hold released: the capture's retention runs again (and is purged if it is over).</summary>
    EvidenceReleased = 1424,
    /// <summary>A deployment's plan changed in a way that needs no new signature (purpose, case; or before anyone signed).</summary>
    PlanAmended = 1450,
    /// <summary>Signatures voided: what was signed changed (place, window, watchlist, threshold, cameras); back to Draft.</summary>
    ApprovalVoided = 1451,
    /// <summary>An approach and its sign recorded on (or removed from) a deployment's signage checklist.</summary>
    SignageRecorded = 1452,
    /// <summary>An operator or engagement officer came on (or went off) duty for a deployment.</summary>
    CrewOnDuty = 1453,
    /// <summary>The watchlist built for a deployment, as its counts by category.</summary>
    WatchlistComposed = 1454,
    /// <summary>Ops asked a van to restart a camera its supervisor gave up on; the detail says what the van answered.</summary>
    CameraRestartRequested = 1455,
}

/// <summary>
/// One link of the chain: <see cref="Hash"/> is a keyed MAC (HMAC-SHA256 under the <see cref="AuditKey"/>, which is not
/// in the database) over every other field and the previous entry's MAC, so an edited, removed or moved entry breaks the
/// chain from that point on, and only the key's holder can make a new link.
/// </summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    AuditKind Kind,
    string Who,
    string? Deployment,
    string Subject,
    string Detail,
    string PreviousHash,
    string Hash) : IControlRoomEvent
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string ComputeHash(
        AuditKey key, long sequence, DateTimeOffset at, AuditKind kind, string who, string? deployment, string subject, string detail,
        string previousHash)
    {
        // length-prefixed fields, so that moving text from one field to the next changes the hash
        var text = new StringBuilder();
        foreach (var field in new[]
                 {
                     sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     kind.ToString(), who, deployment ?? "", subject, detail, previousHash,
                 })
            text.Append(field.Length).Append(':').Append(field).Append('|');
        return key.Mac(text.ToString());
    }

    public string Recompute(AuditKey key) => ComputeHash(key, Sequence, At, Kind, Who, Deployment, Subject, Detail, PreviousHash);
}

/// <summary>The latest entry of a log, published or kept apart so that a cut-off tail can be noticed too.</summary>
public readonly record struct AuditHead(long Sequence, string Hash) : IControlRoomEvent;

public sealed record AuditVerification(bool IsIntact, long? FirstBrokenSequence, string? Problem)
{
    public static readonly AuditVerification Intact = new(true, null, null);
}

public static class AuditChain
{
    /// <summary>
    /// Checks a whole trail from its first entry: sequence numbers without gaps (deletion, reordering),
    /// each entry's link to the one before (reordering, insertion) and each entry's own hash (edits).
    /// A chain cannot show that its last entries were cut off; pass the <paramref name="expectedHead"/>
    /// kept elsewhere to catch that.
    /// </summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries, AuditKey key, AuditHead? expectedHead = null)
    {
        var previousHash = AuditEntry.GenesisHash;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var expectedSequence = i + 1L;
            if (entry.Sequence != expectedSequence)
                return Broken(expectedSequence, $"expected entry {expectedSequence} here, found entry {entry.Sequence}");
            if (entry.PreviousHash != previousHash)
                return Broken(entry.Sequence, "does not link to the entry before it");
            if (entry.Recompute(key) != entry.Hash)
                return Broken(entry.Sequence, "its content does not match its MAC (edited, or rehashed without the audit key)");
            previousHash = entry.Hash;
        }

        if (expectedHead is { } head)
        {
            var last = entries.Count == 0 ? new AuditHead(0, AuditEntry.GenesisHash) : new AuditHead(entries[^1].Sequence, entries[^1].Hash);
            if (last != head)
                return Broken(Math.Min(last.Sequence, head.Sequence) + 1, $"the log ends at entry {last.Sequence}, the kept head is entry {head.Sequence}");
        }

        return AuditVerification.Intact;
    }

    internal static AuditVerification Broken(long sequence, string problem) => new(false, sequence, $"entry {sequence}: {problem}");
}
