namespace Lfr.Actors.ControlRoom.Audit;

public static class AuditProtocol
{
    public interface IAuditMessage;

    /// <summary>
    /// Told by every control-room actor; the log adds the time and the chain. <paramref name="Who"/> is a staff id
    /// or "system"; <paramref name="Detail"/> holds codes and counts, never personal data.
    /// </summary>
    public sealed record Record(AuditKind Kind, string Who, string? Deployment, string Subject, string Detail) : IAuditMessage;

    /// <summary>The whole trail, or a deployment's entries only when <paramref name="Deployment"/> is set.</summary>
    public sealed record GetTrail(string? Deployment = null) : IAuditMessage;

    public sealed record Trail(IReadOnlyList<AuditEntry> Entries, AuditHead Head) : IAuditMessage;
}
