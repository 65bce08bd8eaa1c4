namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>What the ops console asks the control room's <see cref="VanDispatchActor"/>: which van holds which watchlist.</summary>
public static class VanDispatchProtocol
{
    public sealed record GetVanHoldings
    {
        public static GetVanHoldings Instance { get; } = new();
        private GetVanHoldings() { }
    }

    public sealed record VanHoldings(IReadOnlyList<VanHolding> Vans);
}

public enum HoldingState
{
    /// <summary>The watchlist is on its way to the van.</summary>
    Sending,
    /// <summary>The van verified the watchlist and holds it.</summary>
    Holds,
    /// <summary>The van refused it (signature, count, model, name...); the reason says which.</summary>
    Refused,
    /// <summary>The control room could not send it (not built, wiped, not this van's deployment...).</summary>
    NotSent,
    /// <summary>The van dropped what it held (the deployment ended, a wipe) and holds nothing.</summary>
    Dropped,
    /// <summary>The van left the cluster; what it held is as last heard.</summary>
    Gone,
}

/// <summary>One van's watchlist as the control room last heard of it: ids, counts and a reason, never an entry.</summary>
public sealed record VanHolding(string Van, HoldingState State, string? Deployment, string? Watchlist, int? Entries, string? Reason, DateTimeOffset At);
