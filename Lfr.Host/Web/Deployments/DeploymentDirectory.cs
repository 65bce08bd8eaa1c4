using System.Diagnostics;
using Akka.Actor;
using System.Collections.Concurrent;
using Akka.Hosting;
using Lfr.Actors.ControlRoom;
using Microsoft.Extensions.DependencyInjection;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;

namespace Lfr.Host.Web.Deployments;

/// <summary>A tasking its officer has not acknowledged in time, for the operators to follow up.</summary>
public sealed record Escalation(string Deployment, string Alert, string Tasking, string Officer, DateTimeOffset At);

/// <summary>The journal as the web last read it: when, how long it took, and why it failed if it did.</summary>
public sealed record JournalHealth(bool Healthy, DateTimeOffset? LastReadAt, double LastReadMs, string? Error);

/// <summary>
/// Which deployments exist, and the escalated taskings not yet acknowledged, as a projection of the audit log: every
/// planned deployment has a <see cref="AuditKind.DeploymentPlanned"/> entry, and the officers' actors publish escalations
/// only on their own node's event stream. The log is read through Akka.Persistence.Query from where the last read
/// stopped, at most every <see cref="RefreshEvery"/>, so a read costs what was added since, not the whole trail; the
/// reads double as the console's journal health. No writing actor is asked anything.
/// </summary>
public sealed class DeploymentDirectory(ControlRoomGateway gateway, ActorSystem system, IServiceProvider services, TimeProvider time)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, Escalation> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<DeploymentId, DeploymentReading> _readings = new();
    private JournalReader? _journal;
    private long _readUpTo;
    private IReadOnlyList<DeploymentId> _known = [];
    private IReadOnlyList<Escalation> _escalations = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public JournalHealth Journal { get; private set; } = new(false, null, 0, "not read yet");

    public async Task<IReadOnlyList<DeploymentId>> KnownAsync()
    {
        if (time.GetUtcNow() - _readAt < RefreshEvery) return _known;
        await _refresh.WaitAsync();
        try
        {
            if (time.GetUtcNow() - _readAt < RefreshEvery) return _known;
            var clock = Stopwatch.StartNew();
            try
            {
                // a node without the control room's actors (a console) has no journal to read: 503 "not on this node"
                _ = gateway.Actors;
                _journal ??= new JournalReader(system);
                var added = await _journal.EventsAsync(AuditLogActor.DefaultPersistenceId, _readUpTo + 1);
                Fold(added.Select(e => (AuditEntry)e.Event));
                Journal = new JournalHealth(true, time.GetUtcNow(), clock.Elapsed.TotalMilliseconds, null);
            }
            catch (Exception e) when (e is not (OperationCanceledException or MissingActorRegistryEntryException))
            {
                Journal = new JournalHealth(false, Journal.LastReadAt, clock.Elapsed.TotalMilliseconds, e.GetBaseException().Message);
                throw;
            }
            finally
            {
                _readAt = time.GetUtcNow();
            }

            return _known;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Escalated taskings not acknowledged (or closed) since, oldest first.</summary>
    public async Task<IReadOnlyList<Escalation>> EscalationsAsync()
    {
        await KnownAsync();
        return _escalations;
    }

    private void Fold(IEnumerable<AuditEntry> added)
    {
        var known = _known.ToList();
        foreach (var entry in added)
        {
            _readUpTo = entry.Sequence;
            if (entry.Kind == AuditKind.DeploymentPlanned && entry.Deployment is { } planned && !known.Contains(new DeploymentId(planned)))
                known.Add(new DeploymentId(planned));
            if (entry.Kind is not (AuditKind.TaskingEscalated or AuditKind.TaskingAcknowledged or AuditKind.OutcomeRecorded or AuditKind.TaskingCancelled)) continue;
            var detail = entry.Detail.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (!detail.TryGetValue("tasking", out var tasking)) continue;
            if (entry.Kind == AuditKind.TaskingEscalated)
                _open[tasking] = new Escalation(entry.Deployment ?? "", entry.Subject, tasking, detail.GetValueOrDefault("officer", ""), entry.At);
            else
                _open.Remove(tasking);
        }

        _known = known;
        _escalations = _open.Values.OrderBy(e => e.At).ToArray();
    }

    /// <summary>Every known deployment's state, newest window first, each read from its own events stored since the last read.</summary>
    public async Task<IReadOnlyList<DeploymentState>> AllAsync()
    {
        var known = await KnownAsync();
        var settings = services.GetRequiredService<ControlRoomSettings>().Deployments;
        var states = await Task.WhenAll(known.Select(async id =>
        {
            var reading = await _readings.GetValueOrDefault(id, DeploymentReading.Of(id)).CatchUpAsync(_journal!, settings);
            _readings[id] = reading;
            return reading.State;
        }));
        return states.Where(s => s.Plan is not null).OrderByDescending(s => s.Plan!.Window.Start).ThenBy(s => s.Id.Value, StringComparer.Ordinal).ToArray();
    }

    public async Task<IReadOnlyList<DeploymentState>> LiveAsync() => (await AllAsync()).Where(s => s.Status == DeploymentStatus.Live).ToArray();

    /// <summary>A deployment planned through this web shows at once, before the next read of the trail.</summary>
    public void Planned(DeploymentId deployment)
    {
        if (!_known.Contains(deployment)) _known = [.. _known, deployment];
    }
}
