namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>One day's (or one deployment's) watchlist.</summary>
public readonly record struct WatchlistId(string Value)
{
    public override string ToString() => Value;
}
