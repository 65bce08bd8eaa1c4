using Akka.Actor;
using Akka.Event;
using Lfr.Actors.ControlRoom.Persistence;

namespace Lfr.Actors.ControlRoom.Audit;

/// <summary>
/// The append-only audit log, as every control-room actor sees it. The journal may hiccup: the persistent
/// <see cref="AuditWriter"/> then stops and its backoff supervisor starts it again until the database answers. This
/// front keeps every record it was told, in order, until the writer has stored it, and sends the unstored ones again
/// to each new writer, so an outage delays records but loses none. A record that must be stored before its sender goes
/// on (<see cref="AuditProtocol.RecordAndConfirm"/>, an image view) is refused while the writer is down, never kept for
/// later: a view refused is not recorded as seen.
/// </summary>
public sealed class AuditLogActor : ReceiveActor
{
    public const string DefaultPersistenceId = AuditWriter.DefaultPersistenceId;

    private const string CannotWrite = "the audit log cannot write to the journal just now";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LinkedList<Pending> _pending = new();
    private readonly List<(IActorRef Sender, AuditProtocol.GetTrail Query)> _trailsWaiting = [];
    private IActorRef? _writer;

    /// <summary>The writer stopped on a journal failure and has not recovered yet (false while it first starts).</summary>
    private bool _down;

    private long _next;

    public AuditLogActor(TimeProvider time, string persistenceId, int snapshotEvery, AuditKey key)
    {
        Context.ActorOf(JournalBackoff.Props(AuditWriter.Props(Self, time, persistenceId, snapshotEvery, key), "writer"), "journal");

        Receive<AuditProtocol.Record>(record => Enqueue(record, null));
        Receive<AuditProtocol.RecordAndConfirm>(confirm =>
        {
            if (_down)
                Sender.Tell(new AuditProtocol.NotRecorded(confirm.Receipt, CannotWrite));
            else
                Enqueue(confirm.Record, (Sender, confirm.Receipt));
        });
        Receive<AuditWriter.Written>(written =>
        {
            if (_pending.First?.Value is not { } first || first.Sequence != written.Sequence) return;
            _pending.RemoveFirst();
            if (first.ConfirmTo is var (to, receipt))
                to.Tell(new AuditProtocol.Recorded(receipt));
        });
        Receive<AuditWriter.Ready>(ready =>
        {
            if (_writer is { } old && !old.Equals(ready.Writer)) Context.Unwatch(old);
            _writer = ready.Writer;
            _down = false;
            Context.Watch(_writer);
            if (_pending.Count > 0) _log.Info("Audit log writing again; {Count} records waited for the journal", _pending.Count);
            foreach (var pending in _pending)
                _writer.Tell(new AuditWriter.Write(pending.Sequence, pending.Record));
            foreach (var (sender, query) in _trailsWaiting)
                _writer.Tell(query, sender);
            _trailsWaiting.Clear();
        });
        Receive<Terminated>(terminated =>
        {
            if (!terminated.ActorRef.Equals(_writer)) return;
            _writer = null;
            _down = true;
            _log.Warning("Audit log cannot write to the journal; {Count} records wait, image views are refused until it can", _pending.Count);
            // a confirmation waits for no restart: its sender answers "refused" now, and the record is dropped
            for (var node = _pending.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.ConfirmTo is var (to, receipt))
                {
                    to.Tell(new AuditProtocol.NotRecorded(receipt, CannotWrite));
                    _pending.Remove(node);
                }
                node = next;
            }
            foreach (var (sender, _) in _trailsWaiting)
                sender.Tell(new Status.Failure(new InvalidOperationException(CannotWrite)));
            _trailsWaiting.Clear();
        });
        Receive<AuditProtocol.GetTrail>(query =>
        {
            // behind every record told before it; refused at once while the journal cannot be read
            if (_writer is not null)
                _writer.Forward(query);
            else if (_down)
                Sender.Tell(new Status.Failure(new InvalidOperationException(CannotWrite)));
            else
                _trailsWaiting.Add((Sender, query));
        });
        Receive<AuditProtocol.GetHealth>(_ => Sender.Tell(new AuditProtocol.Health(!_down, _pending.Count)));
    }

    /// <param name="key">The chain's MAC key; null: <see cref="AuditKey.Default"/> (the environment or the default key file).</param>
    public static Props Props(TimeProvider time, string persistenceId = DefaultPersistenceId, int snapshotEvery = 500, AuditKey? key = null)
    {
        var resolved = key ?? AuditKey.Default;
        return Akka.Actor.Props.Create(() => new AuditLogActor(time, persistenceId, snapshotEvery, resolved));
    }

    private void Enqueue(AuditProtocol.Record record, (IActorRef To, long Receipt)? confirmTo)
    {
        var pending = new Pending(++_next, record, confirmTo);
        _pending.AddLast(pending);
        _writer?.Tell(new AuditWriter.Write(pending.Sequence, record));
    }

    private sealed record Pending(long Sequence, AuditProtocol.Record Record, (IActorRef To, long Receipt)? ConfirmTo);
}
