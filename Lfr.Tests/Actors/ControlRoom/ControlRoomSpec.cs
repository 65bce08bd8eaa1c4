using System.Text;
using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
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
            ["van-1/cam-a", "van-1/cam-b"], "Locate people wanted on warrant", new WatchlistId(watchlist), threshold, Readiness.Case);

    /// <summary>
    /// Walks a deployment through planning, authorisation, approval, signage and its crew coming on duty, up to going
    /// live. Its watchlist counts as built (as the authority would report it) unless the spec built it already.
    /// </summary>
    protected void MakeReady(IActorRef deployments, DeploymentId id, DeploymentPlan plan)
    {
        deployments.Tell(new DeploymentProtocol.GetDeployment(id));
        if (ExpectMsg<DeploymentState>().Watchlist is null) deployments.Tell(Readiness.Composed(id, plan.Watchlist));
        deployments.Tell(new DeploymentProtocol.PlanDeployment(id, plan, Sergeant));
        deployments.Tell(new DeploymentProtocol.Authorise(id, Superintendent));
        deployments.Tell(new DeploymentProtocol.Approve(id, ChiefSuperintendent));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Draft);
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Authorised);
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Approved);
        foreach (var command in Readiness.Commands(id, Sergeant))
        {
            deployments.Tell(command);
            ExpectMsg<DeploymentState>();
        }
    }

    protected DeploymentState MakeLive(IActorRef deployments, DeploymentId id, DeploymentPlan plan)
    {
        MakeReady(deployments, id, plan);
        deployments.Tell(new DeploymentProtocol.GoLive(id, Sergeant));
        return ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Live);
    }

    protected ControlRoomOptions Options => new(Folder.Path);

    protected ControlRoomActors StartControlRoom(ControlRoomOptions? options = null) =>
        ControlRoomActors.Start(Sys, options ?? Options, Clock, FileImages.Engine);

    /// <summary>A watchlist entry whose file image is <paramref name="image"/>, by default a real face, which enrolment needs.</summary>
    protected static WatchlistEntryDraft Entry(string id, WatchlistCategory category = WatchlistCategory.CourtWarrant, byte[]? image = null) =>
        new(new WatchlistEntryId(id), category, "Failed to appear: theft", "Bromley Magistrates", new DateOnly(2025, 11, 3), new StaffId("WM1"),
            "PNC/" + id, image ?? FileImages.For(id));

    protected static WatchlistProtocol.BuildWatchlist Build(string watchlist, params WatchlistEntryDraft[] entries) =>
        new(new WatchlistId(watchlist), DateOnly.FromDateTime(Morning.UtcDateTime), new DeploymentId("d-1"), new StaffId("WM1"), entries);

    protected static AlertProtocol.AlertCandidate Candidate(string alert, string entry, string camera = "van-1/cam-a", DateTimeOffset? at = null,
        WatchlistCategory category = WatchlistCategory.CourtWarrant, string deployment = "d-1", string watchlist = "wl-1", byte[]? capture = null) =>
        new(new AlertId(alert), new DeploymentId(deployment), new WatchlistId(watchlist), new WatchlistEntryId(entry), category, 0.72, camera,
            at ?? Morning, capture ?? Encoding.ASCII.GetBytes("capture " + alert));

    protected override void AfterAll()
    {
        base.AfterAll();
        // the journal and the stores write until the system is down; only then can their folder go
        Sys.Terminate().Wait(TimeSpan.FromSeconds(10));
        Folder.Dispose();
    }
}
