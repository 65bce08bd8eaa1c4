using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van.Link;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision.Files;
using static Lfr.Actors.Console.Health.NodeHealthProtocol;
using static Lfr.Actors.Van.Outbox.OutboxProtocol;
// the intake's path is part of the protocol; the van runs no control-room code
using AlertIntake = Lfr.Actors.ControlRoom.Alerts.AlertIntake;

namespace Lfr.Actors.Van.Outbox;

public sealed record AlertOutboxSettings(string Path)
{
    /// <summary>How often alerts not yet confirmed as stored are sent again.</summary>
    public TimeSpan RedeliveryInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Alerts sent per redelivery round, oldest first: a van back from a long outage drains its outbox in steps
    /// instead of putting hundreds of crops on a mobile link at once.
    /// </summary>
    public int MaxPerRound { get; init; } = 50;

    /// <summary>
    /// The van's name (<c>Lfr:Node:NodeName</c>). Its cameras are named on the van alone (<c>front</c>); an alert leaves
    /// naming <c>VAN/CAMERA</c>, as deployments and operators name cameras, so two vans' <c>front</c> stay apart.
    /// </summary>
    public string? Van { get; init; }

    /// <summary>Wraps each outbox row's key; null: <see cref="MasterKey.Default"/> (the environment or the default key file).</summary>
    public MasterKey? MasterKey { get; init; }
}

/// <summary>
/// The van's durable alert outbox, the recognition graph's alert sink. A candidate is written to the outbox file before
/// the graph is acknowledged, so an alert acknowledged is an alert that survives a crash. It is then sent to the control
/// room's <see cref="AlertIntake"/> (found from cluster membership: the oldest reachable control-room member) and sent
/// again every <see cref="AlertOutboxSettings.RedeliveryInterval"/> until the control room answers that it has persisted
/// it; the control room recognises a resent alert by its id. Only alert candidates (matches) ever enter the outbox.
/// While no control room is reachable the van keeps recognising and the outbox fills; it drains when one comes back.
/// Its depth and the age of its oldest alert (from capture) go to the ops consoles with the node's health report, as
/// <see cref="NodeCounters"/> published on every change and every redelivery round.
/// </summary>
public sealed class AlertOutbox : ReceiveActor, IWithTimers
{
    public const string Name = "alert-outbox";

    /// <summary>Alerts on the van not yet stored at the control room (a node health counter).</summary>
    public const string PendingCounter = "outbox-pending";

    /// <summary>Milliseconds since the capture of the oldest alert still in the outbox; 0 when it is empty (a node health counter).</summary>
    public const string OldestAgeCounter = "outbox-oldest-age-ms";

    private readonly AlertOutboxSettings _settings;
    private readonly OrderedDictionary<AlertId, Pending> _pending = [];
    private readonly ControlRoomTarget _controlRoom = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeProvider _time;
    private OutboxStore? _store;

