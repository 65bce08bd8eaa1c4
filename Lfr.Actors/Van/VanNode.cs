using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Link;
using Lfr.Actors.Van.Outbox;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision;
using Lfr.Vision.Files;
using Lfr.Vision.Matching;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lfr.Actors.Van;

public static class VanNodeHosting
{
    /// <summary>The outbox file in a van's data folder.</summary>
    public const string OutboxFile = "outbox.db";

    /// <summary>
    /// What a van runs besides the cluster parts, from its node settings: the face models (loaded once, here, so that a
    /// missing or refused model stops the start with its reason), the durable alert outbox in the data folder as the
    /// recognition graph's alert sink, the <see cref="VanUplink"/> as its view sink, the configured cameras, and the van's
    /// assignment from the control room (its deployment and watchlist, verified with the control room's public assignment key). Frames are
    /// processed only while a deployment is live on the van. None of it needs the cluster: each reaches it through its
    /// <see cref="ClusterLink"/> in the van's membership (<see cref="WithVanMembership"/>), in this ActorSystem or another.
    /// <paramref name="sharedEngine"/>: the face models where the process holds them already (lfr demo); it stays theirs.
    /// </summary>
    public static AkkaConfigurationBuilder WithVanNode(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider time,
        FaceEngine? sharedEngine = null)
    {
        var dataFolder = settings.DataFolder ?? throw new ArgumentException("a van node's cameras and outbox need a data folder", nameof(settings));
        PrivateFiles.Tighten(dataFolder);
        // a frame's tiles and faces two at a time: detection and embedding each use both cores when the other stage idles
        var engine = sharedEngine ?? FaceEngine.Load(new FaceEngineOptions { Parallelism = 2 });
        var pipeline = new VanPipelineSettings
        {
            Likelihood = LikelihoodMap.From(CalibrationStore.ForModel(engine.EmbeddingModelSha256)),
            DetectorBudget = settings.DetectorBudget,
            View = settings.LiveView,
        };
        return builder
            .WithHealthCheck("van-models", new ModelsLoadedCheck(engine), tags: [LfrHealthChecks.Ready])
            .WithAlertOutbox(new AlertOutboxSettings(Path.Combine(dataFolder, OutboxFile)) { Van = settings.Name, MasterKey = settings.LoadMasterKey() }, linked: false)
            .WithVanUplink()
            .WithVanCameras(engine, pipeline, registry => registry.Get<AlertOutbox>(), settings.Van.CameraRestart,
                views: registry => _ => LiveViewRelay.Sink(registry.Get<VanUplink>()))
            .WithVanAssignment(new VanAssignmentSettings(settings.Name, settings.LoadAssignmentVerifier(), engine.EmbeddingModelSha256), time, linked: false)
            .WithActors((system, registry) =>
            {
                var cameras = registry.Get<VanCameras>();
                foreach (var camera in settings.Cameras) cameras.Tell(new CameraSupervisorProtocol.StartCamera(camera.ToSpec()));
                // after every actor has stopped, so no camera graph is still inside a model
                if (sharedEngine is null) system.RegisterOnTermination(engine.Dispose);
            });
    }

    /// <summary>
    /// One incarnation of a van's cluster membership (<c>VanMembership</c> in <c>lfr node</c>): the cluster parts, the live view
    /// relay, and a <see cref="ClusterLink"/> for each of the van's actors of <see cref="WithVanNode"/>, found in
    /// <paramref name="van"/>'s registry (this system's own, or the van's ActorSystem that outlives this one).
    /// </summary>
    public static AkkaConfigurationBuilder WithVanMembership(this AkkaConfigurationBuilder builder, LfrNodeSettings settings,
        Func<IActorRegistry, IActorRegistry> van, TimeProvider time) =>
        builder.WithLfrCluster(settings, time).WithVanLinks(settings, van, time);

    /// <summary>
    /// What joins a van to a member whose cluster parts are composed: the live view relay and a <see cref="ClusterLink"/>
    /// for each of the van's actors, found in <paramref name="van"/>'s registry.
    /// </summary>
    public static AkkaConfigurationBuilder WithVanLinks(this AkkaConfigurationBuilder builder, LfrNodeSettings settings,
        Func<IActorRegistry, IActorRegistry> van, TimeProvider time) =>
        builder.WithLiveViewRelay(settings, time)
            .WithClusterLink(AlertOutbox.Name, registry => van(registry).Get<AlertOutbox>())
            .WithClusterLink(AssignmentProtocol.VanName, registry => van(registry).Get<VanAssignmentActor>())
            .WithClusterLink(VanUplink.Name, registry => van(registry).Get<VanUplink>())
            .WithClusterLink(CameraSupervisor.Name, registry => van(registry).Get<VanCameras>());
}

/// <summary>Ready once the van's face models are loaded and verified (they are, by the time the node starts).</summary>
public sealed class ModelsLoadedCheck(FaceEngine engine) : IAkkaHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy($"models loaded (embedder {engine.EmbeddingModelSha256[..12]})"));
}
