using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// One in-process cluster node built exactly as <c>lfr node</c> builds it (<see cref="LfrClusterHostingExtensions.WithLfrNode"/>),
/// on 127.0.0.1 with a port the OS picks, plus test-only HOCON (shorter failure-detection and split-brain timings).
/// </summary>
public sealed class LfrTestNode : IAsyncDisposable
{
    /// <summary>Detects a silent node in a few seconds and decides after 2 s of stable membership, so failure specs stay short.</summary>
    public static readonly Config FastFailureDetection = ConfigurationFactory.ParseString("""
        akka.cluster.failure-detector.heartbeat-interval = 500ms
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        akka.cluster.split-brain-resolver.stable-after = 2s
        lfr.cluster.health-report-interval = 300ms
        """);

    private readonly IHost _host;

    private LfrTestNode(IHost host, LfrNodeSettings settings)
    {
        _host = host;
        Settings = settings;
        System = host.Services.GetRequiredService<ActorSystem>();
        Registry = host.Services.GetRequiredService<ActorRegistry>();
    }

    public LfrNodeSettings Settings { get; }

    public ActorSystem System { get; }

    public ActorRegistry Registry { get; }

    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    public Address Address => Cluster.SelfAddress;

    /// <summary>A control room that starts a new cluster, with the policies of <paramref name="policies"/> (<see cref="Configured"/>).</summary>
    public static Task<LfrTestNode> StartControlRoomAsync(Config? hocon = null, Action<AkkaConfigurationBuilder>? modules = null, params string[] policies) =>
        StartAsync(new LfrNodeSettings { Role = LfrRole.ControlRoom, Port = 0 }.Policies(policies), hocon, modules);

    /// <summary>A node of <paramref name="role"/> that joins <paramref name="seed"/>.</summary>
    public static Task<LfrTestNode> StartJoiningAsync(LfrRole role, LfrTestNode seed, Config? hocon = null, Action<AkkaConfigurationBuilder>? modules = null,
        params string[] policies) =>
        StartAsync(new LfrNodeSettings { Role = role, Port = 0, Seeds = [seed.Address.ToString()] }.Policies(policies), hocon, modules);

    /// <param name="modules">What the role runs besides the cluster (the control room's actors, a van's outbox), chained after it.</param>
    public static async Task<LfrTestNode> StartAsync(LfrNodeSettings settings, Config? hocon = null, Action<AkkaConfigurationBuilder>? modules = null)
    {
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices(services => services.AddAkka(settings.ClusterName, akka =>
            {
                akka.WithLfrNode(settings);
                modules?.Invoke(akka);
                if (hocon is not null) akka.AddHocon(hocon, HoconAddMode.Prepend);
            }))
            .Build();
        await host.StartAsync();
        return new LfrTestNode(host, settings);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
