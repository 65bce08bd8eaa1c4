using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Lfr.Actors.ControlRoom.Persistence;

/// <summary>
/// Reads the control room's journal through Akka.Persistence.Query without starting any persistent actor, so that a
/// reader (<c>lfr report</c>, the web's lists) can never purge, wipe or persist. Pair it with
/// <see cref="ControlRoomStorage.ReadOnly"/> and the database refuses writes as well.
/// </summary>
public sealed class JournalReader(ActorSystem system)
{
    private readonly SqlReadJournal _journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

    /// <summary>The events of one persistent actor from <paramref name="fromSequence"/> on, as stored now.</summary>
    public async Task<IReadOnlyList<EventEnvelope>> EventsAsync(string persistenceId, long fromSequence = 1) =>
        await _journal.CurrentEventsByPersistenceId(persistenceId, fromSequence, long.MaxValue)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());

    /// <summary>Every persistence id in the journal (one query, not a replay).</summary>
    public async Task<IReadOnlyList<string>> PersistenceIdsAsync() =>
        await _journal.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), system.Materializer());
}
