namespace Lfr.Actors.ControlRoom.Audit;

public static class AuditProtocol
{
    public interface IAuditMessage;

    /// <summary>
    /// Told by every control-room actor; the log adds the time and the chain. <paramref name="Who"/> is a staff id
    /// or "system"; <paramref name="Detail"/> holds codes and counts, never personal data. A record the journal cannot
    /// take yet waits in the log, in order, until it can.
    /// </summary>
    public sealed record Record(AuditKind Kind, string Who, string? Deployment, string Subject, string Detail) : IAuditMessage;

    /// <summary>
    /// A record that must be stored before its sender goes on (an image view): answered <see cref="Recorded"/> once it
    /// is in the journal, or <see cref="NotRecorded"/> at once when the journal cannot write, and then it is not kept.
    /// </summary>
    public sealed record RecordAndConfirm(Record Record, long Receipt) : IAuditMessage;

    public sealed record Recorded(long Receipt) : IAuditMessage;

    public sealed record NotRecorded(long Receipt, string Reason) : IAuditMessage;

    /// <summary>The whole trail, or a deployment's entries only when <paramref name="Deployment"/> is set.</summary>
    public sealed record GetTrail(string? Deployment = null) : IAuditMessage;

    /// <summary>The entries and the head; a whole trail (no deployment asked for) comes with its chain checked under the audit key.</summary>
    public sealed record Trail(IReadOnlyList<AuditEntry> Entries, AuditHead Head, AuditVerification? Verification = null) : IAuditMessage;

    /// <summary>Whether the log can write now, and how many records wait for the journal (readiness).</summary>
    public sealed record GetHealth : IAuditMessage
    {
        public static readonly GetHealth Instance = new();

        private GetHealth() { }
    }

    public sealed record Health(bool Writing, int Waiting) : IAuditMessage;
}
