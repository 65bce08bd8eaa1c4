using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Console.Health;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Outbox;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision;
using Lfr.Vision.Matching;

namespace Lfr.Host.Demo;

/// <summary>What the demo node is made of: its data folder, the face engine and the van's copy of the watchlist.</summary>
/// <param name="DataFolder">The control room's data folder (journal, images, watchlists); the van's outbox lives in <c>van/</c> under it.</param>
public sealed record DemoNodeOptions(string DataFolder, FaceEngine Engine, VanPipelineSettings Pipeline, WatchlistIndex Watchlist)
{
    public string OutboxPath => Path.Combine(DataFolder, "van", "outbox.db");
}

public static class DemoNodeHostingExtensions
{
    /// <summary>The cluster roles the demo node holds at once.</summary>
    public static readonly IReadOnlyList<string> Roles = [LfrRoles.ControlRoom, LfrRoles.Van, LfrRoles.Console];

    /// <summary>
    /// Every role in one node, composed from the extensions each role's own node uses: a one-node cluster on
    /// 127.0.0.1 (a free port) that holds the control-room, van and console roles; the control room's actors on SQLite
    /// in the data folder; the van's durable alert outbox, which finds the control room's alert intake through
    /// membership exactly as a separate van would; the van's cameras raising alerts into it; the console's health monitor.
    /// </summary>
    public static AkkaConfigurationBuilder WithLfrDemo(this AkkaConfigurationBuilder builder, DemoNodeOptions options, TimeProvider time)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.OutboxPath)!);
        // the control room is the first node (no seeds: it joins itself); the other roles are added to the same member
        var node = new LfrNodeSettings { Role = LfrRole.ControlRoom, Port = 0 };
        return builder
            .WithLfrCluster(node, time)
            .AddHocon($"akka.cluster.roles = [{string.Join(", ", Roles.Select(r => $"\"{r}\""))}]", HoconAddMode.Prepend)
            // the console's settings (its role's file); the van's come with its cameras and outbox
            .AddHocon(LfrHocon.Load(LfrRole.Console), HoconAddMode.Append)
            .WithLfrControlRoom(new ControlRoomOptions(options.DataFolder), time)
            .WithAlertOutbox(new AlertOutboxSettings(options.OutboxPath))
            .WithVanCameras(options.Engine, options.Pipeline, registry => registry.Get<AlertOutbox>())
            .WithNodeHealthMonitor(time)
            .WithActors((system, registry) =>
                registry.Register<DemoVanFeed>(system.ActorOf(DemoVanFeed.Props(registry.Get<VanCameras>(), options.Watchlist), "demo-van-feed")));
    }
}
