using Lfr.Vision.Matching;

namespace Lfr.Actors.Van.Pipeline;

/// <summary>What a live deployment lets the cameras do: its threshold and the watchlist snapshot in force.</summary>
public sealed record DeploymentSnapshot(DeploymentId Deployment, float Threshold, WatchlistIndex Watchlist)
{
    public override string ToString() => $"DeploymentSnapshot({Deployment}, threshold {Threshold}, {Watchlist.Count} entries)";
}

/// <summary>
/// The van's current deployment, shared by every camera graph. Each change swaps one immutable snapshot reference,
/// so a frame is matched against either the old or the new watchlist, never a mix, and the stream never stops.
/// No deployment means no frame is processed; a wiped watchlist means no face can match.
/// </summary>
public sealed class LiveDeployment
{
    private static readonly WatchlistIndex Empty = WatchlistIndex.Build([], VectorStorage.Float32);
    private DeploymentSnapshot? _current;

    public DeploymentSnapshot? Current => Volatile.Read(ref _current);

    public void Start(DeploymentId deployment, float threshold, WatchlistIndex watchlist)
    {
        if (threshold is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "a likelihood threshold is in (0, 1]");
        Volatile.Write(ref _current, new DeploymentSnapshot(deployment, threshold, watchlist));
    }

    /// <summary>Replaces the watchlist of the live deployment; false when none is live.</summary>
    public bool Swap(WatchlistIndex watchlist)
    {
        while (true)
        {
            var current = Current;
            if (current is null) return false;
            if (Interlocked.CompareExchange(ref _current, current with { Watchlist = watchlist }, current) == current) return true;
        }
    }

    /// <summary>Drops the watchlist: matching stops with the next face, the deployment stays live.</summary>
    public bool Wipe() => Swap(Empty);

    public void End() => Volatile.Write(ref _current, null);
}
