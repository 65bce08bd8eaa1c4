using Akka.Actor;

namespace Lfr.Actors.ControlRoom.Officers;

/// <summary>Starts one <see cref="OfficerActor"/> per officer and forwards their commands to it.</summary>
public sealed class OfficersActor : ReceiveActor
{
    public OfficersActor(OfficerSettings settings, IActorRef watchlists, IActorRef audit, TimeProvider time)
    {
        Receive<OfficerProtocol.IOfficerCommand>(command =>
        {
            var name = Uri.EscapeDataString(command.Officer.Value);
            var child = Context.Child(name);
            if (child.IsNobody())
                child = Context.ActorOf(OfficerActor.Props(command.Officer, settings, watchlists, audit, time), name);
            child.Forward(command);
        });
    }

    public static Props Props(OfficerSettings settings, IActorRef watchlists, IActorRef audit, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new OfficersActor(settings, watchlists, audit, time));
}
