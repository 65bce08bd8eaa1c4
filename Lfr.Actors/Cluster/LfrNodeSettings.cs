using System.Globalization;
using System.Net;
using Akka.Actor;
using Microsoft.Extensions.Configuration;

namespace Lfr.Actors.Cluster;

/// <summary>
/// Who this node is and how it finds the cluster: the settings an operator gives per node (appsettings, environment
/// <c>LFR__NODE__...</c>, command line), under the configuration section <c>Lfr:Node</c>. Everything else about a node
/// lives in <c>hocon/</c>.
/// </summary>
public sealed record LfrNodeSettings
{
    public const string Section = "Lfr:Node";
    public const string DefaultClusterName = "lfr";

    /// <summary>The control room is the seed the others are told about, so it listens on a known port by default.</summary>
    public const int DefaultControlRoomPort = 4053;

    public const int DefaultHttpPort = 8080;

    public required LfrRole Role { get; init; }

    /// <summary>The address remoting binds to; <c>0.0.0.0</c> binds every interface and then needs <see cref="PublicHostname"/>.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (vans and consoles, which nobody dials first).</summary>
    public int Port { get; init; }

    /// <summary>The host name other nodes reach this one by, when it differs from <see cref="Hostname"/> (NAT, 0.0.0.0).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>
    /// Addresses of control-room nodes to join, e.g. <c>akka.tcp://lfr@10.0.0.5:4053</c>. Empty on a control room means
    /// it is the first node and joins itself; a van or a console must be given at least one.
    /// </summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    public string ClusterName { get; init; } = DefaultClusterName;

    /// <summary>Port of <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>, on <see cref="Hostname"/>.</summary>
    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>Mutual TLS between nodes; null: plain TCP (a private network or a VPN carries the cluster).</summary>
    public LfrTlsSettings? Tls { get; init; }

    /// <summary>The scheme of this node's address and of the seeds it may join: TLS changes it.</summary>
    public string Protocol => Tls is null ? "akka.tcp" : "akka.ssl.tcp";

    private static readonly string[] Keys = [nameof(Role), nameof(Hostname), nameof(Port), nameof(PublicHostname), nameof(Seeds), nameof(ClusterName), nameof(HttpPort), nameof(Tls)];
    private static readonly string[] TlsKeys = [nameof(LfrTlsSettings.CertificatePath), nameof(LfrTlsSettings.CertificatePassword), nameof(LfrTlsSettings.AllowedThumbprints)];

    /// <summary>
    /// Reads <see cref="Section"/>. Throws one <see cref="LfrSettingsException"/> that lists every invalid or unknown
    /// setting, so an operator fixes them all in one go rather than one start at a time.
    /// </summary>
    public static LfrNodeSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var errors = new List<string>();

        foreach (var child in section.GetChildren())
            if (!Keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                errors.Add($"{Key(child.Key)}: unknown setting (known: {string.Join(", ", Keys)})");
        var tls = section.GetSection(nameof(Tls));
        foreach (var child in tls.GetChildren())
            if (!TlsKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                errors.Add($"{Key(nameof(Tls))}:{child.Key}: unknown setting (known: {string.Join(", ", TlsKeys)})");
        var certificatePath = NullIfBlank(tls[nameof(LfrTlsSettings.CertificatePath)]);
        if (certificatePath is null && tls.GetChildren().Any())
            errors.Add($"{Key(nameof(Tls))}:{nameof(LfrTlsSettings.CertificatePath)}: missing; TLS needs this node's certificate");

        var roleText = section[nameof(Role)];
        var roleKnown = LfrRoles.TryParse(roleText, out var role);
        if (string.IsNullOrWhiteSpace(roleText))
            errors.Add($"{Key(nameof(Role))}: missing; one of {string.Join(", ", LfrRoles.All)}");
        else if (!roleKnown)
            errors.Add($"{Key(nameof(Role))}: '{roleText}' is not one of {string.Join(", ", LfrRoles.All)}");

        var port = ReadPort(section, nameof(Port), role == LfrRole.ControlRoom ? DefaultControlRoomPort : 0, errors);
        var httpPort = ReadPort(section, nameof(HttpPort), DefaultHttpPort, errors);

        var settings = new LfrNodeSettings
        {
            Role = role,
            Hostname = section[nameof(Hostname)] ?? "127.0.0.1",
            Port = port,
            PublicHostname = NullIfBlank(section[nameof(PublicHostname)]),
            Seeds = ReadList(section.GetSection(nameof(Seeds))),
            ClusterName = section[nameof(ClusterName)] ?? DefaultClusterName,
            HttpPort = httpPort,
            Tls = certificatePath is null
                ? null
                : new LfrTlsSettings
                {
                    CertificatePath = certificatePath,
                    CertificatePassword = tls[nameof(LfrTlsSettings.CertificatePassword)],
                    AllowedThumbprints = ReadList(tls.GetSection(nameof(LfrTlsSettings.AllowedThumbprints))),
                },
        };
        // a role that failed to parse has already been reported; checks that depend on it would only add noise
        errors.AddRange(settings.Problems(roleKnown));
        if (errors.Count > 0) throw new LfrSettingsException(errors.Distinct().ToList());
        return settings;
    }

    /// <summary>Throws <see cref="LfrSettingsException"/> when these settings cannot make a working node.</summary>
    public LfrNodeSettings Validate()
    {
        var problems = Problems(roleKnown: true).ToList();
        return problems.Count == 0 ? this : throw new LfrSettingsException(problems);
    }

    private IEnumerable<string> Problems(bool roleKnown)
    {
        if (roleKnown && !Enum.IsDefined(Role))
            yield return $"{Key(nameof(Role))}: '{Role}' is not one of {string.Join(", ", LfrRoles.All)}";
        if (string.IsNullOrWhiteSpace(Hostname))
            yield return $"{Key(nameof(Hostname))}: empty";
        if (Port is < 0 or > 65535)
            yield return $"{Key(nameof(Port))}: {Port} is outside 0-65535";
        if (HttpPort is < 0 or > 65535)
            yield return $"{Key(nameof(HttpPort))}: {HttpPort} is outside 0-65535";
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
            foreach (var problem in Tls.Problems())
                yield return problem;
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

    private static int ReadPort(IConfigurationSection section, string key, int fallback, List<string> errors)
    {
        var text = section[key];
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)) return port;
        errors.Add($"{Key(key)}: '{text}' is not a port number");
        return fallback;
    }

    // Either a list (Seeds:0, Seeds:1 — appsettings arrays, LFR__NODE__SEEDS__0) or one comma-separated value.
    private static List<string> ReadList(IConfigurationSection list)
    {
        var values = list.Value is { } single ? [single] : list.GetChildren().Select(c => c.Value ?? "");
        return values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string Key(string name) => $"{Section}:{name}";
}

/// <summary>Node settings that cannot make a working node; the message lists every problem, one per line.</summary>
public sealed class LfrSettingsException(IReadOnlyList<string> problems)
    : Exception("invalid node settings:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
