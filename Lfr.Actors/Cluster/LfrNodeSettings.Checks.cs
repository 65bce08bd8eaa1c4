using System.Globalization;
using System.Net;
using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.LiveView;
using Lfr.Actors.Settings;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Files;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Configuration;

namespace Lfr.Actors.Cluster;

/// <summary>Whether the settings can make a working node: each problem named by its key.</summary>
public sealed partial record LfrNodeSettings
{
    public LfrNodeSettings Validate()
    {
        var problems = Problems(roleKnown: true).ToList();
        return problems.Count == 0 ? this : throw new LfrSettingsException(problems);
    }

    /// <summary>Loopback only: 127.0.0.0/8, ::1 or localhost. Anything else (0.0.0.0 included) can be reached from a network.</summary>
    public static bool IsLoopback(string hostname) =>
        string.Equals(hostname, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(hostname, out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsInside(string file, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(file).StartsWith(root, StringComparison.Ordinal);
    }

    private IEnumerable<string> Problems(bool roleKnown)
    {
        if (roleKnown && !Enum.IsDefined(Role))
            yield return $"{Key(nameof(Role))}: '{Role}' is not one of {string.Join(", ", LfrRoles.All)}";
        if (string.IsNullOrWhiteSpace(Hostname))
            yield return $"{Key(nameof(Hostname))}: empty";
        if (Port is < 0 or > 65535)
            yield return $"{Key(nameof(Port))}: {Port} is outside 0-65535";
        if (PublicPort is < 1 or > 65535)
            yield return $"{Key(nameof(PublicPort))}: {PublicPort} is outside 1-65535";
        if (HttpPort is < 0 or > 65535)
            yield return $"{Key(nameof(HttpPort))}: {HttpPort} is outside 0-65535";
        if (Tls is null && !IsLoopback(Hostname))
            yield return $"{Key(nameof(Tls))}: required: this node binds {Hostname}, which is not loopback, and a cluster port others can reach admits only nodes with a certificate from the force's CA (lfr pki init, lfr pki issue)";
        if (IPAddress.TryParse(Hostname, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) && PublicHostname is null)
            yield return $"{Key(nameof(PublicHostname))}: required when {Key(nameof(Hostname))} is {Hostname}, which no other node can dial";
        if (ClusterName.Length == 0 || !ClusterName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            yield return $"{Key(nameof(ClusterName))}: '{ClusterName}' must be letters, digits, '-' or '_'";
        if (roleKnown && Seeds.Count == 0 && Role != LfrRole.ControlRoom)
            yield return $"{Key(nameof(Seeds))}: a {Role.Name()} node needs at least one control-room address to join, e.g. {Protocol}://{ClusterName}@HOST:{DefaultControlRoomPort}";
        foreach (var seed in Seeds)
            if (SeedProblem(seed) is { } problem)
                yield return $"{Key(nameof(Seeds))}: '{seed}' {problem}";
        if (Tls is not null)
        {
            var tlsProblems = Tls.Problems().ToList();
            foreach (var problem in tlsProblems)
                yield return problem;
            // the certificate is the node's identity: it may not run as another role or name than the one it states
            if (tlsProblems.Count == 0 && roleKnown && Tls.Identity() is { } identity)
            {
                if (identity.Role != Role)
                    yield return $"{Key(nameof(Tls))}:{nameof(LfrTlsSettings.CertificatePath)}: the certificate is a {identity.Role.Name()}'s ({identity.Name}); this node is a {Role.Name()}";
                if (NodeName is not null && NodeName != identity.Name)
                    yield return $"{Key(nameof(NodeName))}: '{NodeName}', but the node's certificate names it '{identity.Name}'";
            }
        }
        if (NodeName is not null && (NodeName.Length == 0 || !NodeName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')))
            yield return $"{Key(nameof(NodeName))}: '{NodeName}' must be letters, digits, '-', '_', '.' or ':'";
        if (DataFolder is not null && File.Exists(DataFolder))
            yield return $"{Key(nameof(DataFolder))}: '{DataFolder}' is a file, not a folder";
        if (Postgres is not null && roleKnown && Role != LfrRole.ControlRoom)
            yield return $"{Key(nameof(Postgres))}: only a control-room node keeps a journal; a {Role.Name()} node has none";
        else if (Postgres is not null && DataFolder is null)
            yield return $"{Key(nameof(Postgres))}: needs {Key(nameof(DataFolder))} too, for the encrypted image and watchlist stores";
        if (WatchlistKeyPath is not null && DataFolder is null)
            yield return $"{Key(nameof(WatchlistKeyPath))}: needs {Key(nameof(DataFolder))}; without it the node runs the cluster parts only";
        else if (WatchlistKeyPath is not null && roleKnown && Role != LfrRole.ControlRoom)
            yield return $"{Key(nameof(WatchlistKeyPath))}: only a control room holds the watchlist key; a {Role.Name()} verifies assignments with the control room's {AssignmentVerifier.DefaultFileName} ({Key(nameof(AssignmentKeyPath))})";
        else if (WatchlistKeyPath is not null && !File.Exists(WatchlistKeyPath))
            yield return $"{Key(nameof(WatchlistKeyPath))}: '{WatchlistKeyPath}' does not exist";
        if (AssignmentKeyPath is not null && DataFolder is null)
            yield return $"{Key(nameof(AssignmentKeyPath))}: needs {Key(nameof(DataFolder))}; without it the node runs the cluster parts only";
        else if (roleKnown && Role == LfrRole.Van && EffectiveAssignmentKeyPath is { } assignmentKey && !File.Exists(assignmentKey))
            yield return $"{Key(nameof(AssignmentKeyPath))}: '{assignmentKey}' does not exist; copy the control room's {AssignmentVerifier.DefaultFileName} there";
        if (DataFolder is not null && (MasterKeyPath ?? Environment.GetEnvironmentVariable(MasterKeySettings.KeyFileVariable)) is { Length: > 0 } master
            && IsInside(master, DataFolder))
            yield return $"{Key(nameof(MasterKeyPath))}: '{master}' is inside {Key(nameof(DataFolder))}; keep the master key apart from the data it protects";
        if (DataFolder is not null && (AuditKeyPath ?? Environment.GetEnvironmentVariable(Lfr.Actors.ControlRoom.Audit.AuditKey.KeyFileVariable)) is { Length: > 0 } audit
            && IsInside(audit, DataFolder))
            yield return $"{Key(nameof(AuditKeyPath))}: '{audit}' is inside {Key(nameof(DataFolder))}; keep the audit key apart from the log it protects";
        if (roleKnown && Role == LfrRole.Van && DataFolder is not null && NodeName is null && Tls is null && Port == 0)
            yield return $"{Key(nameof(NodeName))}: a van with a data folder needs a name that survives a restart (deployments name its cameras NAME/CAMERA): set it, or a fixed {Key(nameof(Port))}";
        if (DetectorBudget < 0)
            yield return $"{Key(nameof(DetectorBudget))}: {DetectorBudget} is negative (0 runs every tile of every frame)";
        if (Cameras.Count > 0 && roleKnown && Role != LfrRole.Van)
            yield return $"{Key(nameof(Cameras))}: only a van node has cameras";
        else if (Cameras.Count > 0 && DataFolder is null)
            yield return $"{Key(nameof(Cameras))}: need {Key(nameof(DataFolder))} too, for the alert outbox";
        for (var i = 0; i < Cameras.Count; i++)
            foreach (var problem in Cameras[i].Problems($"{Key(nameof(Cameras))}:{i}"))
                yield return problem;
        foreach (var duplicate in Cameras.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"{Key(nameof(Cameras))}: camera name '{duplicate.Key}' is used {duplicate.Count()} times";
    }

    private string? SeedProblem(string seed)
    {
        Address address;
        try
        {
            address = Address.Parse(seed);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            return $"is not an address like {Protocol}://{ClusterName}@HOST:PORT";
        }
        // akka.tcp, or an adapter over it (akka.ssl.tcp for TLS)
        if (!address.Protocol.StartsWith("akka.", StringComparison.Ordinal) || !address.Protocol.EndsWith("tcp", StringComparison.Ordinal))
            return $"uses protocol '{address.Protocol}', not {Protocol}";
        if (address.Protocol.Contains(".ssl.", StringComparison.Ordinal) != (Tls is not null))
            return Tls is null
                ? "is a TLS address (akka.ssl.tcp), but TLS is off on this node (Lfr:Node:Tls)"
                : "is a plain TCP address, but TLS is on on this node: the seed's address is akka.ssl.tcp://...";
        if (address.System != ClusterName)
            return $"names cluster '{address.System}', but this node's cluster is '{ClusterName}'";
        if (address.Host is null || address.Port is null or <= 0)
            return "has no host and port";
        return null;
    }
}
