using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;

namespace Lfr.Host.Demo;

/// <summary>
/// The demo van's cameras: each a <see cref="SceneSource"/> of the cast walking past, people on the watchlist and
/// passers-by in turn, each camera in its own order so that both show everyone at different times.
/// </summary>
public static class DemoScene
{
    public const string Van = "van-1";
    public static readonly IReadOnlyList<string> CameraNames = ["cam-north", "cam-south"];

    private const int Width = 640;
    private const int Height = 360;
    private const double FramesPerSecond = 10;

    // about walking pace, two people in view at once
    private static readonly TimeSpan Crossing = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    // a scene long enough that its restart (the camera reopens it) is rare; photos are decoded once however long it is
    private const int Rounds = 30;

    /// <summary>Camera ids as the deployment plan names them: <c>VAN/CAMERA</c>.</summary>
    public static IReadOnlyList<CameraId> Cameras { get; } = CameraNames.Select(c => Deployed(new CameraId(c))).ToList();

    /// <summary>A camera of the van as the deployment names it: the van's outbox and live view relay name it so.</summary>
    public static CameraId Deployed(CameraId camera) => new($"{Van}/{camera.Value}");

    /// <summary>The van's cameras, named as on the van itself (<see cref="CameraNames"/>).</summary>
    public static IReadOnlyList<CameraSpec> Specs(DemoCast cast) =>
        CameraNames.Select((name, i) => new CameraSpec(new CameraId(name), () => new SceneSource(Script(cast, i)), HandOffPolicy.LatestFrameWins,
            ReconnectOnEnd: true)).ToList();

    /// <summary>Camera <paramref name="camera"/>'s scene: the cast in turns (watchlist, passer-by, ...), rotated per camera.</summary>
    public static SceneScript Script(DemoCast cast, int camera)
    {
        var people = new List<(string Label, IReadOnlyList<string> Photos)>();
        for (var i = 0; i < Math.Max(cast.Watchlist.Count, cast.PassersBy.Count); i++)
        {
            if (i < cast.Watchlist.Count) people.Add((cast.Watchlist[i].Id.Value, cast.Watchlist[i].Walks));
            if (i < cast.PassersBy.Count) people.Add((cast.PassersBy[i].Label, cast.PassersBy[i].Walks));
        }
        // the second camera starts half-way through the cast (at someone on the watchlist: the count is even)
        var shift = camera * (people.Count / 2 / 2 * 2);
        var order = people.Skip(shift).Concat(people.Take(shift)).ToList();

        var walkers = new List<SceneWalker>();
        for (var round = 0; round < Rounds; round++)
        for (var i = 0; i < order.Count; i++)
        {
            var n = round * order.Count + i;
            walkers.Add(new SceneWalker(order[i].Label, order[i].Photos, Every * n, Crossing, n % 2 == 0 ? 0.32f : 0.7f,
                Size: Height * 4 / 9, LeftToRight: n % 2 == 0));
        }
        return new SceneScript(Width, Height, FramesPerSecond, Every * (walkers.Count - 1) + Crossing, walkers, Seed: camera + 1);
    }
}
