using Akka.Actor;

namespace Lfr.Actors.ControlRoom.Deployments;

/// <summary>Starts one <see cref="DeploymentActor"/> per deployment id and forwards its commands to it.</summary>
public sealed class DeploymentsActor : ReceiveActor
{
    public DeploymentsActor(DeploymentSettings settings, IActorRef audit, TimeProvider time)
    {
        Receive<DeploymentProtocol.IDeploymentCommand>(command =>
        {
            var name = Uri.EscapeDataString(command.Deployment.Value);
            var child = Context.Child(name);
            if (child.IsNobody())
                child = Context.ActorOf(DeploymentActor.Props(command.Deployment, settings, audit, time), name);
            child.Forward(command);
        });
    }

    public static Props Props(DeploymentSettings settings, IActorRef audit, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new DeploymentsActor(settings, audit, time));
}
