using System.Net;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Actors.Cluster;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van.Link;
using Lfr.Vision;
using Lfr.Vision.Matching;
using Microsoft.Extensions.DependencyInjection;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// Ops in headless Chromium over a real van in the same process with no deployment live: a camera whose recording is
/// missing fails until its supervisor gives up on it; once the file is back, ops restarts it from the console, the
/// restart reaches the van's supervisor and is audited, and the last hour's charts show each camera's frame rate.
/// Other roles see the console but restart nothing.
/// </summary>
public sealed class OpsConsoleBrowserSpecs : IAsyncLifetime
{
    private static readonly LfrNodeSettings Node = new() { Role = LfrRole.ControlRoom, Port = 0, NodeName = "van-1" };
    private static readonly CameraId Late = new("van-1/cam-late");

    private readonly FaceEngine _engine = FaceEngine.Load(new FaceEngineOptions { Parallelism = 2 });
    private readonly string _video = Path.Combine(Path.GetTempPath(), $"lfr-ops-camera-{Guid.NewGuid():N}.avi");
    private readonly WebApp _web;

    public OpsConsoleBrowserSpecs()
    {
        var settings = new VanPipelineSettings { Likelihood = LikelihoodMap.From(CalibrationStore.ForModel(_engine.EmbeddingModelSha256)) };
        // gives up after two failures in a row, quickly: no deployment is live, so nothing makes it try again
        var supervision = new CameraSupervisorSettings { MinBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(200), MaxConsecutiveFailures = 2 };
        // a van in the same process, a member of a one-node cluster with the control room: health through its relay and
        // the hub, and ops' restart through the hub and the van's link to its cameras, as from any van
        _web = new WebApp
        {
            WithActors = (akka, _) => akka
                .WithLfrCluster(Node, TimeProvider.System)
                .AddHocon($"akka.cluster.roles = [\"{LfrRoles.ControlRoom}\", \"{LfrRoles.Van}\"]", HoconAddMode.Prepend)
                .AddHocon(VanConfig.Default, HoconAddMode.Append)
                .WithLiveViewHub(Node.LiveView, TimeProvider.System)
                .WithLiveViewRelay(Node, TimeProvider.System)
                .WithActors((system, registry) =>
                {
                    var relay = registry.Get<LiveViewRelay>();
                    var alerts = system.ActorOf(Props.Create(() => new CameraWebSpecs.AcknowledgingAlertSink()), "alerts-for-ops-spec");
                    registry.Register<VanCameras>(system.ActorOf(
                        CameraSupervisor.Props(_engine, settings, alerts, _ => LiveViewRelay.Sink(relay), supervision), CameraSupervisor.Name));
                })
                .WithClusterLink(CameraSupervisor.Name, registry => registry.Get<VanCameras>()),
        };
    }

    public async Task InitializeAsync()
    {
        await _web.InitializeAsync();
        var cameras = _web.Services.GetRequiredService<ActorRegistry>().Get<VanCameras>();
        cameras.Tell(new CameraSupervisorProtocol.StartCamera(new CameraSpec(new CameraId("cam-late"), () => new VideoCaptureSource(_video))));
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        _engine.Dispose();
        File.Delete(_video);
    }

    [BrowserFact]
    public void Ops_should_restart_a_camera_its_supervisor_gave_up_on_and_see_the_last_hour_in_charts()
    {
        using var desk = new Browser(_web.BaseAddress, Browser.Desktop);
        desk.SignIn("ops");
        var row = $"#cameras tr[data-camera='{Late.Value}']";
        desk.WaitForText(row + " td:nth-child(2)", "Failed");
        desk.Find(row + " button.restart");

        // the recording is back; the supervisor would leave the camera failed until a deployment starts
        CameraWebSpecs.WriteVideo(_video);
        // the table is drawn again every second: click whichever button is there now
        desk.Until(() =>
        {
            desk.Find(row + " button.restart").Click();
            return true;
        }, "the restart button clicked");
        desk.WaitForText(row + " td:nth-child(2)", "Running");
        Assert.False(desk.Exists(row + " button.restart"));
        desk.Until(() => desk.Text(row + " td:nth-child(3)") != "0", "frames from the restarted camera");

        desk.Find($"#history tr[data-camera='{Late.Value}'] svg.spark polyline[data-series='in']");
        Assert.True(desk.Exists($"#history svg#drops-van-1-cam-late"));
        Assert.True(desk.Exists($"#history svg#latency-van-1-cam-late"));
        desk.Screenshot("console-ops");

        var restart = _web.Gateway.Trail().GetAwaiter().GetResult().Entries.Single(e => e.Kind == AuditKind.CameraRestartRequested);
        Assert.Equal("OPS1", restart.Who);
        Assert.Equal(Late.Value, restart.Subject);
        Assert.Contains("restarted=true", restart.Detail);

        // a running camera is not restarted, and ops is told why; that is audited too
        using var ops = _web.ClientAsync("ops").GetAwaiter().GetResult();
        var again = ops.PostAsJsonAsync("/api/cameras/restart", new { camera = Late.Value }).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("not failed", again.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        Assert.Equal(HttpStatusCode.Conflict, ops.PostAsJsonAsync("/api/cameras/restart", new { camera = "van-1/cam-none" }).GetAwaiter().GetResult().StatusCode);
        _web.Until(() => _web.Gateway.Trail().GetAwaiter().GetResult().Entries.Count(e => e.Kind == AuditKind.CameraRestartRequested) == 3 ? "" : null);
    }

    [BrowserFact]
    public void Roles_other_than_ops_should_see_the_console_but_restart_nothing()
    {
        using var desk = new Browser(_web.BaseAddress, Browser.Desktop);
        foreach (var user in new[] { "op1", "supt", "audit" })
        {
            desk.SignIn(user);
            desk.Go("/console");
            desk.WaitForText($"#cameras tr[data-camera='{Late.Value}'] td:nth-child(2)", "");
            Assert.False(desk.Exists("#cameras button.restart"));
            Assert.Equal(403, desk.Post("/api/cameras/restart", $$"""{"camera":"{{Late.Value}}"}"""));
            desk.SignOut();
        }
        desk.SignIn("pc1");
        Assert.Equal(403, desk.Post("/api/cameras/restart", $$"""{"camera":"{{Late.Value}}"}"""));
        Assert.DoesNotContain(_web.Gateway.Trail().GetAwaiter().GetResult().Entries, e => e.Kind == AuditKind.CameraRestartRequested);
    }
}
