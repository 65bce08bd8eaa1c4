using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Credentials;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.Van.Assignment;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;
using VanDeploymentId = Lfr.Actors.Van.DeploymentId;

namespace Lfr.Actors.ControlRoom.Watchlists;

public sealed record VanDispatchSettings
{
    /// <summary>How often what a van has not acknowledged (an assignment, a drop) is sent to it again.</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The time one chunk (~52 KB) may take on a van's link, added per chunk before an assignment is resent: a
    /// 17,000-entry watchlist (709 chunks, 35 MB) is not sent again while a mobile link is still carrying it.
    /// 50 ms a chunk assumes about 8 Mbit/s.
    /// </summary>
    public TimeSpan ChunkAllowance { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// An assignment still unacknowledged this long after it was issued is issued afresh (new transfer id and time)
    /// rather than resent: vans refuse one older than their <c>VanAssignmentSettings.MaxAge</c> (15 minutes) as stale.
    /// </summary>
    public TimeSpan ReissueAfter { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Sends each van what it may hold, and nothing else. A van is known from its <see cref="VanHello"/> (a van node of
/// the cluster says it on every (re)connection) and forgotten when it leaves the membership. When a deployment goes
/// live, each of its vans gets the deployment and its watchlist as embeddings only, in signed chunks; a van that joins
/// or comes back while one covers it gets it then, and a van that nothing covers is told to drop whatever it holds.
/// Every wipe and every end or suspension of a deployment tells every van to drop that watchlist. What a van has not
/// acknowledged is resent; each van's confirmation of a load or a drop is recorded in the audit log with its name.
/// After a (re)start it answers vans only once it has learnt from the deployments which of them are live.
/// </summary>
public sealed class VanDispatchActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly AssignmentSigner _key;
    private readonly TimeProvider _time;
    private readonly IActorRef _deployments;
    private readonly IActorRef _watchlists;
    private readonly IActorRef _audit;
    private readonly VanDispatchSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PeerIdentities _identities = PeerIdentities.Get(Context.System);

    /// <summary>Each van by name: where its assignment actor is.</summary>
    private readonly Dictionary<string, IActorRef> _vans = new(StringComparer.Ordinal);
    private readonly Dictionary<DeploymentId, DeploymentProtocol.DeploymentStarted> _live = [];

    /// <summary>Assignments sent and not yet acknowledged, by van.</summary>
    private readonly Dictionary<string, Outgoing> _outgoing = new(StringComparer.Ordinal);
    // the deployment whose watchlist was asked for on a van's behalf and has not come back yet: a second hello in the
    // meantime (a van says hello on every change of control room) must not start a second transfer of the same thing;
    // asked again once the answer is overdue (ResendInterval), in case it was lost
    private readonly Dictionary<string, (DeploymentId Deployment, long AskedAt)> _loading = new(StringComparer.Ordinal);

    /// <summary>Drops ordered and not yet confirmed, by van.</summary>
    private readonly Dictionary<string, DropAssignment> _drops = new(StringComparer.Ordinal);

    /// <summary>Open deployments whose state is still awaited after a (re)start.</summary>
    private readonly HashSet<DeploymentId> _awaited = [];

    /// <summary>What each van holds as last heard, for the ops console: one line per van, so bounded by the fleet.</summary>
    private readonly Dictionary<string, VanHolding> _holdings = new(StringComparer.Ordinal);

    public VanDispatchActor(AssignmentSigner key, IActorRef deployments, IActorRef watchlists, IActorRef audit, VanDispatchSettings settings,
        TimeProvider time)
    {
        _key = key;
        _time = time;
        _deployments = deployments;
        _watchlists = watchlists;
        _audit = audit;
        _settings = settings;
        Become(Recovering);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(AssignmentSigner key, IActorRef deployments, IActorRef watchlists, IActorRef audit, VanDispatchSettings? settings = null,
        TimeProvider? time = null) =>
        Akka.Actor.Props.Create(() => new VanDispatchActor(key, deployments, watchlists, audit, settings ?? new VanDispatchSettings(),
            time ?? TimeProvider.System));

    /// <summary>
    /// Until it knows which deployments are live, hellos wait: telling a van "nothing covers you" after a restart of the
    /// control room would stop its cameras for nothing.
    /// </summary>
    private void Recovering()
    {
        Receive<DeploymentProtocol.OpenDeployments>(open =>
        {
            _awaited.UnionWith(open.Deployments);
            foreach (var deployment in open.Deployments)
                _deployments.Tell(new DeploymentProtocol.GetDeployment(deployment));
            ReadyIfKnown();
        });
        Receive<DeploymentState>(state =>
        {
            if (!_awaited.Remove(state.Id)) return;
            if (state is { Status: DeploymentStatus.Live, Plan: { } plan } && !_live.ContainsKey(state.Id))
                _live[state.Id] = new DeploymentProtocol.DeploymentStarted(state.Id, plan.Watchlist, plan.Threshold, plan.Cameras, plan.Window.End);
            ReadyIfKnown();
        });
        Receive<VanHello>(_ => Stash.Stash());
        Common();
    }

    private void ReadyIfKnown()
    {
        if (_awaited.Count > 0) return;
        Become(Ready);
        Stash.UnstashAll();
    }

    private void Ready()
    {
        Receive<VanHello>(hello =>
        {
            // a member gets a van's watchlist only as the van its certificate names, and only at its own address
            if (!Vouched(hello.Van, hello)) return;
            _vans[hello.Van] = Sender;
            Sync(hello.Van);
        });
        Receive<DeploymentState>(_ => { });
        Common();
    }

    private void Common()
    {
        Receive<DeploymentProtocol.DeploymentStarted>(started =>
        {
            _live[started.Deployment] = started;
            foreach (var van in started.Vans.Where(_vans.ContainsKey))
                Load(van, started);
        });
        Receive<DeploymentProtocol.DeploymentThresholdChanged>(changed =>
        {
            if (!_live.TryGetValue(changed.Deployment, out var started)) return;
            _live[changed.Deployment] = started = started with { Threshold = changed.Threshold };
            foreach (var van in started.Vans.Where(_vans.ContainsKey))
                Load(van, started);
        });
        Receive<DeploymentProtocol.DeploymentEnded>(ended =>
        {
            _live.Remove(ended.Deployment);
            DropEverywhere(ended.Watchlist, $"deployment {ended.Deployment} ended");
        });
        Receive<DeploymentProtocol.DeploymentSuspended>(suspended =>
        {
            if (_live.Remove(suspended.Deployment, out var started))
                DropEverywhere(started.Watchlist, $"deployment {suspended.Deployment} suspended: {suspended.Reason}");
        });
        Receive<WatchlistProtocol.WatchlistWipeOrdered>(wipe =>
        {
            foreach (var deployment in _live.Values.Where(d => d.Watchlist == wipe.Watchlist).Select(d => d.Deployment).ToList())
                _live.Remove(deployment);
            DropEverywhere(wipe.Watchlist, "watchlist wiped");
        });

        Receive<WatchlistProtocol.WatchlistContents>(Send);
        Receive<WatchlistProtocol.LoadRefused>(refused =>
        {
            Hold(refused.Node, HoldingState.NotSent, _loading.GetValueOrDefault(refused.Node).Deployment.Value, refused.Watchlist.Value, null, refused.Reason);
            _loading.Remove(refused.Node);
            _log.Warning("Watchlist {Watchlist} not sent to {Van}: {Reason}", refused.Watchlist, refused.Node, refused.Reason);
        });
        Receive<AssignmentLoaded>(loaded =>
        {
            if (!Vouched(loaded.Van, loaded)) return;
            if (!_outgoing.TryGetValue(loaded.Van, out var outgoing) || outgoing.Offer.Transfer != loaded.Transfer) return;
            Forget(loaded.Van);
            Hold(loaded.Van, HoldingState.Holds, outgoing.Deployment.Value, outgoing.Offer.Watchlist, loaded.Entries, null);
            _audit.Tell(new AuditProtocol.Record(AuditKind.WatchlistLoadConfirmed, StaffId.System.Value, outgoing.Deployment.Value,
                outgoing.Offer.Watchlist, $"node={loaded.Van};entries={loaded.Entries}"));
            _log.Info("{Van} holds watchlist {Watchlist} for deployment {Deployment}: {Entries} entries", loaded.Van, outgoing.Offer.Watchlist,
                outgoing.Deployment, loaded.Entries);
        });
        Receive<AssignmentRefused>(refused =>
        {
            if (!Vouched(refused.Van, refused)) return;
            if (!_outgoing.TryGetValue(refused.Van, out var outgoing) || outgoing.Offer.Transfer != refused.Transfer) return;
            // not resent: the same bytes would be refused again; the van's next hello starts a fresh transfer
            Forget(refused.Van);
            Hold(refused.Van, HoldingState.Refused, outgoing.Deployment.Value, outgoing.Offer.Watchlist, null, refused.Reason);
            _audit.Tell(new AuditProtocol.Record(AuditKind.WatchlistLoadRefused, StaffId.System.Value, outgoing.Deployment.Value,
                outgoing.Offer.Watchlist, $"node={refused.Van};reason={refused.Reason}"));
            _log.Error("{Van} refused watchlist {Watchlist}: {Reason}", refused.Van, outgoing.Offer.Watchlist, refused.Reason);
        });
        Receive<AssignmentDropped>(dropped =>
        {
            if (!Vouched(dropped.Van, dropped)) return;
            if (!_drops.TryGetValue(dropped.Van, out var drop) || drop.Watchlist != dropped.Watchlist) return;
            _drops.Remove(dropped.Van);
            if (_holdings.ContainsKey(dropped.Van) || dropped.Entries > 0)
                Hold(dropped.Van, HoldingState.Dropped, null, dropped.Watchlist, dropped.Entries, drop.Reason);
            if (drop.Watchlist is null && dropped.Entries == 0) return;
            _audit.Tell(new AuditProtocol.Record(AuditKind.WatchlistWipeConfirmed, StaffId.System.Value, null, dropped.Watchlist ?? "any",
                $"node={dropped.Van};entries={dropped.Entries};reason={drop.Reason}"));
            _log.Info("{Van} dropped watchlist {Watchlist}: {Entries} entries", dropped.Van, dropped.Watchlist ?? "(any)", dropped.Entries);
        });
        Receive<Resend>(_ =>
        {
            foreach (var (van, drop) in _drops)
                if (_vans.TryGetValue(van, out var target)) target.Tell(drop);
            foreach (var (van, outgoing) in _outgoing.ToList())
                if (_vans.TryGetValue(van, out var target) &&
                    Stopwatch.GetElapsedTime(outgoing.SentAt) >= _settings.ResendInterval + outgoing.Chunks.Length * _settings.ChunkAllowance)
                {
                    if (Stale(outgoing)) Reissue(van, outgoing);
                    else Transmit(target, outgoing);
                }
        });

        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            foreach (var van in _vans.Where(v => v.Value.Path.Address == removed.Member.Address).Select(v => v.Key).ToList())
            {
                _vans.Remove(van);
                if (_holdings.TryGetValue(van, out var last)) _holdings[van] = last with { State = HoldingState.Gone, At = _time.GetUtcNow() };
            }
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<VanDispatchProtocol.GetVanHoldings>(_ =>
            Sender.Tell(new VanDispatchProtocol.VanHoldings([.. _holdings.Values.OrderBy(h => h.Van, StringComparer.Ordinal)])));
    }

    private void Hold(string van, HoldingState state, string? deployment, string? watchlist, int? entries, string? reason) =>
        _holdings[van] = new VanHolding(van, state, deployment, watchlist, entries, reason, _time.GetUtcNow());

    protected override void PreStart()
    {
        var events = Context.System.EventStream;
        foreach (var type in new[]
                 {
                     typeof(DeploymentProtocol.DeploymentStarted), typeof(DeploymentProtocol.DeploymentThresholdChanged),
                     typeof(DeploymentProtocol.DeploymentEnded), typeof(DeploymentProtocol.DeploymentSuspended),
                     typeof(WatchlistProtocol.WatchlistWipeOrdered),
                 })
            events.Subscribe(Self, type);
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer(nameof(Resend), Resend.Instance, _settings.ResendInterval);
        _deployments.Tell(DeploymentProtocol.GetOpenDeployments.Instance);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        foreach (var van in _outgoing.Keys.ToList())
            Forget(van);
    }

    /// <summary>Whether the sender may speak for <paramref name="van"/>; a message from anyone else is refused and logged.</summary>
    private bool Vouched(string van, object message)
    {
        if (_identities.Allows(Sender.Path.Address, LfrRole.Van, van)) return true;
        var identity = _identities.Of(Sender.Path.Address);
        _log.Warning("Refused {Message} from {Address} ({Identity}): only {Van}'s own certificate may speak for it", message.GetType().Name,
            Sender.Path.Address, identity?.ToString() ?? "identity not proven", van);
        return false;
    }

    /// <summary>What a van that just said hello must hear: what it may no longer hold, then what covers it now, if anything.</summary>
    private void Sync(string van)
    {
        var covering = _live.Values.FirstOrDefault(d => d.Vans.Contains(van, StringComparer.Ordinal));
        if (_drops.TryGetValue(van, out var drop))
            _vans[van].Tell(drop);
        else if (covering is null)
            Order(van, new DropAssignment(null, "no live deployment covers this van"));

        if (covering is null)
            Forget(van);
        else if (_outgoing.TryGetValue(van, out var outgoing) && outgoing.Deployment == covering.Deployment && !Stale(outgoing))
            Transmit(_vans[van], outgoing);
        else if (!(_loading.TryGetValue(van, out var loading) && loading.Deployment == covering.Deployment &&
                   Stopwatch.GetElapsedTime(loading.AskedAt) < _settings.ResendInterval))
            Load(van, covering);
    }

    private void Load(string van, DeploymentProtocol.DeploymentStarted started)
    {
        _loading[van] = (started.Deployment, Stopwatch.GetTimestamp());
        _watchlists.Tell(new WatchlistProtocol.LoadWatchlist(started.Watchlist, van));
    }

    private void Send(WatchlistProtocol.WatchlistContents contents)
    {
        if (_loading.TryGetValue(contents.Node, out var loading) && loading.Deployment == contents.Deployment) _loading.Remove(contents.Node);
        if (!_live.TryGetValue(contents.Deployment, out var started) || started.Watchlist != contents.Watchlist) return;
        var entries = contents.Entries.Select(e => new AssignedEntry(e.Id, e.Category, e.Embedding)).ToList();
        if (entries.Count != contents.Records.Count || contents.ModelSha256.Length == 0)
        {
            _log.Error("Watchlist {Watchlist} has entries without embeddings; it cannot be sent to {Van}", contents.Watchlist, contents.Node);
            return;
        }

        var chunks = entries.Chunk(EntriesPerChunk).ToList();
        var transfer = Guid.NewGuid();
        var unsigned = new AssignmentOffer(transfer, _time.GetUtcNow(), contents.Node, new VanDeploymentId(started.Deployment.Value), (float)started.Threshold,
            started.WindowEnd, contents.DailyWipe.At, contents.DailyWipe.TimeZone.Id, contents.Watchlist.Value, contents.ModelSha256, entries.Count, chunks.Count, []);
        var offer = unsigned with { Signature = AssignmentSignature.Compute(_key, unsigned, entries) };
        Forget(contents.Node);
        var outgoing = new Outgoing(offer, [.. chunks.Select((c, i) => new AssignmentChunk(transfer, i, c))], started.Deployment);
        _outgoing[contents.Node] = outgoing;
        Hold(contents.Node, HoldingState.Sending, started.Deployment.Value, contents.Watchlist.Value, entries.Count, null);
        if (_vans.TryGetValue(contents.Node, out var target))
            Transmit(target, outgoing);
    }

    private bool Stale(Outgoing outgoing) => _time.GetUtcNow() - outgoing.Offer.IssuedAt >= _settings.ReissueAfter;

    /// <summary>The same deployment's watchlist read and signed again, under a new transfer id and issue time.</summary>
    private void Reissue(string van, Outgoing outgoing)
    {
        Forget(van);
        if (_live.TryGetValue(outgoing.Deployment, out var started)) Load(van, started);
    }

    private static void Transmit(IActorRef van, Outgoing outgoing)
    {
        outgoing.SentAt = Stopwatch.GetTimestamp();
        van.Tell(outgoing.Offer);
        foreach (var chunk in outgoing.Chunks)
            van.Tell(chunk);
    }

    private void DropEverywhere(WatchlistId watchlist, string reason)
    {
        foreach (var van in _outgoing.Where(o => o.Value.Offer.Watchlist == watchlist.Value).Select(o => o.Key).ToList())
            Forget(van);
        foreach (var van in _vans.Keys)
            Order(van, new DropAssignment(watchlist.Value, reason));
    }

    private void Order(string van, DropAssignment drop)
    {
        _drops[van] = drop;
        if (_vans.TryGetValue(van, out var target)) target.Tell(drop);
    }

    /// <summary>No longer sends this van's pending assignment, and zeroes its embeddings.</summary>
    private void Forget(string van)
    {
        if (!_outgoing.Remove(van, out var outgoing)) return;
        foreach (var chunk in outgoing.Chunks)
        foreach (var entry in chunk.Entries)
            Array.Clear(entry.Embedding);
    }

    private sealed record Outgoing(AssignmentOffer Offer, AssignmentChunk[] Chunks, DeploymentId Deployment)
    {
        /// <summary>When it was last put on the link (a monotonic timestamp: this paces a network, not a deployment).</summary>
        public long SentAt { get; set; }
    }

    private sealed class Resend
    {
        public static readonly Resend Instance = new();
        private Resend() { }
    }
}

public static class VanDispatchHostingExtensions
{
    /// <summary>
    /// The control room's dispatch of assignments to vans, at <c>/user/van-dispatch</c>, registered as <see cref="VanDispatchActor"/>;
    /// as a cluster singleton, <c>/user/van-dispatch</c> on every control room is its proxy, which forwards a van's hello.
    /// Chain it after <c>WithLfrControlRoom</c>: it takes the watchlists from the <see cref="WatchlistAuthorityActor"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithVanDispatch(this AkkaConfigurationBuilder builder, AssignmentSigner key,
        VanDispatchSettings? settings = null, TimeProvider? time = null, ControlRoomPlacement placement = ControlRoomPlacement.Local) =>
        builder.WithActors((system, registry) => registry.Register<VanDispatchActor>(ControlRoomSingleton.Spawner(system, placement)(DispatchName,
            VanDispatchActor.Props(key, registry.Get<DeploymentsActor>(), registry.Get<WatchlistAuthorityActor>(), registry.Get<AuditLogActor>(),
                settings, time))));
}
