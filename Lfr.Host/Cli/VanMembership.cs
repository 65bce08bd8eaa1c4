using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Link;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lfr.Host.Cli;

/// <summary>
/// A van node's cluster membership, kept apart from the van itself. The van's cameras, recognition graph, watchlist and
/// outbox live in the van's own ActorSystem, which never joins a cluster and never stops while the process runs; its
/// membership is an ActorSystem of its own (remoting, cluster, split-brain resolver, the live view relay, the health
/// reporter and a <see cref="ClusterLink"/> per van actor), an <em>incarnation</em>. When the cluster downs the van (cut
/// off longer than <c>stable-after</c>, whatever the resolver's strategy) that incarnation shuts down, as Akka
/// requires; the van carries on alone, and a new incarnation starts at once and joins as soon as a seed answers. So
/// the van rejoins by itself, with no restart, and its outbox delivers what it raised meanwhile.
/// </summary>
public sealed class VanMembership(LfrNodeSettings settings, IServiceProvider services, TimeProvider time) : IHostedService
{
    /// <summary>A new incarnation that could not start (an address it cannot bind yet) is tried again after this.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly ILoggerFactory _logging = services.GetRequiredService<ILoggerFactory>();
    private readonly ILogger _log = services.GetRequiredService<ILoggerFactory>().CreateLogger<VanMembership>();
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private volatile ActorSystem? _current;

    /// <summary>How many incarnations have started (1 until the van is first downed).</summary>
    public int Incarnations { get; private set; }

    /// <summary>The current incarnation's cluster; null between incarnations.</summary>
    public Akka.Cluster.Cluster? Cluster => _current is { WhenTerminated.IsCompleted: false } system ? Akka.Cluster.Cluster.Get(system) : null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // the van starts recognising at once; joining waits for nothing and for no one
        _running = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        // the van's own ActorSystem is up (its hosted service started first): its actors are registered
        var van = services.GetRequiredService<ActorRegistry>();
        while (!stopping.IsCancellationRequested)
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
            // the node's own logging: one log for the van and every incarnation of its membership
            builder.Services.AddSingleton(_logging);
            builder.Services.AddAkka(settings.ClusterName, akka => akka.WithVanMembership(settings, _ => van, time));
            using var host = builder.Build();
            try
            {
                await host.StartAsync(stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogWarning("The van's cluster membership could not start ({Reason}); trying again in {Delay}", e.GetBaseException().Message, RetryAfter);
                await Delay(RetryAfter, stopping);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var system = host.Services.GetRequiredService<ActorSystem>();
            _current = system;
            Incarnations++;
            await Task.WhenAny(system.WhenTerminated, Delay(Timeout.InfiniteTimeSpan, stopping));
            // a graceful leave on the node's stop; after a downing, what is left of the incarnation
            await host.StopAsync(CancellationToken.None);
            _current = null;
            if (stopping.IsCancellationRequested) return;
            _log.LogWarning("The van was removed from the cluster (downed); it carries on alone and a new membership joins {Seeds}",
                string.Join(", ", settings.Seeds));
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}

/// <summary>
/// A van's <c>/readyz</c> line for its membership: healthy while the current incarnation is an Up member that reaches a
/// control room. Cut off, the van is not ready for the cluster, but it keeps recognising and its outbox keeps every alert.
/// </summary>
public sealed class VanMembershipCheck(VanMembership membership) : IAkkaHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken = default)
    {
        const string alone = "the van carries on alone: its cameras, watchlist and outbox keep working";
        if (membership.Cluster is not { } cluster)
            return Task.FromResult(HealthCheckResult.Unhealthy($"no cluster membership now (a new one is starting); {alone}"));
        var self = cluster.SelfMember;
        if (self.Status != MemberStatus.Up)
            return Task.FromResult(HealthCheckResult.Unhealthy($"{self.Address} is {self.Status}, not Up; {alone}"));
        var state = cluster.State;
        var reachable = state.Members.Any(m => m.HasRole(LfrRoles.ControlRoom) && m.Status == MemberStatus.Up && !state.Unreachable.Contains(m));
        return Task.FromResult(reachable
            ? HealthCheckResult.Healthy($"{self.Address} is Up (membership {membership.Incarnations})")
            : HealthCheckResult.Unhealthy($"{self.Address} is Up but reaches no control room; {alone}"));
    }
}

public static class VanMembershipHosting
{
    /// <summary>
    /// The van's own ActorSystem in a van node (<c>lfr node --role van --data DIR</c>): the van's parts
    /// (<see cref="VanNodeHosting.WithVanNode"/>), its logging and hocon, and <c>/healthz</c> and <c>/readyz</c> lines that
    /// outlive every cluster incarnation. It joins no cluster: <paramref name="membership"/> does, from ActorSystems of its own.
    /// </summary>
    public static AkkaConfigurationBuilder WithVanOnItsOwn(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, VanMembership membership,
        TimeProvider time) =>
        builder
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .AddHocon(LfrHocon.Load(LfrRole.Van), HoconAddMode.Prepend)
            .WithActorSystemLivenessCheck(tags: [LfrHealthChecks.Live])
            .WithHealthCheck("cluster-member-up", new VanMembershipCheck(membership), tags: [LfrHealthChecks.Ready])
            .WithVanNode(settings, time);
}
