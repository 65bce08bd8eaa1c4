using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Link;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Actors.Van.Assignment;

/// <param name="Van">This van's name, as deployments name it in their cameras (<c>VAN/CAMERA</c>).</param>
/// <param name="Key">The public half of the control room's assignment key: assignments are verified with it.</param>
/// <param name="ModelSha256">The embedding model this van's cameras run; a watchlist enrolled with another is refused.</param>
public sealed record VanAssignmentSettings(string Van, AssignmentVerifier Key, string ModelSha256)
{
    /// <summary>How often a van that has had no answer from the control room asks again.</summary>
    public TimeSpan HelloInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// An assignment issued longer ago than this is refused as stale, so one recorded on the way cannot be played back to
    /// a van later (after a wipe, or to a restarted van that remembers nothing). The control room issues a pending
    /// assignment afresh well before this (<c>VanDispatchSettings.ReissueAfter</c>).
    /// </summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How far ahead of the van's clock an issue time may be (the two clocks are never quite the same).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// The van's side of its assignment. It finds the control room from cluster membership (the oldest reachable
/// control-room member, as its <see cref="ClusterLink"/> in the van's current cluster incarnation sees it; the actor
/// outlives every incarnation, and so does what it holds) and says hello to it on every (re)connection, so the first thing a (re)joining van hears is
/// its current assignment or that it has none. It assembles an assignment's chunks, verifies the whole (signature,
/// count, model, van) before anything is swapped, and only then tells the <see cref="CameraSupervisor"/> the
/// deployment is live with the new <see cref="WatchlistIndex"/>. The watchlist lives in memory only: it is dropped
/// (the index zeroed, matching stopped) when the control room says so, at the deployment's window end and at the
/// daily wipe time the control room sent with it, even while the control room is out of reach.
/// </summary>
public sealed class VanAssignmentActor : ReceiveActor, IWithTimers
{
    private readonly VanAssignmentSettings _settings;
    private readonly IActorRef _cameras;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ControlRoomTarget _controlRoom = new();
    private bool _answered;
    private AssignmentAssembler? _assembling;
    private Held? _held;
    private ITimer? _windowEnd;
    private ITimer? _dailyWipe;
    // what this van has accepted: a transfer seen before, or one issued before the latest accepted, is a replay
    private readonly HashSet<Guid> _accepted = [];
    private readonly Queue<Guid> _acceptedOrder = new();
    private DateTimeOffset? _lastIssuedAt;

