using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>The registration extension a van node composes: the same one production uses.</summary>
[Collection(VanCollection.Name)]
public sealed class VanHostingSpecs(VanEngine van)
{
    [Fact]
    public async Task WithVanCameras_should_register_a_camera_supervisor_with_the_van_dispatchers()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        // what the generic host would provide; Lfr.Tests references only the hosting abstractions
        services.AddSingleton<IHostApplicationLifetime, Lifetime>();
        services.AddAkka("van-hosting", builder => builder
            .WithActors((system, registry) => registry.Register<AlertsForSpec>(system.ActorOf(CallbackAlertSink.Props(_ => { }))))
            .WithVanCameras(van.Engine, van.Settings, registry => registry.Get<AlertsForSpec>()));
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted) await service.StartAsync(CancellationToken.None);
        try
        {
            var cameras = await provider.GetRequiredService<IRequiredActor<VanCameras>>().GetAsync();
            var health = await cameras.Ask<VanHealth>(GetHealth.Instance, TimeSpan.FromSeconds(10));
            Assert.Empty(health.Cameras);
            var system = provider.GetRequiredService<ActorSystem>();
            Assert.True(system.Dispatchers.HasDispatcher(VanConfig.VisionDispatcher));
        }
        finally
        {
            foreach (var service in hosted) await service.StopAsync(CancellationToken.None);
        }
    }

    private sealed class AlertsForSpec;

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => _stopping.Cancel();
    }
}
