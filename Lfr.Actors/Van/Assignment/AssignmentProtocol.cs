using Akka.Actor;
using Lfr.Actors.Cluster;
using Lfr.Vision.Watchlists;

namespace Lfr.Actors.Van.Assignment;

/// <summary>
/// What a van is assigned by the control room: the live deployment that covers it, and that deployment's watchlist as
/// embeddings only (never a file image, a reason or a name). A van says <see cref="VanHello"/> whenever it finds a
/// control room; the control room answers with the van's assignment (<see cref="AssignmentOffer"/> then its
/// <see cref="AssignmentChunk"/>s) or with <see cref="DropAssignment"/> when nothing covers it. The van acknowledges
/// every answer; the control room resends until it has the acknowledgement.
/// </summary>
public static class AssignmentProtocol
{
    /// <summary>The control room's dispatcher of assignments, at <c>/user/van-dispatch</c> on every control-room node.</summary>
    public const string DispatchName = "van-dispatch";

    /// <summary>The van's side, at <c>/user/van-assignment</c>.</summary>
    public const string VanName = "van-assignment";

    /// <summary>Entries per chunk: 24 x (2,048 bytes of embedding + id) stays near 52 KB, well under the 128 KB remote frame.</summary>
    public const int EntriesPerChunk = 24;

    /// <summary>
    /// The most entries a van takes in one assignment (a force's largest watchlists hold ~17,000): an offer announcing
    /// more, or more chunks than its count needs, is refused before a single chunk is buffered.
    /// </summary>
    public const int MaxEntries = 100_000;

    /// <summary>The chunks an assignment of <paramref name="count"/> entries comes in.</summary>
    public static int ChunksFor(int count) => (count + EntriesPerChunk - 1) / EntriesPerChunk;

    public interface IAssignmentMessage;

    /// <summary>From a van, on joining and on every control room it finds (again): what is my assignment?</summary>
    public sealed record VanHello(string Van) : IAssignmentMessage, ILfrWireMessage;

    /// <summary>
    /// The head of an assignment: a transfer id and the control room's issue time, the deployment, its threshold and
    /// window end, the control room's daily wipe (a local time in an IANA/Windows time zone id: the van drops the
    /// watchlist then, on its own clock), the watchlist's id, the embedding model and the entry count, and the control
    /// room's ECDSA P-256 signature over all of it, the van's name and every entry in order (<see cref="AssignmentSignature"/>).
    /// <see cref="Chunks"/> chunks follow. A van refuses a transfer id it has had before, an issue time not newer than
    /// the assignment it accepted last, and one older than its <c>MaxAge</c>.
    /// </summary>
    public sealed record AssignmentOffer(
        Guid Transfer, DateTimeOffset IssuedAt, string Van, DeploymentId Deployment, float Threshold, DateTimeOffset WindowEnd, TimeOnly DailyWipeAt,
        string DailyWipeZone, string Watchlist,
        string ModelSha256, int Count, int Chunks, byte[] Signature) : IAssignmentMessage, ILfrWireMessage
    {
        public override string ToString() => $"AssignmentOffer({Transfer:N}, {Van}, {Deployment}, {Watchlist}, {Count} entries in {Chunks} chunks)";
    }

    /// <summary>One entry as a van holds it.</summary>
    public sealed record AssignedEntry(WatchlistEntryId Id, WatchlistCategory Category, float[] Embedding)
    {
        public override string ToString() => $"AssignedEntry({Id}, {Category})";
    }

    /// <summary>Chunk <see cref="Index"/> (from 0) of a transfer.</summary>
    public sealed record AssignmentChunk(Guid Transfer, int Index, IReadOnlyList<AssignedEntry> Entries) : IAssignmentMessage, ILfrWireMessage
    {
        public override string ToString() => $"AssignmentChunk({Transfer:N}, #{Index}, {Entries.Count} entries)";
    }

    /// <summary>From the van: the transfer was verified and is in force, with this many entries.</summary>
    public sealed record AssignmentLoaded(Guid Transfer, string Van, int Entries) : IAssignmentMessage, ILfrWireMessage;

    /// <summary>From the van: the transfer failed its checks (signature, count, model, van); nothing was swapped.</summary>
    public sealed record AssignmentRefused(Guid Transfer, string Van, string Reason) : IAssignmentMessage, ILfrWireMessage;

    /// <summary>
    /// To a van: drop <see cref="Watchlist"/> (a wipe, the end of its deployment), or, when null, whatever it holds,
    /// since nothing covers it now. Never ignored: dropping only ever makes a van do less.
    /// </summary>
    public sealed record DropAssignment(string? Watchlist, string Reason) : IAssignmentMessage, ILfrWireMessage;

    /// <summary>From the van: it holds no such watchlist now; <see cref="Entries"/> were dropped (0: it held none).</summary>
    public sealed record AssignmentDropped(string Van, string? Watchlist, int Entries) : IAssignmentMessage, ILfrWireMessage;

    public sealed record GetAssignment : IAssignmentMessage
    {
        public static GetAssignment Instance { get; } = new();
        private GetAssignment() { }
    }

    /// <summary>
    /// What the van holds now (all null and 0: nothing), which control room it talks to, and when it drops what it holds
    /// at the latest: the control room's next daily wipe, by the schedule sent with the assignment.
    /// </summary>
    public sealed record AssignmentStatus(DeploymentId? Deployment, string? Watchlist, int Entries, Address? ControlRoom, DateTimeOffset? NextWipe = null)
        : IAssignmentMessage;
}
