using Akka.Actor;
using Akka.Persistence;
using Lfr.Actors.ControlRoom.Persistence;

namespace Lfr.Actors.ControlRoom.Officers;

/// <summary>
/// Starts one <see cref="OfficerActor"/> per officer and forwards their commands to it. It remembers the officers
/// who are on duty or hold a tasking and starts them again after a restart, so that a tasking left unacknowledged
/// across the restart is still escalated on time without waiting for someone to touch that officer. An officer who
/// goes off duty with nothing open is retired from that list (the next command for them starts them again from
/// their own journal), so a long-running control room does not restart every officer it has ever seen.
/// </summary>
public sealed class OfficersActor : ReceivePersistentActor
{
    public const string DefaultPersistenceId = "officers";

    private readonly OfficerSettings _settings;
    private readonly IActorRef _watchlists;
    private readonly IActorRef _audit;
    private readonly TimeProvider _time;
    private readonly HashSet<OfficerId> _known = [];

    public OfficersActor(OfficerSettings settings, IActorRef watchlists, IActorRef audit, TimeProvider time, string persistenceId)
    {
        _settings = settings;
        _watchlists = watchlists;
        _audit = audit;
        _time = time;
        PersistenceId = persistenceId;

        Recover<Registered>(e => _known.Add(e.Officer));
        Recover<Retired>(e => _known.Remove(e.Officer));
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var officer in _known)
                ChildFor(officer);
        });

        Command<OfficerProtocol.IOfficerCommand>(command =>
        {
            if (_known.Contains(command.Officer))
                ChildFor(command.Officer).Forward(command);
            else
                Persist(new Registered(command.Officer), e =>
                {
                    _known.Add(e.Officer);
                    ChildFor(e.Officer).Forward(command);
                });
        });
        Command<OfficerActor.OffDutyWithNothingOpen>(idle =>
        {
            if (_known.Contains(idle.Officer))
                Persist(new Retired(idle.Officer), e => _known.Remove(e.Officer));
        });
    }

    public override string PersistenceId { get; }

    public static Props Props(OfficerSettings settings, IActorRef watchlists, IActorRef audit, TimeProvider time,
        string persistenceId = DefaultPersistenceId) =>
        Akka.Actor.Props.Create(() => new OfficersActor(settings, watchlists, audit, time, persistenceId));

    private IActorRef ChildFor(OfficerId officer)
    {
        var name = Uri.EscapeDataString(officer.Value);
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(JournalBackoff.Props(OfficerActor.Props(officer, _settings, _watchlists, _audit, _time, Self), "journal"), name) : child;
    }

    internal sealed record Registered(OfficerId Officer) : IControlRoomEvent;
    internal sealed record Retired(OfficerId Officer) : IControlRoomEvent;
}
