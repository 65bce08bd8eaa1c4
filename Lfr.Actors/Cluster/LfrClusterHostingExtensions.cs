using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;
using Lfr.Actors.Cluster.Credentials;
using Lfr.Actors.Console.Health;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.LiveView;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van;
using Lfr.Vision;

namespace Lfr.Actors.Cluster;

/// <summary>
/// One extension per role, each over <see cref="WithLfrCluster"/>: what a node of that role runs. Each role's own parts
/// (<see cref="WithControlRoomRole"/>, <see cref="WithVanRole"/>, <see cref="WithConsoleRole"/>) compose on any member, so
/// that <c>lfr demo</c> holds every role in one member through these same extensions.
/// </summary>
public static class LfrClusterHostingExtensions
{
    /// <summary>
    /// What every node has: the role's HOCON, logging into Microsoft.Extensions.Logging, remoting, cluster membership
    /// with the split-brain resolver, the health checks and the health reporter.
    /// </summary>
    public static AkkaConfigurationBuilder WithLfrCluster(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider? time = null)
    {
        settings.Validate();
        time ??= TimeProvider.System;
        var remote = new RemoteOptions
        {
            HostName = settings.Hostname,
            Port = settings.Port,
            PublicHostName = settings.PublicHostname,
            PublicPort = settings.PublicPort,
        };
        if (settings.Tls is { } tls)
        {
            remote.EnableSsl = true;
            remote.Ssl = MutualTls(tls);
        }
        return builder
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .AddHocon(LfrHocon.Load(settings.Role), HoconAddMode.Prepend)
            .WithRemoting(remote)
            .WithClustering(new ClusterOptions
            {
                Roles = [settings.Role.Name()],
                SeedNodes = [.. settings.Seeds],
                // Keep-oldest, down-if-alone, over every member (README "Several control rooms"). The control room's
                // singletons live on the oldest control-room member, normally the oldest member of all. Two control rooms
                // have no majority to keep on a 1-1 split, so keep-majority kept the side of the lowest address, dead or
                // not; keep-oldest keeps the side of the oldest member, unless that member is alone: a crashed oldest
                // control room is removed and the rest serve on, a lost younger one is removed by the oldest's side, a van
                // cut off alone downs itself (and carries on, VanMembership). Counted over control-room members only, each
                // side of a 1-1 split would hold one and the oldest would be kept even when it had crashed.
                SplitBrainResolver = new KeepOldestOption { DownIfAlone = true },
            })
            .WithActorSystemLivenessCheck(tags: [LfrHealthChecks.Live])
            .WithHealthCheck("cluster-member-up", new ClusterMemberUpCheck(), tags: [LfrHealthChecks.Ready])
            .WithActors((system, _) =>
            {
                if (settings.Tls is { } credentials)
                {
                    // every other member proves the identity its certificate states before anything of it is trusted
                    PeerIdentities.Get(system).Require();
                    system.ActorOf(NodeIdentityActor.Props(credentials.LoadCertificate(), credentials.LoadCa()), NodeIdentityActor.Name);
                }
                var cluster = Akka.Cluster.Cluster.Get(system);
                // the first control-room node has nobody to join but itself
                if (settings.Seeds.Count == 0) cluster.Join(cluster.SelfAddress);
                var gauges = ClusterGauges.Track(cluster);
                system.RegisterOnTermination(gauges.Dispose);
            })
            .WithNodeHealthReporter(settings.Role, time);
    }

    /// <summary>
    /// A van node in one ActorSystem. With a data folder it also runs its cameras and recognition graph, the durable alert
    /// outbox, the live view relay and its assignment from the control room (<see cref="VanNodeHosting.WithVanNode"/>);
    /// without one, only the cluster parts.
    /// </summary>
    public static AkkaConfigurationBuilder WithLfrVan(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return builder.WithLfrCluster(Expect(settings, LfrRole.Van), time).WithVanRole(settings, time);
    }