    public AlertOutbox(AlertOutboxSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;

        Receive<AlertProtocol.AlertCandidate>(raised =>
        {
            var candidate = Qualified(raised);
            if (!_pending.ContainsKey(candidate.Id))
            {
                Store.Add(candidate);
                LfrTelemetry.OutboxAccepted.Add(1);
                Keep(candidate);
                Send(candidate);
                PublishCounters();
            }
            Sender.Tell(new AlertProtocol.AlertAccepted(candidate.Id));
        });
        Receive<AlertStored>(stored =>
        {
            if (Remove(stored.Id)) _log.Debug("Alert {Alert} stored at the control room", stored.Id);
        });
        Receive<AlertRefused>(refused =>
        {
            if (Remove(refused.Id)) _log.Warning("Alert {Alert} refused by the control room and deleted: {Reason}", refused.Id, refused.Reason);
        });
        Receive<GetOutboxStatus>(_ => Sender.Tell(new OutboxStatus(_pending.Count, _controlRoom.Current?.Address)));
        Receive<Redeliver>(_ =>
        {
            SendRound();
            PublishCounters();
        });

        // membership comes from the van's link in its current cluster incarnation (ClusterLink)
        ReceiveAny(message =>
        {
            if (!_controlRoom.Follow(message, Sender, out var changed, out _)) Unhandled(message);
            else if (changed) Retargeted();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private OutboxStore Store => _store ?? throw new InvalidOperationException("the outbox file is not open");

    private AlertProtocol.AlertCandidate Qualified(AlertProtocol.AlertCandidate candidate) =>
        _settings.Van is { } van && !candidate.Camera.Value.Contains('/')
            ? candidate with { Camera = new CameraId($"{van}/{candidate.Camera.Value}") }
            : candidate;

    public static Props Props(AlertOutboxSettings settings, TimeProvider? time = null) =>
        Akka.Actor.Props.Create(() => new AlertOutbox(settings, time ?? TimeProvider.System));

    protected override void PreStart()
    {
        _store = new OutboxStore(_settings.Path, _settings.MasterKey ?? MasterKey.Default);
        foreach (var candidate in _store.Pending())
            Keep(candidate);
        if (_pending.Count > 0) _log.Info("Outbox opened with {Pending} alerts still to deliver", _pending.Count);
        Timers.StartPeriodicTimer(nameof(Redeliver), Redeliver.Instance, _settings.RedeliveryInterval);
        PublishCounters();
    }

    protected override void PostStop()
    {
        _store?.Dispose();
        LfrTelemetry.OutboxPending.Add(-_pending.Count);
    }

    private void Keep(AlertProtocol.AlertCandidate candidate)
    {
        _pending.Add(candidate.Id, new Pending(candidate, Stopwatch.GetTimestamp()));
        LfrTelemetry.OutboxPending.Add(1);
    }

    private bool Remove(AlertId id)
    {
        if (!_pending.Remove(id, out var pending)) return false;
        Store.Delete(id);
        LfrTelemetry.OutboxPending.Add(-1);
        LfrTelemetry.AlertDelivery.Record(Stopwatch.GetElapsedTime(pending.Since).TotalSeconds);
        PublishCounters();
        return true;
    }

    private void PublishCounters()
    {
        // oldest by capture, not by arrival: a held improvement or a reopened outbox may put an older capture later
        var oldest = _pending.Count == 0 ? 0 : (long)(_time.GetUtcNow() - _pending.Values.Min(p => p.Candidate.CapturedAt)).TotalMilliseconds;
        Context.System.EventStream.Publish(new NodeCounters(Name, new Dictionary<string, long>
        {
            [PendingCounter] = _pending.Count,
            [OldestAgeCounter] = Math.Max(0, oldest),
        }));
    }

    /// <summary>A new control room (or none) to deliver to: a new one gets the outbox at once.</summary>
    private void Retargeted()
    {
        if (_controlRoom.Current is not { } target)
        {
            // a warning only when something waits: an empty outbox losing its control room (a node leaving) is routine
            if (_pending.Count > 0) _log.Warning("No control room reachable; alerts wait in the outbox ({Pending} now)", _pending.Count);
            else _log.Info("No control room reachable; the outbox is empty");
            return;
        }
        _log.Info("Delivering alerts to the control room at {Address} ({Pending} waiting)", target.Address, _pending.Count);
        SendRound();
    }

    private void SendRound()
    {
        foreach (var pending in _pending.Values.Take(_settings.MaxPerRound))
            Send(pending.Candidate);
    }

    private void Send(AlertProtocol.AlertCandidate candidate) => _controlRoom.Send(AlertIntake.Name, candidate);

    private sealed record Pending(AlertProtocol.AlertCandidate Candidate, long Since);

    private sealed class Redeliver
    {
        public static Redeliver Instance { get; } = new();

        private Redeliver()
        {
        }
    }
}

public static class AlertOutboxHostingExtensions
{
    /// <summary>
    /// The van's alert outbox on its own thread (every insert waits for the disk), registered as <see cref="AlertOutbox"/>;
    /// give <c>registry =&gt; registry.Get&lt;AlertOutbox&gt;()</c> to <c>WithVanCameras</c> as the alert sink. <paramref name="linked"/>:
    /// its <see cref="ClusterLink"/> in this ActorSystem, which is then a cluster member; a van node passes false and links
    /// it from each of its cluster incarnations instead.
    /// </summary>
    public static AkkaConfigurationBuilder WithAlertOutbox(this AkkaConfigurationBuilder builder, AlertOutboxSettings settings, TimeProvider? time = null,
        bool linked = true)
    {
        builder.AddHocon(VanConfig.Default, HoconAddMode.Append);
        builder.WithActors((system, registry) =>
            registry.Register<AlertOutbox>(system.ActorOf(AlertOutbox.Props(settings, time).WithDispatcher(VanConfig.OutboxDispatcher), AlertOutbox.Name)));
        return linked ? builder.WithClusterLink(AlertOutbox.Name, registry => registry.Get<AlertOutbox>()) : builder;
    }
}