    public VanAssignmentActor(VanAssignmentSettings settings, IActorRef cameras, TimeProvider time)
    {
        _settings = settings;
        _cameras = cameras;
        _time = time;

        Receive<AssignmentOffer>(Handle);
        Receive<AssignmentChunk>(Handle);
        Receive<DropAssignment>(drop =>
        {
            _answered = true;
            if (drop.Watchlist is null || _assembling?.Offer.Watchlist == drop.Watchlist)
                StopAssembling();
            var entries = _held is { } held && (drop.Watchlist is null || held.Watchlist == drop.Watchlist) ? Drop(drop.Reason) : 0;
            _controlRoom.Reply(Sender, new AssignmentDropped(_settings.Van, drop.Watchlist, entries));
        });
        Receive<WindowEnded>(ended =>
        {
            if (_held?.Transfer == ended.Transfer) Drop("the deployment's window ended");
        });
        Receive<DailyWipeDue>(due =>
        {
            if (_held?.Transfer != due.Transfer) return;
            StopAssembling();
            Drop("daily wipe");
        });
        Receive<CameraSupervisorProtocol.DeploymentApplied>(_ => { });
        Receive<GetAssignment>(_ => Sender.Tell(new AssignmentStatus(_held?.Deployment, _held?.Watchlist, _held?.Index.Count ?? 0,
            _controlRoom.Current?.Address, _held?.NextWipe)));
        Receive<Hello>(_ =>
        {
            if (!_answered) SayHello();
        });

        // membership comes from the van's link in its current cluster incarnation (ClusterLink)
        ReceiveAny(message =>
        {
            if (!_controlRoom.Follow(message, Sender, out var changed, out var back)) Unhandled(message);
            // back from a cut-off: the control room may have wiped or ended what this van holds meanwhile
            else if (changed || back) Retarget();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(VanAssignmentSettings settings, IActorRef cameras, TimeProvider? time = null) =>
        Akka.Actor.Props.Create(() => new VanAssignmentActor(settings, cameras, time ?? TimeProvider.System));

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Hello), Hello.Instance, _settings.HelloInterval);

    protected override void PostStop()
    {
        _windowEnd?.Dispose();
        _dailyWipe?.Dispose();
        StopAssembling();
        // a restarted actor holds nothing, so the cameras must not go on matching against what it held
        if (_held is not null) Drop("the van's assignment actor stopped");
    }

    private void Handle(AssignmentOffer offer)
    {
        _answered = true;
        if (_held?.Transfer == offer.Transfer)
        {
            // a resend: the acknowledgement was lost on the way back
            _controlRoom.Reply(Sender, new AssignmentLoaded(offer.Transfer, _settings.Van, _held.Index.Count));
            return;
        }
        if (_assembling?.Offer.Transfer == offer.Transfer) return;
        if (Refusal(offer) is { } refusal)
        {
            // nothing is buffered and nothing held is touched; the next hello asks the control room afresh
            _answered = false;
            _log.Warning("Assignment {Transfer} refused before any chunk was taken: {Reason}", offer.Transfer, refusal);
            _controlRoom.Reply(Sender, new AssignmentRefused(offer.Transfer, _settings.Van, refusal));
            return;
        }

        // an assignment for another deployment or watchlist means the one held is no longer authorised here
        if (_held is { } held && (held.Deployment != offer.Deployment || held.Watchlist != offer.Watchlist))
            Drop($"replaced by deployment {offer.Deployment}");
        StopAssembling();
        _assembling = new AssignmentAssembler(offer);
        if (_assembling.IsComplete) Finish(Sender);
    }

    /// <summary>Why an offer is refused on its head alone, before a chunk is buffered: its size, its van, replay and age.</summary>
    private string? Refusal(AssignmentOffer offer)
    {
        var now = _time.GetUtcNow();
        if (!string.Equals(offer.Van, _settings.Van, StringComparison.Ordinal))
            return $"the assignment is for {offer.Van}, not for this van ({_settings.Van})";
        if (offer.Count is < 0 or > MaxEntries)
            return $"{offer.Count} entries announced; a van takes at most {MaxEntries}";
        if (offer.Chunks != ChunksFor(offer.Count))
            return $"{offer.Chunks} chunks announced for {offer.Count} entries, which come in {ChunksFor(offer.Count)}";
        if (_accepted.Contains(offer.Transfer))
            return $"transfer {offer.Transfer:N} was accepted before: a replay";
        // the same instant is not a replay (a threshold change right after a start); the same transfer id is, above
        if (_lastIssuedAt is { } last && offer.IssuedAt < last)
            return $"issued at {offer.IssuedAt:u}, before the assignment accepted last ({last:u}): a replay";
        if (now - offer.IssuedAt > _settings.MaxAge)
            return $"issued at {offer.IssuedAt:u}, more than {_settings.MaxAge.TotalMinutes:0} minutes ago: stale";
        if (offer.IssuedAt - now > _settings.ClockSkew)
            return $"issued at {offer.IssuedAt:u}, ahead of this van's clock ({now:u})";
        return null;
    }

    private void Accepted(AssignmentOffer offer)
    {
        _lastIssuedAt = offer.IssuedAt;
        if (!_accepted.Add(offer.Transfer)) return;
        _acceptedOrder.Enqueue(offer.Transfer);
        // the issue time refuses anything older anyway; the ids only need to cover the newest few
        if (_acceptedOrder.Count > 1000) _accepted.Remove(_acceptedOrder.Dequeue());
    }

    private void Handle(AssignmentChunk chunk)
    {
        if (_assembling is null || !_assembling.Add(chunk))
        {
            if (_held?.Transfer != chunk.Transfer) _log.Debug("Chunk {Index} of transfer {Transfer} not expected; ignored", chunk.Index, chunk.Transfer);
            foreach (var entry in chunk.Entries) Array.Clear(entry.Embedding);
            return;
        }
        if (_assembling.IsComplete) Finish(Sender);
    }

    private void Finish(IActorRef controlRoom)
    {
        var assembler = _assembling!;
        _assembling = null;
        var offer = assembler.Offer;
        TimeZoneInfo? zone = null;
        var (index, problem) = assembler.Verify(_settings.Key, _settings.Van, _settings.ModelSha256);
        if (index is not null && offer.WindowEnd <= _time.GetUtcNow())
        {
            index.Wipe();
            (index, problem) = (null, $"the deployment's window ended at {offer.WindowEnd:u}");
        }
        if (index is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(offer.DailyWipeZone, out zone))
        {
            index.Wipe();
            (index, problem) = (null, $"the daily wipe's time zone {offer.DailyWipeZone} is unknown on this van, which could not keep it");
        }
        if (index is null)
        {
            _log.Warning("Assignment {Transfer} for deployment {Deployment} refused, nothing swapped: {Reason}", offer.Transfer, offer.Deployment, problem);
            _controlRoom.Reply(controlRoom, new AssignmentRefused(offer.Transfer, _settings.Van, problem!));
            return;
        }

        Accepted(offer);
        var previous = _held;
        _cameras.Tell(new CameraSupervisorProtocol.DeploymentStarted(offer.Deployment, offer.Threshold, index));
        // the cameras read the new snapshot from their next frame on; the old one is of no use to anyone now
        previous?.Index.Wipe();
        var now = _time.GetUtcNow();
        var nextWipe = new DailyWipeSchedule(offer.DailyWipeAt, zone!).Next(now);
        _held = new Held(offer.Transfer, offer.Deployment, offer.Watchlist, index, nextWipe);
        _windowEnd?.Dispose();
        var self = Self;
        _windowEnd = _time.CreateTimer(_ => self.Tell(new WindowEnded(offer.Transfer)), null,
            offer.WindowEnd - now, Timeout.InfiniteTimeSpan);
        // the control room's daily wipe, kept on the van's own clock even while no control room is reachable
        _dailyWipe?.Dispose();
        _dailyWipe = _time.CreateTimer(_ => self.Tell(new DailyWipeDue(offer.Transfer)), null, nextWipe - now, Timeout.InfiniteTimeSpan);
        _log.Info("Deployment {Deployment} assigned with watchlist {Watchlist}: {Entries} entries, threshold {Threshold}",
            offer.Deployment, offer.Watchlist, index.Count, offer.Threshold);
        _controlRoom.Reply(controlRoom, new AssignmentLoaded(offer.Transfer, _settings.Van, index.Count));
    }

    /// <summary>Stops matching at once, then zeroes the watchlist; returns how many entries it held.</summary>
    private int Drop(string reason)
    {
        var held = _held!;
        _held = null;
        _windowEnd?.Dispose();
        _dailyWipe?.Dispose();
        _cameras.Tell(new CameraSupervisorProtocol.DeploymentEnded(held.Deployment));
        held.Index.Wipe();
        _log.Info("Watchlist {Watchlist} of deployment {Deployment} dropped ({Reason}): {Entries} entries", held.Watchlist, held.Deployment, reason,
            held.Index.Count);
        return held.Index.Count;
    }

    private void StopAssembling()
    {
        _assembling?.Discard();
        _assembling = null;
    }

    /// <summary>A new control room (or one back from a cut-off) is asked at once.</summary>
    private void Retarget()
    {
        _answered = false;
        SayHello();
    }

    private void SayHello() => _controlRoom.Send(DispatchName, new VanHello(_settings.Van));

    private sealed record Held(Guid Transfer, DeploymentId Deployment, string Watchlist, WatchlistIndex Index, DateTimeOffset NextWipe);

    private sealed record WindowEnded(Guid Transfer);

    private sealed record DailyWipeDue(Guid Transfer);

    private sealed class Hello
    {
        public static readonly Hello Instance = new();
        private Hello() { }
    }
}

public static class VanAssignmentHostingExtensions
{
    /// <summary>
    /// The van's assignment from the control room, at <c>/user/van-assignment</c>, registered as
    /// <see cref="VanAssignmentActor"/>. Chain it after <c>WithVanCameras</c>: it drives the van's <see cref="VanCameras"/>.
    /// <paramref name="linked"/>: its <see cref="ClusterLink"/> in this ActorSystem, which is then a cluster member; a van
    /// node passes false and links it from each of its cluster incarnations instead.
    /// </summary>
    public static AkkaConfigurationBuilder WithVanAssignment(this AkkaConfigurationBuilder builder, VanAssignmentSettings settings,
        TimeProvider? time = null, bool linked = true)
    {
        builder.WithActors((system, registry) => registry.Register<VanAssignmentActor>(
            system.ActorOf(VanAssignmentActor.Props(settings, registry.Get<VanCameras>(), time), VanName)));
        return linked ? builder.WithClusterLink(VanName, registry => registry.Get<VanAssignmentActor>()) : builder;
    }
}
