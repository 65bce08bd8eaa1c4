using Akka.Actor;
using Lfr.Actors.Cluster;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Outbox;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using OpenCvSharp;
using Xunit.Abstractions;
using static Lfr.Actors.LiveView.LiveViewProtocol;
using CrDeploymentId = Lfr.Actors.ControlRoom.Deployments.DeploymentId;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// A van and a control room composed from node settings alone, as <c>lfr node --data DIR</c> composes them, in one test
/// process on 127.0.0.1: the control room enrols a file image and its live deployment's watchlist reaches the van, the
/// van's scene camera sees that person, the alert crosses to the control room's desk through the outbox, and the
/// camera's health and pixelated view reach the control room's live view hub.
/// </summary>
[Collection(Lfr.Tests.Actors.Van.VanCollection.Name)]
public sealed class NodeCompositionSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const string Lacamoire = "face_recognition/images/alex-lacamoire.png";
    private const string Miranda = "face_recognition/images/lin-manuel-miranda.png";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly CrDeploymentId Deployment = new("catford-1");

    [SharedDataFact(Lacamoire)]
    public async Task A_van_and_a_control_room_from_settings_should_carry_a_scene_alert_to_the_desk_and_the_camera_view_to_the_hub()
    {
        using var data = new TempFolder();
        var scene = data.File("scene");
        foreach (var (person, photo) in new[] { ("alex", Lacamoire), ("lin", Miranda) })
        {
            Directory.CreateDirectory(Path.Combine(scene, person));
            File.Copy(SharedData.PathOf(photo), Path.Combine(scene, person, Path.GetFileName(photo)));
        }

        await using var controlRoom = await LfrTestNode.StartAsync(
            new LfrNodeSettings { Role = LfrRole.ControlRoom, Port = 0, DataFolder = data.File("control-room") }, LfrTestNode.FastFailureDetection);
        // the control room enrols the file image itself, and sends the watchlist to the deployment's van once both are up
        await GoLiveAsync(controlRoom, File.ReadAllBytes(SharedData.PathOf(Lacamoire)));
        // the control room created its assignment key on its first start; the van is given a copy of the public half
        Directory.CreateDirectory(data.File("van"));
        File.Copy(data.File("control-room/assignment.pub"), data.File("van/assignment.pub"));

        await using var vanNode = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.Van,
            Port = 0,
            Seeds = [controlRoom.Address.ToString()],
            NodeName = "van-1",
            DataFolder = data.File("van"),
            Cameras = [new CameraSettings("front", $"{CameraSettings.ScenePrefix}{scene}", 10)],
        // the operator view as the force sets it: the van renders it so, and the relay sends it as made
        }.Policies("Lfr:LiveView:Width=640", "Lfr:LiveView:MaxFrameBytes=40000"), LfrTestNode.FastFailureDetection);

        await AwaitAssertAsync(async () =>
        {
            var queue = await controlRoom.Registry.Get<AlertsActor>().Ask<AlertProtocol.Queue>(new AlertProtocol.GetQueue(Deployment), AskTimeout);
            var alert = Assert.Single(queue.Alerts);
            Assert.Equal("E1", alert.Entry.Value);
        }, Generous, TimeSpan.FromMilliseconds(500));
        await AwaitAssertAsync(async () => Assert.Equal(0,
            (await vanNode.Registry.Get<AlertOutbox>().Ask<OutboxProtocol.OutboxStatus>(OutboxProtocol.GetOutboxStatus.Instance, AskTimeout)).Pending), Generous);

        var hub = controlRoom.Registry.Get<LiveViewHub>();
        var front = new LiveCameraKey("van-1", new Lfr.Actors.Van.CameraId("front"));
        await AwaitAssertAsync(async () =>
        {
            var camera = Assert.Single((await hub.Ask<LiveViewProtocol.Cameras>(GetCameras.Instance, AskTimeout)).All);
            Assert.Equal(front, camera.Key);
            Assert.Equal(CameraState.Running, camera.Health.State);
            Assert.True(camera.VanReachable);
        }, Generous, TimeSpan.FromMilliseconds(500));
        LiveFrame? frame = null;
        await AwaitAssertAsync(async () =>
        {
            frame = (await hub.Ask<LatestFrame>(new GetLatestFrame(front), AskTimeout)).Frame;
            Assert.NotNull(frame);
        }, Generous, TimeSpan.FromMilliseconds(300));
        using var picture = Cv2.ImDecode(frame!.Jpeg, ImreadModes.Color);
        Assert.Equal(640, picture.Width);
        Assert.True(frame.Jpeg.Length <= 40_000, $"{frame.Jpeg.Length} bytes");
    }

    private static async Task GoLiveAsync(LfrTestNode controlRoom, byte[] fileImage)
    {
        var staff = new StaffId("PS300");
        var watchlist = new WatchlistId("wl-1");
        var now = DateTimeOffset.UtcNow;
        await controlRoom.Registry.Get<WatchlistAuthorityActor>().Ask<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(
            watchlist, DateOnly.FromDateTime(now.UtcDateTime), Deployment, new StaffId("WM1"),
            [new WatchlistEntryDraft(new("E1"), WatchlistCategory.CourtWarrant, "Failed to appear: theft", "Bromley Magistrates",
                new DateOnly(2025, 11, 3), new StaffId("WM1"), "PNC/1", fileImage)]), AskTimeout);
        var deployments = controlRoom.Registry.Get<DeploymentsActor>();
        var plan = new DeploymentPlan(new Place("Catford Broadway", 51.445, -0.020), new TimeWindow(now.AddMinutes(-5), now.AddHours(2)),
            ["van-1/front"], "Warrants", watchlist, Case: Readiness.Case);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(Deployment, plan, staff), AskTimeout);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.Authorise(Deployment, new(new("S100"), "Superintendent")), AskTimeout);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.Approve(Deployment, new(new("C200"), "Chief Superintendent")), AskTimeout);
        await Readiness.PrepareAsync(deployments, Deployment, staff, AskTimeout);
        var live = await deployments.Ask<DeploymentState>(new DeploymentProtocol.GoLive(Deployment, staff), AskTimeout);
        Assert.Equal(DeploymentStatus.Live, live.Status);
    }
}
