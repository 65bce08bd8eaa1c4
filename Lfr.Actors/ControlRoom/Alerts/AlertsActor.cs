using Akka.Actor;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Retention;

namespace Lfr.Actors.ControlRoom.Alerts;

/// <summary>
/// Starts one <see cref="AlertDeskActor"/> per deployment and forwards to it. Officers' outcomes arrive on the
/// event stream, so that the officers' actors need no reference back to the desks.
/// </summary>
public sealed class AlertsActor : ReceiveActor
{
    public AlertsActor(AlertSettings settings, RetentionSettings retention, EncryptedImageStore images,
        IActorRef deployments, IActorRef watchlists, IActorRef officers, IActorRef audit, TimeProvider time)
    {
        Receive<AlertProtocol.IAlertCommand>(command =>
        {
            var name = Uri.EscapeDataString(command.Deployment.Value);
            var child = Context.Child(name);
            if (child.IsNobody())
                child = Context.ActorOf(JournalBackoff.Props(
                    AlertDeskActor.Props(command.Deployment, settings, retention, images, deployments, watchlists, officers, audit, time)
                        .WithDispatcher(ControlRoomActors.StoreDispatcher), "journal"), name);
            child.Forward(command);
        });
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(AlertProtocol.TaskingOutcome));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    public static Props Props(AlertSettings settings, RetentionSettings retention, EncryptedImageStore images,
        IActorRef deployments, IActorRef watchlists, IActorRef officers, IActorRef audit, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new AlertsActor(settings, retention, images, deployments, watchlists, officers, audit, time));
}
