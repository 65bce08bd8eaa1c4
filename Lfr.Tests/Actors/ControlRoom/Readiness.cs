using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using static Lfr.Actors.ControlRoom.Deployments.DeploymentProtocol;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// What the specs that need a live deployment do between approval and going live, as its crew would: the case every
/// plan carries for its signatories, the signage checklist confirmed, an operator and two engagement officers on duty.
/// </summary>
public static class Readiness
{
    public static readonly DeploymentCase Case = new(
        "Common law policing powers; DPA 2018 s.35", "Warrant backlog in the area; a small watchlist for one day",
        "Patrols and enquiries have not located them", "South East BCU");

    public static readonly StaffId Operator = new("OP1");
    public static readonly StaffId[] Officers = [new("PC1"), new("PC2")];

    public static IReadOnlyList<IDeploymentCommand> Commands(DeploymentId id, StaffId by) =>
    [
        new RecordSign(id, "High Street, from the north", "photo IMG_0001", by),
        new ConfirmSignage(id, by),
        new BookOn(id, Operator, CrewRole.Operator),
        .. Officers.Select(o => new BookOn(id, o, CrewRole.Officer)),
    ];

    /// <summary>After approval, before going live.</summary>
    public static async Task PrepareAsync(IActorRef deployments, DeploymentId id, StaffId by, TimeSpan timeout)
    {
        foreach (var command in Commands(id, by))
        {
            var reply = await deployments.Ask<object>(command, timeout);
            if (reply is Refused refused) throw new InvalidOperationException($"{command.GetType().Name} refused: {refused.Reason}");
        }
    }

    /// <summary>What the watchlist authority tells a deployment when its watchlist is built (for specs that build none).</summary>
    public static WatchlistComposed Composed(DeploymentId id, WatchlistId watchlist) => new(id, watchlist, new CategoryCounts(1, 0, 0));
}
