using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision;
using Lfr.Vision.Matching;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Host.Standalone;

/// <summary>
/// A van's recognition in this process without a cluster, for <c>lfr watch</c> and the benchmarks: an ActorSystem of its
/// own with Akka's log lines on standard error (standard output is the command's result), the van's camera supervisor on
/// the given engine and settings, a deployment already live, and each alert handed to a callback and acknowledged.
/// </summary>
public sealed class StandaloneVan : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
    private readonly ActorSystem _system;
    private readonly IActorRef _cameras;

    private StandaloneVan(ActorSystem system, IActorRef cameras)
    {
        _system = system;
        _cameras = cameras;
    }

    /// <summary>Starts the van with <paramref name="watchlist"/> live at <paramref name="threshold"/>; no camera yet.</summary>
    public static async Task<StandaloneVan> StartAsync(string name, FaceEngine engine, VanPipelineSettings settings, WatchlistIndex watchlist,
        float threshold, Action<AlertProtocol.AlertCandidate>? onAlert = null)
    {
        var config = ConfigurationFactory.ParseString(StandardErrorLogger.Hocon).WithFallback(VanConfig.Default);
        var system = ActorSystem.Create(name, config);
        try
        {
            var sink = system.ActorOf(CallbackAlertSink.Props(onAlert ?? (_ => { })), "alerts");
            var cameras = system.ActorOf(CameraSupervisor.Props(engine, settings, sink), "cameras");
            await cameras.Ask<DeploymentApplied>(new DeploymentStarted(new DeploymentId(name), threshold, watchlist), AskTimeout);
            return new StandaloneVan(system, cameras);
        }
        catch
        {
            system.Dispose();
            throw;
        }
    }

    public void Start(CameraSpec camera) => _cameras.Tell(new StartCamera(camera));

    public async Task<IReadOnlyList<CameraHealth>> HealthAsync() =>
        (await _cameras.Ask<VanHealth>(GetHealth.Instance, AskTimeout)).Cameras;

    /// <summary>
    /// Reads the cameras' health every <paramref name="every"/> until <paramref name="done"/> says so (it may throw, to
    /// fail the run), and returns that last reading. Past <paramref name="within"/> it throws a <see cref="TimeoutException"/>;
    /// <paramref name="cancellation"/> only cuts a wait short, so that <paramref name="done"/> sees the next reading.
    /// </summary>
    public async Task<IReadOnlyList<CameraHealth>> WatchAsync(TimeSpan every, Func<IReadOnlyList<CameraHealth>, bool> done, TimeSpan within,
        CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var health = await HealthAsync();
            if (done(health)) return health;
            if (clock.Elapsed > within) throw new TimeoutException($"the cameras did not finish within {within}");
            try
            {
                await Task.Delay(every, cancellation);
            }
            catch (OperationCanceledException)
            {
                // asked to stop: the next reading is the last one done() is shown
            }
        }
    }

    /// <summary>Until the one camera has reached <paramref name="state"/>; a failed camera fails the run.</summary>
    public async Task<CameraHealth> AwaitAsync(CameraState state, TimeSpan within, TimeSpan? every = null) =>
        (await WatchAsync(every ?? TimeSpan.FromMilliseconds(100), cameras => Reached(cameras.Single(), state), within)).Single();

    /// <summary>True once <paramref name="health"/> is in <paramref name="state"/>; throws when the camera failed.</summary>
    public static bool Reached(CameraHealth health, CameraState state) =>
        health.State == CameraState.Failed && state != CameraState.Failed
            ? throw new InvalidOperationException($"the camera failed: {health.LastError}")
            : health.State == state;

    /// <summary>Stops the cameras (each graph drains, held alerts included) and the actor system.</summary>
    public Task StopAsync() => CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance);

    public void Dispose() => _system.Dispose();
}
