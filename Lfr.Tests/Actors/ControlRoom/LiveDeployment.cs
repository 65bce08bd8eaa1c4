using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// A deployment live at Catford Broadway from <see cref="ControlRoomSpec.Morning"/> for 8 hours on camera van-1/cam-a,
/// its watchlist built from real faces, walked through the control room's own actors (Asks: the spec is an edge).
/// </summary>
public static class LiveDeployment
{
    /// <param name="faces">One watchlist entry per face index, named E1, E2...</param>
    public static async Task StartAsync(ControlRoomActors room, DeploymentId deployment, WatchlistId watchlist, TimeSpan timeout, params int[] faces)
    {
        await room.Watchlists.Ask<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(
            watchlist, DateOnly.FromDateTime(ControlRoomSpec.Morning.UtcDateTime), deployment, new StaffId("WM1"),
            faces.Select((face, i) => new WatchlistEntryDraft(new WatchlistEntryId($"E{i + 1}"), WatchlistCategory.CourtWarrant,
                "Failed to appear: theft", "Bromley Magistrates", new DateOnly(2025, 11, 3), new StaffId("WM1"), $"PNC/{i + 1}",
                FileImages.Face(face))).ToArray()), timeout);
        var plan = new DeploymentPlan(new Place("Catford Broadway", 51.445, -0.020),
            new TimeWindow(ControlRoomSpec.Morning, ControlRoomSpec.Morning.AddHours(8)), ["van-1/cam-a"], "Warrants", watchlist, Case: Readiness.Case);
        await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(deployment, plan, new StaffId("PS300")), timeout);
        await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.Authorise(deployment, new(new("S100"), "Superintendent")), timeout);
        await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.Approve(deployment, new(new("C200"), "Chief Superintendent")), timeout);
        await Readiness.PrepareAsync(room.Deployments, deployment, new StaffId("PS300"), timeout);
        await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.GoLive(deployment, new StaffId("PS300")), timeout);
    }
}
