using System.Diagnostics;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;

namespace Lfr.Host.Web.Deployments;

/// <summary>A tasking its officer has not acknowledged in time, for the operators to follow up.</summary>
public sealed record Escalation(string Deployment, string Alert, string Tasking, string Officer, DateTimeOffset At);

/// <summary>The journal as the web last read it: when, how long it took, and why it failed if it did.</summary>
public sealed record JournalHealth(bool Healthy, DateTimeOffset? LastReadAt, double LastReadMs, string? Error);

/// <summary>
/// Which deployments exist, read from the audit trail (every planned deployment has a <see cref="AuditKind.DeploymentPlanned"/>
/// entry; the deployments actor answers only for one id at a time). The trail is re-read at most every
/// <see cref="RefreshEvery"/>; the reads double as the console's journal health. The same read finds the escalated
/// taskings not yet acknowledged (the officers' actors publish escalations only on their own node's event stream).
/// </summary>
public sealed class DeploymentDirectory(ControlRoomGateway gateway, TimeProvider time)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _refresh = new(1, 1);
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
                var trail = await gateway.Trail();
                _known = trail.Entries.Where(e => e.Kind == AuditKind.DeploymentPlanned && e.Deployment is not null)
                    .Select(e => new DeploymentId(e.Deployment!)).Distinct().ToArray();
                _escalations = Outstanding(trail.Entries);
                Journal = new JournalHealth(true, time.GetUtcNow(), clock.Elapsed.TotalMilliseconds, null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
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

    private static Escalation[] Outstanding(IReadOnlyList<AuditEntry> trail)
    {
        var open = new Dictionary<string, Escalation>(StringComparer.Ordinal);
        foreach (var entry in trail)
        {
            if (entry.Kind is not (AuditKind.TaskingEscalated or AuditKind.TaskingAcknowledged or AuditKind.OutcomeRecorded or AuditKind.TaskingCancelled)) continue;
            var detail = entry.Detail.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (!detail.TryGetValue("tasking", out var tasking)) continue;
            if (entry.Kind == AuditKind.TaskingEscalated)
                open[tasking] = new Escalation(entry.Deployment ?? "", entry.Subject, tasking, detail.GetValueOrDefault("officer", ""), entry.At);
            else
                open.Remove(tasking);
        }

        return open.Values.OrderBy(e => e.At).ToArray();
    }

    /// <summary>Every known deployment's state, newest window first.</summary>
    public async Task<IReadOnlyList<DeploymentState>> AllAsync()
    {
        var states = await Task.WhenAll((await KnownAsync()).Select(id => gateway.Deployment(new DeploymentProtocol.GetDeployment(id))));
        return states.Where(s => s.Plan is not null).OrderByDescending(s => s.Plan!.Window.Start).ThenBy(s => s.Id.Value, StringComparer.Ordinal).ToArray();
    }

    public async Task<IReadOnlyList<DeploymentState>> LiveAsync() => (await AllAsync()).Where(s => s.Status == DeploymentStatus.Live).ToArray();

    /// <summary>A deployment planned through this web shows at once, before the next read of the trail.</summary>
    public void Planned(DeploymentId deployment)
    {
        if (!_known.Contains(deployment)) _known = [.. _known, deployment];
    }
}