    /// <summary>
    /// The van role's parts on a member whose cluster parts are composed: with a data folder, the van itself
    /// (<see cref="VanNodeHosting.WithVanNode"/>) and its links to the cluster in this same ActorSystem
    /// (<see cref="VanNodeHosting.WithVanLinks"/>); lfr node gives the van a system of its own beside its membership instead
    /// (VanMembership). <paramref name="engine"/>: the face models, where the process holds them already (lfr demo).
    /// </summary>
    public static AkkaConfigurationBuilder WithVanRole(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider time,
        FaceEngine? engine = null) =>
        settings.DataFolder is null
            ? builder
            : builder.WithVanNode(Expect(settings, LfrRole.Van), time, engine).WithVanLinks(settings, registry => registry, time);

    /// <summary>
    /// A control-room node: the cluster parts and the live view hub, and with a data folder the control room's actors,
    /// the alert intake, the journal and the watchlist dispatch to vans (<see cref="ControlRoomNodeHosting.WithControlRoomNode"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithLfrControlRoom(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return builder.WithLfrCluster(Expect(settings, LfrRole.ControlRoom), time).WithControlRoomRole(settings, time);
    }

    /// <summary>The control-room role's parts on a member whose cluster parts are composed (<see cref="WithLfrControlRoom"/>).</summary>
    public static AkkaConfigurationBuilder WithControlRoomRole(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider time,
        FaceEngine? engine = null)
    {
        builder.WithLiveViewHub(settings.LiveView, time);
        return settings.DataFolder is null ? builder : builder.WithControlRoomNode(Expect(settings, LfrRole.ControlRoom), time, engine);
    }

    /// <summary>An ops console node: collects every node's health reports and the vans' camera health and live view.</summary>
    public static AkkaConfigurationBuilder WithLfrConsole(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return builder.WithLfrCluster(Expect(settings, LfrRole.Console), time).WithConsoleRole(settings, time);
    }

    /// <summary>The console role's parts on a member whose cluster parts are composed (<see cref="WithLfrConsole"/>).</summary>
    public static AkkaConfigurationBuilder WithConsoleRole(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider time) =>
        builder.WithNodeHealthMonitor(time).WithLiveViewHub(settings.LiveView, time);

    /// <summary>The role's extension, chosen by <see cref="LfrNodeSettings.Role"/>.</summary>
    public static AkkaConfigurationBuilder WithLfrNode(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider? time = null) =>
        settings.Role switch
        {
            LfrRole.Van => builder.WithLfrVan(settings, time),
            LfrRole.ControlRoom => builder.WithLfrControlRoom(settings, time),
            LfrRole.Console => builder.WithLfrConsole(settings, time),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Role, "unknown role"),
        };

    /// <summary>
    /// Both sides present a certificate and accept the other's only when it chains to the force CA, states a role and a
    /// name, and is not revoked. Host names are not checked: vans change address on every link, and the identity that
    /// matters is the one the certificate states, which <see cref="NodeIdentityActor"/> then binds to the member.
    /// </summary>
    public static SslOptions MutualTls(LfrTlsSettings tls)
    {
        var ca = tls.LoadCa();
        return new SslOptions
        {
            X509Certificate = tls.LoadCertificate(),
            RequireMutualAuthentication = true,
            SuppressValidation = false,
            ValidateCertificateHostname = false,
            CustomValidator = (certificate, _, peer, _, log) =>
            {
                var (_, problem) = certificate is null ? (null, "no certificate presented") : ca.Check(certificate);
                if (problem is not null) log?.Warning("Refused the TLS connection of {0}: {1}", peer, problem);
                return problem is null;
            },
        };
    }

    private static LfrNodeSettings Expect(LfrNodeSettings settings, LfrRole role) =>
        settings.Role == role
            ? settings
            : throw new ArgumentException($"the {role.Name()} extension was given settings for a {settings.Role.Name()} node", nameof(settings));
}
