using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using static Lfr.Actors.Console.Health.NodeHealthProtocol;

namespace Lfr.Actors.Van.Link;

/// <summary>
/// What a van publishes for the cluster, passed from the van's own ActorSystem to its current cluster incarnation: its
/// cameras' health and its parts' <see cref="NodeCounters"/> (which the incarnation's <see cref="LiveViewRelay"/> and
/// node health reporter read from its event stream), and its operator view frames (given to this actor by the camera
/// graphs' view sink). Between incarnations they go nowhere; a new incarnation gets the latest counters at once.
/// </summary>
public sealed class VanUplink : ReceiveActor
{
    public const string Name = "van-uplink";

    private readonly Dictionary<string, NodeCounters> _counters = [];
    private IActorRef? _link;
    private bool _sameSystem;

    public VanUplink()
    {
        Receive<LinkProtocol.Attached>(attached =>
        {
            _link = attached.Link;
            _sameSystem = attached.Link.Path.Address.Equals(Self.Path.Address);
            foreach (var counters in _counters.Values) Publish(counters);
        });
        Receive<LinkProtocol.Detached>(detached =>
        {
            if (Equals(detached.Link, _link)) _link = null;
        });
        Receive<NodeCounters>(counters =>
        {
            _counters[counters.Source] = counters;
            Publish(counters);
        });
        Receive<CameraHealth>(Publish);
        Receive<OperatorViewFrame>(Publish);
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new VanUplink());

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(NodeCounters));
        Context.System.EventStream.Subscribe(Self, typeof(CameraHealth));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Publish(object e)
    {
        // a link in this very system (lfr demo, a van in one ActorSystem) shares its event stream: health and counters
        // are on it already, and publishing them again would bring them straight back here
        if (_sameSystem && e is not OperatorViewFrame) return;
        _link?.Tell(new LinkProtocol.Publish(e));
    }
}

public static class VanUplinkHostingExtensions
{
    /// <summary>The van's <see cref="VanUplink"/>, registered as such; give it to the camera graphs as their view sink.</summary>
    public static AkkaConfigurationBuilder WithVanUplink(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) => registry.Register<VanUplink>(system.ActorOf(VanUplink.Props(), VanUplink.Name)));
}
