using Akka.Actor;
using Akka.Event;
using Lfr.Actors.ControlRoom.Audit;

namespace Lfr.Actors.ControlRoom.Retention;

public static class RetentionProtocol
{
    public interface IRetentionMessage;

    /// <summary>Runs the purge now (operations, tests) and replies <see cref="Purged"/>.</summary>
    public sealed record PurgeNow : IRetentionMessage
    {
        public static readonly PurgeNow Instance = new();
        private PurgeNow() { }
    }

    public sealed record Purged(int Images, DateTimeOffset At) : IRetentionMessage;
}

/// <summary>
/// Deletes captures whose retention period is over, on the injected clock: the key and the row go together, and
/// each purge that deleted anything is recorded in the audit log with its count.
/// </summary>
public sealed class RetentionActor : ReceiveActor
{
    private readonly EncryptedImageStore _store;
    private readonly IActorRef _audit;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ITimer _sweep;

    public RetentionActor(EncryptedImageStore store, RetentionSettings settings, IActorRef audit, TimeProvider time)
    {
        _store = store;
        _audit = audit;
        _time = time;
        var self = Self;
        // the first sweep at once, for what fell due while the node was down
        _sweep = time.CreateTimer(_ => self.Tell(Sweep.Instance), null, TimeSpan.Zero, settings.SweepInterval);

        Receive<Sweep>(_ => Purge());
        Receive<RetentionProtocol.PurgeNow>(_ => Sender.Tell(Purge()));
    }

    public static Props Props(EncryptedImageStore store, RetentionSettings settings, IActorRef audit, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new RetentionActor(store, settings, audit, time));

    protected override void PostStop() => _sweep.Dispose();

    private RetentionProtocol.Purged Purge()
    {
        var now = _time.GetUtcNow();
        var deleted = _store.PurgeDue(now);
        if (deleted > 0)
        {
            _audit.Tell(new AuditProtocol.Record(AuditKind.ImagesPurged, StaffId.System.Value, null, "captures", $"count={deleted}"));
            _log.Info("Retention purged {Count} images", deleted);
        }

        return new RetentionProtocol.Purged(deleted, now);
    }

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
        private Sweep() { }
    }
}
