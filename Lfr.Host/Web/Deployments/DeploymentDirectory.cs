using System.Diagnostics;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;

namespace Lfr.Host.Web.Deployments;

/// <summary>The journal as the web last read it: when, how long it took, and why it failed if it did.</summary>
public sealed record JournalHealth(bool Healthy, DateTimeOffset? LastReadAt, double LastReadMs, string? Error);

/// <summary>
/// Which deployments exist, read from the audit trail (every planned deployment has a <see cref="AuditKind.DeploymentPlanned"/>
/// entry; the deployments actor answers only for one id at a time). The trail is re-read at most every
/// <see cref="RefreshEvery"/>; the reads double as the console's journal health.
/// </summary>
public sealed class DeploymentDirectory(ControlRoomGateway gateway, TimeProvider time)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyList<DeploymentId> _known = [];
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
