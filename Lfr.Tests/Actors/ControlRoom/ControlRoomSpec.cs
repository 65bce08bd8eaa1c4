using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>A TestKit on a journal of its own (a SQLite file in a temp folder) and a clock the test moves.</summary>
public abstract class ControlRoomSpec : Akka.TestKit.Xunit2.TestKit
{
    public static readonly DateTimeOffset Morning = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    protected ControlRoomSpec(ITestOutputHelper output) : this(new TempFolder(), output) { }

    private ControlRoomSpec(TempFolder folder, ITestOutputHelper output)
        : base(ControlRoomTestStorage.SystemConfig(new ControlRoomStorage.SqliteFile(folder.File("journal.db"))), output: output)
    {
        Folder = folder;
    }

    protected TempFolder Folder { get; }

    protected FakeTimeProvider Clock { get; } = new(Morning);

    protected static readonly Signatory Superintendent = new(new StaffId("S100"), "Superintendent");
    protected static readonly Signatory ChiefSuperintendent = new(new StaffId("C200"), "Chief Superintendent");
    protected static readonly StaffId Sergeant = new("PS300");

    protected static DeploymentPlan Plan(DateTimeOffset start, TimeSpan length, double threshold = 0.6, string watchlist = "wl-1") =>
        new(new Place("Lewisham High Street", 51.4613, -0.0106), new TimeWindow(start, start + length),
            ["van-1/cam-a", "van-1/cam-b"], "Locate people wanted on warrant", new WatchlistId(watchlist), threshold);

    /// <summary>Walks a deployment through planning, authorisation, approval and signage, up to going live.</summary>
    protected async Task MakeReady(IActorRef deployments, DeploymentId id, DeploymentPlan plan)
    {
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(id, plan, Sergeant), RemainingOrDefault);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.Authorise(id, Superintendent), RemainingOrDefault);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.Approve(id, ChiefSuperintendent), RemainingOrDefault);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.ConfirmSignage(id, Sergeant), RemainingOrDefault);
    }

    protected async Task<DeploymentState> MakeLive(IActorRef deployments, DeploymentId id, DeploymentPlan plan)
    {
        await MakeReady(deployments, id, plan);
        return await deployments.Ask<DeploymentState>(new DeploymentProtocol.GoLive(id, Sergeant), RemainingOrDefault);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Folder.Dispose();
    }
}
