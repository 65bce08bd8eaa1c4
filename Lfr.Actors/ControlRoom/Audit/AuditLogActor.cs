using Akka.Actor;
using Akka.Persistence;

namespace Lfr.Actors.ControlRoom.Audit;

/// <summary>
/// The append-only audit log. Each <see cref="AuditProtocol.Record"/> becomes one persisted, hash-chained
/// <see cref="AuditEntry"/>; nothing here edits or deletes an entry.
/// </summary>
public sealed class AuditLogActor : ReceivePersistentActor
{
    public const string DefaultPersistenceId = "audit-log";

    private readonly TimeProvider _time;
    private readonly List<AuditEntry> _entries = [];

    public AuditLogActor(string persistenceId, TimeProvider time)
    {
        PersistenceId = persistenceId;
        _time = time;

        Recover<AuditEntry>(entry => _entries.Add(entry));

        Command<AuditProtocol.Record>(record =>
        {
            var sequence = _entries.Count + 1L;
            var previous = _entries.Count == 0 ? AuditEntry.GenesisHash : _entries[^1].Hash;
            var at = _time.GetUtcNow();
            var hash = AuditEntry.ComputeHash(sequence, at, record.Kind, record.Who, record.Deployment, record.Subject, record.Detail, previous);
            var entry = new AuditEntry(sequence, at, record.Kind, record.Who, record.Deployment, record.Subject, record.Detail, previous, hash);
            // Persist (not PersistAsync) holds the next record back until this one is written, so each chains onto the last
            Persist(entry, _entries.Add);
        });

        Command<AuditProtocol.GetTrail>(query =>
        {
            var entries = query.Deployment is null ? _entries.ToArray() : _entries.Where(e => e.Deployment == query.Deployment).ToArray();
            Sender.Tell(new AuditProtocol.Trail(entries, Head));
        });
    }

    public override string PersistenceId { get; }

    private AuditHead Head => _entries.Count == 0 ? new AuditHead(0, AuditEntry.GenesisHash) : new AuditHead(_entries[^1].Sequence, _entries[^1].Hash);

    public static Props Props(TimeProvider time, string persistenceId = DefaultPersistenceId) =>
        Akka.Actor.Props.Create(() => new AuditLogActor(persistenceId, time));
}
