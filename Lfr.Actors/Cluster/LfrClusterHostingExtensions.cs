using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;
using Lfr.Actors.Console.Health;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.LiveView;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van;

namespace Lfr.Actors.Cluster;

/// <summary>One extension per role, each over <see cref="WithLfrCluster"/>: what a node of that role runs.</summary>
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
                // Keep-majority counted over control-room members only. Vans and consoles do not vote, so any number
                // of vans on bad links can never outvote the control room: the side that holds most of the control
                // room survives and downs the unreachable vans; a van that cannot see the control room downs itself,
                // restarts and rejoins. Keep-oldest restricted to control-room would protect the control room just
                // as well with one control-room node, but with several it stakes everything on the side of the one
                // oldest node, even when it is cut off with a minority; keep-majority tolerates losing any minority.
                SplitBrainResolver = new KeepMajorityOption { Role = LfrRoles.ControlRoom },
            })
            .WithActorSystemLivenessCheck(tags: [LfrHealthChecks.Live])
            .WithHealthCheck("cluster-member-up", new ClusterMemberUpCheck(), tags: [LfrHealthChecks.Ready])
            .WithActors((system, _) =>
            {
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
        Expect(settings, LfrRole.Van);
        // everything in this one ActorSystem; lfr node gives the van a system of its own beside its membership (VanMembership)
        return settings.DataFolder is null
            ? builder.WithLfrCluster(settings, time)
            : builder.WithVanNode(settings, time).WithVanMembership(settings, registry => registry, time);
    }

    /// <summary>
    /// A control-room node: the cluster parts and the live view hub, and with a data folder the control room's actors,
    /// the alert intake, the journal and the watchlist dispatch to vans (<see cref="ControlRoomNodeHosting.WithControlRoomNode"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithLfrControlRoom(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        builder.WithLfrCluster(Expect(settings, LfrRole.ControlRoom), time).WithLiveViewHub(settings.LiveView, time);
        return settings.DataFolder is null ? builder : builder.WithControlRoomNode(settings, time);
    }

    /// <summary>An ops console node: collects every node's health reports and the vans' camera health and live view.</summary>
    public static AkkaConfigurationBuilder WithLfrConsole(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return builder.WithLfrCluster(Expect(settings, LfrRole.Console), time)
            .WithNodeHealthMonitor(time)
            .WithLiveViewHub(settings.LiveView, time);
    }

    /// <summary>The role's extension, chosen by <see cref="LfrNodeSettings.Role"/>.</summary>
    public static AkkaConfigurationBuilder WithLfrNode(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider? time = null) =>
        settings.Role switch
        {
            LfrRole.Van => builder.WithLfrVan(settings, time),
            LfrRole.ControlRoom => builder.WithLfrControlRoom(settings, time),
            LfrRole.Console => builder.WithLfrConsole(settings, time),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Role, "unknown role"),
        };

    private static SslOptions MutualTls(LfrTlsSettings tls) => new()
    {
        X509Certificate = tls.LoadCertificate(),
        RequireMutualAuthentication = true,
        // peers are trusted by thumbprint, not by a CA chain or by host name (vans change address on every link)
        SuppressValidation = false,
        ValidateCertificateHostname = false,
        CustomValidator = CertificateValidation.PinnedCertificate([.. tls.AllowedThumbprints]),
    };

    private static LfrNodeSettings Expect(LfrNodeSettings settings, LfrRole role) =>
        settings.Role == role
            ? settings
            : throw new ArgumentException($"the {role.Name()} extension was given settings for a {settings.Role.Name()} node", nameof(settings));
}
