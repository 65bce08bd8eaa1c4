using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Credentials;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Assignment;
using Lfr.Vision;
using Lfr.Vision.Files;

namespace Lfr.Host.Demo;

/// <summary>What the demo node is made of: its data folder and the face engine that the control room and the van share.</summary>
/// <param name="DataFolder">
/// The control room's data folder (journal, images, watchlists, the watchlist signing key); the van's data folder (its
/// outbox) is <c>van/</c> under it.
/// </param>
public sealed record DemoNodeOptions(string DataFolder, FaceEngine Engine)
{
    public string VanFolder => Path.Combine(DataFolder, "van");

    /// <summary>The roles' policies, as a node of each role reads them (<c>lfr demo</c>: <c>Lfr:ControlRoom</c>, <c>Lfr:Van</c>, <c>Lfr:LiveView</c>).</summary>
    public ControlRoomSettings ControlRoom { get; init; } = new();

    public VanSettings Van { get; init; } = new();

    public LiveViewSettings LiveView { get; init; } = new();

    /// <summary>The control room's options on this data folder, as its node makes them from <see cref="ControlRoom"/>; the web app reads them too.</summary>
    public ControlRoomOptions ControlRoomOptions => ControlRoom.ApplyTo(new ControlRoomOptions(DataFolder));
}

public static class DemoNodeHostingExtensions
{
    /// <summary>
    /// The demo's own force CA and node certificate, made in <c>DATA/pki</c> on the first run: the demo's cluster port
    /// takes only certificates of that CA, like a real deployment's, with nothing for the user to set up.
    /// </summary>
    public static LfrTlsSettings DemoCredentials(string dataFolder)
    {
        var ca = Path.Combine(dataFolder, "pki", "ca");
        var nodes = Path.Combine(dataFolder, "pki", "node");
        var pfx = Path.Combine(nodes, $"{DemoScene.Van}.pfx");
        if (!File.Exists(Path.Combine(ca, ForcePki.CaKeyFile))) ForcePki.InitCa(ca, "Lfr demo");
        if (!File.Exists(pfx)) ForcePki.Issue(ca, LfrRole.ControlRoom, DemoScene.Van, nodes);
        return new LfrTlsSettings { CertificatePath = pfx, CaCertificatePath = Path.Combine(nodes, ForcePki.CaCertificateFile) };
    }

    /// <summary>The cluster roles the demo node holds at once.</summary>
    public static readonly IReadOnlyList<string> Roles = [LfrRoles.ControlRoom, LfrRoles.Van, LfrRoles.Console];

    /// <summary>
    /// Every role in one member, composed of the same role extensions as each role's own node
    /// (<see cref="LfrClusterHostingExtensions"/>): a one-node cluster on 127.0.0.1 (a free port) that holds the
    /// control-room, van and console roles. The control room's actors on SQLite in the data folder enrol the watchlist's
    /// file images, and its dispatch sends a live deployment's watchlist (as signed embeddings) to the van's assignment,
    /// which starts the cameras matching; the van's durable alert outbox finds the control room's alert intake through
    /// membership; its cameras' operator views go through its live view relay to the live view hub the web reads; the
    /// console's monitor collects the node's health. All as if they were separate nodes.
    /// </summary>
    public static AkkaConfigurationBuilder WithLfrDemo(this AkkaConfigurationBuilder builder, DemoNodeOptions options, TimeProvider time)
    {
        // the control room is the first node (no seeds: it joins itself); the other roles are added to the same member
        var controlRoom = new LfrNodeSettings
        {
            Role = LfrRole.ControlRoom, Port = 0, NodeName = DemoScene.Van, DataFolder = options.DataFolder,
            ControlRoom = options.ControlRoom, Van = options.Van, LiveView = options.LiveView, Tls = DemoCredentials(options.DataFolder),
        };
        // the control room's keys (created in the data folder on the first run); the van verifies with the public half only
        controlRoom.LoadWatchlistKey();
        controlRoom.LoadAssignmentSigner();
        // the member's TLS is the control room's (one member, one certificate); the van role holds no key that signs
        var van = controlRoom with
        {
            Role = LfrRole.Van, DataFolder = PrivateFiles.Folder(options.VanFolder), Tls = null,
            AssignmentKeyPath = Path.Combine(options.DataFolder, AssignmentVerifier.DefaultFileName),
        };
        return builder
            .WithLfrCluster(controlRoom, time)
            .AddHocon($"akka.cluster.roles = [{string.Join(", ", Roles.Select(r => $"\"{r}\""))}]", HoconAddMode.Prepend)
            // the console's settings (its role's file); the van's come with its cameras and relay
            .AddHocon(LfrHocon.Load(LfrRole.Console), HoconAddMode.Append)
            .WithControlRoomRole(controlRoom, time, options.Engine)
            .WithVanRole(van, time, options.Engine)
            .WithConsoleRole(controlRoom, time);
    }
}
