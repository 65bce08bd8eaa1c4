using Akka;
using Akka.Hosting;
using Akka.Streams.Dsl;
using Lfr.Actors.Cluster;
using Lfr.Actors.Console.Health;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Outbox;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision;
using Lfr.Vision.Files;

namespace Lfr.Host.Demo;

/// <summary>What the demo node is made of: its data folder and the face engine that the control room and the van share.</summary>
/// <param name="DataFolder">
/// The control room's data folder (journal, images, watchlists, the watchlist signing key); the van's outbox lives in
/// <c>van/</c> under it.
/// </param>
public sealed record DemoNodeOptions(string DataFolder, FaceEngine Engine, VanPipelineSettings Pipeline)
{
    public string OutboxPath => Path.Combine(DataFolder, "van", "outbox.db");

    /// <summary>The control room's settings on this data folder (<c>lfr demo</c>: its policies from <c>Lfr:ControlRoom</c>).</summary>
    public ControlRoomOptions ControlRoom { get; init; } = new(DataFolder);

    /// <summary>Where each camera's operator view goes (every face not an alert already pixelated): the web's live view.</summary>
    public Func<CameraId, Sink<OperatorViewFrame, NotUsed>>? Views { get; init; }
}

public static class DemoNodeHostingExtensions
{
    /// <summary>The cluster roles the demo node holds at once.</summary>
    public static readonly IReadOnlyList<string> Roles = [LfrRoles.ControlRoom, LfrRoles.Van, LfrRoles.Console];

    /// <summary>
    /// Every role in one node, composed from the extensions each role's own node uses: a one-node cluster on
    /// 127.0.0.1 (a free port) that holds the control-room, van and console roles. The control room's actors on SQLite
    /// in the data folder enrol the watchlist's file images, and its dispatch sends a live deployment's watchlist (as
    /// signed embeddings) to the van's assignment actor, which starts the cameras matching; the van's durable alert
    /// outbox finds the control room's alert intake through membership; the console's monitor collects the node's
    /// health. All as if they were separate nodes. The operator views go to <see cref="DemoNodeOptions.Views"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithLfrDemo(this AkkaConfigurationBuilder builder, DemoNodeOptions options, TimeProvider time)
    {
        PrivateFiles.Folder(Path.GetDirectoryName(options.OutboxPath)!);
        // the control room is the first node (no seeds: it joins itself); the other roles are added to the same member
        var node = new LfrNodeSettings { Role = LfrRole.ControlRoom, Port = 0, NodeName = DemoScene.Van, DataFolder = options.DataFolder };
        // the control room's key (created in the data folder on the first run); the van verifies with the same one
        var key = node.LoadWatchlistKey();
        return builder
            .WithLfrCluster(node, time)
            .AddHocon($"akka.cluster.roles = [{string.Join(", ", Roles.Select(r => $"\"{r}\""))}]", HoconAddMode.Prepend)
            // the console's settings (its role's file); the van's come with its cameras, outbox and relay
            .AddHocon(LfrHocon.Load(LfrRole.Console), HoconAddMode.Append)
            .WithLfrControlRoom(options.ControlRoom with { WatchlistKey = key }, time, options.Engine)
            .WithVanDispatch(key)
            .WithAlertOutbox(new AlertOutboxSettings(options.OutboxPath))
            .WithVanCameras(options.Engine, options.Pipeline, registry => registry.Get<AlertOutbox>(),
                views: options.Views is { } views ? _ => views : null)
            .WithVanAssignment(new VanAssignmentSettings(DemoScene.Van, key, options.Engine.EmbeddingModelSha256), time)
            .WithNodeHealthMonitor(time);
    }
}
