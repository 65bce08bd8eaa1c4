using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Lfr.Actors.Console.Health;
using static Lfr.Actors.Console.Health.NodeHealthProtocol;

namespace Lfr.Actors.Cluster;

/// <summary>
/// Runs on every node: sends this node's <see cref="NodeHealthReport"/> to the <see cref="NodeHealthMonitor"/> of
/// every console that is Up. Reports are periodic, so a lost one is replaced by the next; nothing waits for them.
/// Besides its own process counters, a report carries the latest <see cref="NodeCounters"/> each part of the node published.
/// </summary>
public sealed class NodeHealthReporter : ReceiveActor, IWithTimers
{
    public const string Name = "node-health-reporter";

    private readonly LfrRole _role;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Dictionary<string, IReadOnlyDictionary<string, long>> _published = [];

    public NodeHealthReporter(LfrRole role, TimeSpan interval, TimeProvider time)
    {
        _role = role;
        _interval = interval;
        _time = time;
        _started = time.GetUtcNow();
        Receive<Report>(_ => SendReports());
        Receive<NodeCounters>(counters => _published[counters.Source] = counters.Counters);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(NodeCounters));
        Timers.StartPeriodicTimer(nameof(Report), Report.Instance, TimeSpan.Zero, _interval);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void SendReports()
    {
        var state = _cluster.State;
        var consoles = state.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(LfrRoles.Console)).ToList();
        if (consoles.Count == 0) return;

        var now = _time.GetUtcNow();
        var counters = new Dictionary<string, long>
        {
            ["members"] = state.Members.Count,
            ["unreachable"] = state.Unreachable.Count,
            ["gc-heap-bytes"] = GC.GetGCMemoryInfo().HeapSizeBytes,
            ["threadpool-queue"] = ThreadPool.PendingWorkItemCount,
        };
        foreach (var published in _published.Values)
            foreach (var (name, value) in published)
                counters[name] = value;
        var report = new NodeHealthReport(_role, _cluster.SelfAddress.ToString(), _cluster.SelfMember.Status, now - _started, now, counters);
        foreach (var console in consoles)
            Context.ActorSelection(new RootActorPath(console.Address) / "user" / NodeHealthMonitor.Name).Tell(report);
    }

    public static Props Props(LfrRole role, TimeSpan interval, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new NodeHealthReporter(role, interval, time));

    private sealed class Report
    {
        public static Report Instance { get; } = new();

        private Report()
        {
        }
    }
}

public static class NodeHealthReporterHostingExtensions
{
    /// <summary>Starts this node's <see cref="NodeHealthReporter"/>, reporting every <c>lfr.cluster.health-report-interval</c>.</summary>
    public static AkkaConfigurationBuilder WithNodeHealthReporter(this AkkaConfigurationBuilder builder, LfrRole role, TimeProvider time) =>
        builder.WithActors((system, registry) =>
        {
            var interval = system.Settings.Config.GetTimeSpan("lfr.cluster.health-report-interval", null, allowInfinite: false);
            registry.Register<NodeHealthReporter>(system.ActorOf(NodeHealthReporter.Props(role, interval, time), NodeHealthReporter.Name));
        });
}
