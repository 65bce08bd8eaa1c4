using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Lfr.Actors.ControlRoom.Audit;

/// <summary>
/// Persists the records its <see cref="AuditLogActor"/> hands it as MAC-chained <see cref="AuditEntry"/>s; nothing
/// here edits or deletes an entry. It holds only the chain's head (and snapshots it now and then, so that a restart need
/// not replay years of entries); trails are read back from the journal through Akka.Persistence.Query. When the journal
/// fails it stops (Akka.Persistence's rule) and its backoff supervisor starts it again, recovering the head.
/// </summary>
internal sealed class AuditWriter : ReceivePersistentActor
{
    public const string DefaultPersistenceId = "audit-log";

    private readonly IActorRef _log;
    private readonly TimeProvider _time;
    private readonly int _snapshotEvery;
    private readonly AuditKey _key;
    private AuditHead _head = new(0, AuditEntry.GenesisHash);

    public AuditWriter(IActorRef log, TimeProvider time, string persistenceId, int snapshotEvery, AuditKey key)
    {
        _log = log;
        _key = key;
        PersistenceId = persistenceId;
        _time = time;
        _snapshotEvery = snapshotEvery;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is AuditHead head)
                _head = head;
        });
        Recover<AuditEntry>(entry => _head = new AuditHead(entry.Sequence, entry.Hash));
        Recover<RecoveryCompleted>(_ => _log.Tell(new Ready(Self)));

        Command<Write>(write =>
        {
            var record = write.Record;
            var sequence = _head.Sequence + 1;
            var at = _time.GetUtcNow();
            var hash = AuditEntry.ComputeHash(_key, sequence, at, record.Kind, record.Who, record.Deployment, record.Subject, record.Detail, _head.Hash);
            var entry = new AuditEntry(sequence, at, record.Kind, record.Who, record.Deployment, record.Subject, record.Detail, _head.Hash, hash);
            // Persist (not PersistAsync) holds the next record back until this one is written, so each chains onto the last
            Persist(entry, persisted =>
            {
                _head = new AuditHead(persisted.Sequence, persisted.Hash);
                _log.Tell(new Written(write.Sequence));
                if (_head.Sequence % _snapshotEvery == 0)
                    SaveSnapshot(_head);
            });
        });

        Command<AuditProtocol.GetTrail>(query =>
        {
            var head = _head;
            var deployment = query.Deployment;
            var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            journal.CurrentEventsByPersistenceId(PersistenceId, 1, head.Sequence)
                .Select(envelope => (AuditEntry)envelope.Event)
                .Where(entry => deployment is null || entry.Deployment == deployment)
                .RunWith(Sink.Seq<AuditEntry>(), Context.Materializer())
                // a whole trail is checked here, where the key is: the web and the console only show the result
                .PipeTo(Sender, success: entries => new AuditProtocol.Trail(entries, head, deployment is null ? AuditChain.Verify(entries, _key, head) : null));
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(failure => Context.GetLogger().Warning(failure.Cause, "Audit head snapshot failed; recovery replays more"));
    }

    public override string PersistenceId { get; }

    public static Props Props(IActorRef log, TimeProvider time, string persistenceId, int snapshotEvery, AuditKey key) =>
        Akka.Actor.Props.Create(() => new AuditWriter(log, time, persistenceId, snapshotEvery, key));

    /// <summary>The front's <paramref name="Sequence"/> (not the chain's), acknowledged by <see cref="Written"/>.</summary>
    internal sealed record Write(long Sequence, AuditProtocol.Record Record);

    internal sealed record Written(long Sequence);

    /// <summary>Recovered: the front sends it every record not yet written.</summary>
    internal sealed record Ready(IActorRef Writer);
}
