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

/// <summary>
/// Who this node is and how it finds the cluster: the settings an operator gives per node (appsettings, environment
/// <c>LFR__NODE__...</c>, command line), under the configuration section <c>Lfr:Node</c>, and the role's policies from the
/// sections beside it (<see cref="ControlRoomSettings"/>, <see cref="VanSettings"/>, <see cref="LiveViewSettings"/>), read and
/// checked together so one start reports every bad key. Akka's internals live in <c>hocon/</c>.
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
    /// The port other nodes dial, when it differs from <see cref="Port"/> (a NAT or a relay forwards it); null: <see cref="Port"/>.
    /// </summary>
    public int? PublicPort { get; init; }

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

    /// <summary>
    /// How this node is shown to people (the console, camera names in the live view: <c>NAME/CAMERA</c>); null: the
    /// address other nodes dial, <c>HOST:PORT</c>.
    /// </summary>
    public string? NodeName { get; init; }

    /// <summary>
    /// Where the node keeps its files: a van's alert outbox, the control room's SQLite stores and journal, the watchlist
    /// key. Null composes the cluster parts only (a node that joins, reports health and does nothing else).
    /// </summary>
    public string? DataFolder { get; init; }

    /// <summary>
    /// The control room's journal on PostgreSQL (an Npgsql connection string; give it through the environment, it holds
    /// a password). Null: a SQLite journal in <see cref="DataFolder"/>. Images and watchlists stay in the data folder.
    /// </summary>
    public string? Postgres { get; init; }

    /// <summary>
    /// The watchlist signing key file, the same on the control room and every van; null: <c>DataFolder/watchlist.key</c>.
    /// The control room creates the default file on first start; a van must be given a copy.
    /// </summary>
    public string? WatchlistKeyPath { get; init; }

    /// <summary>
    /// The assignment key (<c>lfr pki</c> explains): on a control room its ECDSA P-256 signing key, created 0600 when
    /// missing, with its public half written beside it as <c>assignment.pub</c>; on a van, a copy of that public key,
    /// which is all a van holds. Null: <c>assignment.key</c> (control room) or <c>assignment.pub</c> (van) in the data folder.
    /// </summary>
    public string? AssignmentKeyPath { get; init; }

    /// <summary>
    /// The master key file that wraps the keys of the node's images, embeddings and outbox (created 0600 when missing); kept
    /// outside <see cref="DataFolder"/>. Null: <c>LFR_MASTER_KEY</c> (base64, e.g. from a KMS), <c>LFR_MASTER_KEY_FILE</c>,
    /// else <c>$XDG_DATA_HOME/lfr/master.key</c>.
    /// </summary>
    public string? MasterKeyPath { get; init; }

    /// <summary>A van's cameras, started when the node has a <see cref="DataFolder"/>.</summary>
    public IReadOnlyList<CameraSettings> Cameras { get; init; } = [];

    /// <summary>
    /// A van's detector runs per frame and camera, the whole frame included (<see cref="Lfr.Vision.Detection.DetectionSchedule"/>);
    /// 0 runs every tile of every frame (13 runs for 1080p).
    /// </summary>
    public int DetectorBudget { get; init; } = Lfr.Vision.Detection.DetectionSchedule.DefaultBudget;

    /// <summary>The control room's policies (<c>Lfr:ControlRoom</c>), read with the node's settings; used on a control room.</summary>
    public ControlRoomSettings ControlRoom { get; init; } = new();

    /// <summary>A van's policies (<c>Lfr:Van</c>), read with the node's settings; used on a van.</summary>
    public VanSettings Van { get; init; } = new();

    /// <summary>The operator view (<c>Lfr:LiveView</c>): rendered on vans, relayed to the hubs of control rooms and consoles.</summary>
    public LiveViewSettings LiveView { get; init; } = new();

    /// <summary>The scheme of this node's address and of the seeds it may join: TLS changes it.</summary>
    public string Protocol => Tls is null ? "akka.tcp" : "akka.ssl.tcp";

    /// <summary>The watchlist key file in force: <see cref="WatchlistKeyPath"/>, else <c>watchlist.key</c> in the data folder.</summary>
    public string? EffectiveWatchlistKeyPath =>
        WatchlistKeyPath ?? (DataFolder is null ? null : Path.Combine(DataFolder, WatchlistSigningKey.DefaultFileName));

    /// <summary>The assignment key file in force: <see cref="AssignmentKeyPath"/>, else the role's file in the data folder.</summary>
    public string? EffectiveAssignmentKeyPath =>
        AssignmentKeyPath ?? (DataFolder is null
            ? null
            : Path.Combine(DataFolder, Role == LfrRole.ControlRoom ? AssignmentSigner.DefaultFileName : AssignmentVerifier.DefaultFileName));

    /// <summary>The control room's assignment signing key, created on its first start.</summary>
    public AssignmentSigner LoadAssignmentSigner() =>
        AssignmentSigner.LoadOrCreate(EffectiveAssignmentKeyPath ?? throw new InvalidOperationException("no data folder and no assignment key path"));

    /// <summary>The public key a van verifies its assignments with.</summary>
    public AssignmentVerifier LoadAssignmentVerifier() =>
        AssignmentVerifier.FromFile(EffectiveAssignmentKeyPath ?? throw new InvalidOperationException("no data folder and no assignment key path"));

    /// <summary>
    /// <see cref="NodeName"/>, else <c>HOST:PORT</c> as other nodes dial this one. A van's cameras are <c>NAME/CAMERA</c> in
    /// deployments and in the live view, so a van with a data folder needs a name that survives a restart (validated).
    /// </summary>
    public string Name => NodeName ?? TlsIdentityName ?? $"{PublicHostname ?? Hostname}:{PublicPort ?? Port}";

    // read once: the name a node's certificate states is its name when none is configured
    private string? TlsIdentityName => _tlsName ??= Tls is null ? null : Tls.Identity()?.Name;
    private string? _tlsName;

    /// <summary>
    /// The watchlist signing key. The control room creates the default key file when it is missing (it is the authority
    /// that signs); anywhere else a missing file is an error, since a new key could verify nothing.
    /// </summary>
    public WatchlistSigningKey LoadWatchlistKey()
    {
        var path = EffectiveWatchlistKeyPath ?? throw new InvalidOperationException("no data folder and no watchlist key path");
        var creates = Role == LfrRole.ControlRoom && WatchlistKeyPath is null;
        return WatchlistSigningKey.Resolve(creates ? new WatchlistKeySettings(DataFolder: DataFolder) : new WatchlistKeySettings(KeyFile: path)).Key;
    }

    /// <summary>The master key: <see cref="MasterKeyPath"/>, else the environment or the default key file.</summary>
    public MasterKey LoadMasterKey() =>
        MasterKeyPath is null ? MasterKey.Resolve(MasterKeySettings.FromEnvironment()) : MasterKey.Resolve(new MasterKeySettings(KeyFile: MasterKeyPath));

    // the record's generated ToString would print the PostgreSQL password
    public override string ToString() =>
        $"{nameof(LfrNodeSettings)} {{ {nameof(Role)} = {Role}, {nameof(NodeName)} = {NodeName}, {nameof(Hostname)} = {Hostname}, " +
        $"{nameof(Port)} = {Port}, {nameof(PublicHostname)} = {PublicHostname}, {nameof(PublicPort)} = {PublicPort}, {nameof(Seeds)} = [{string.Join(", ", Seeds)}], " +
        $"{nameof(ClusterName)} = {ClusterName}, {nameof(HttpPort)} = {HttpPort}, {nameof(Tls)} = {Tls}, {nameof(DataFolder)} = {DataFolder}, " +
        $"{nameof(Postgres)} = {(Postgres is null ? "unset" : "set")}, {nameof(WatchlistKeyPath)} = {WatchlistKeyPath}, " +
        $"{nameof(MasterKeyPath)} = {MasterKeyPath}, {nameof(AssignmentKeyPath)} = {AssignmentKeyPath}, " +
        $"{nameof(Cameras)} = [{string.Join(", ", Cameras)}], {nameof(DetectorBudget)} = {DetectorBudget} }}";

    private static readonly string[] Keys =
    [
        nameof(Role), nameof(Hostname), nameof(Port), nameof(PublicHostname), nameof(PublicPort), nameof(Seeds), nameof(ClusterName), nameof(HttpPort), nameof(Tls),
        nameof(NodeName), nameof(DataFolder), nameof(Postgres), nameof(WatchlistKeyPath), nameof(MasterKeyPath), nameof(AssignmentKeyPath), nameof(Cameras), nameof(DetectorBudget),
    ];
    /// <summary>The keys under <see cref="Section"/>, in the order <c>lfr config show</c> lists them.</summary>
    public static IReadOnlyList<string> SettingNames => Keys;

    private static readonly string[] CameraKeys =
        [nameof(CameraSettings.Name), nameof(CameraSettings.Source), nameof(CameraSettings.Fps), nameof(CameraSettings.Transport), nameof(CameraSettings.HardwareDecode)];
    private static readonly string[] TlsKeys =
        [nameof(LfrTlsSettings.CertificatePath), nameof(LfrTlsSettings.CertificatePassword), nameof(LfrTlsSettings.CaCertificatePath), nameof(LfrTlsSettings.RevokedThumbprints)];

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
        var cameras = ReadCameras(section.GetSection(nameof(Cameras)), errors);
        var httpPort = ReadPort(section, nameof(HttpPort), DefaultHttpPort, errors);
        var detectorBudget = ReadCount(section, nameof(DetectorBudget), Lfr.Vision.Detection.DetectionSchedule.DefaultBudget, errors);

        var settings = new LfrNodeSettings
        {
            Role = role,
            Hostname = section[nameof(Hostname)] ?? "127.0.0.1",
            Port = port,
            PublicHostname = NullIfBlank(section[nameof(PublicHostname)]),
            PublicPort = section[nameof(PublicPort)] is null ? null : ReadPort(section, nameof(PublicPort), 0, errors),
            Seeds = ReadList(section.GetSection(nameof(Seeds))),
            ClusterName = section[nameof(ClusterName)] ?? DefaultClusterName,
            HttpPort = httpPort,
            NodeName = NullIfBlank(section[nameof(NodeName)]),
            DataFolder = NullIfBlank(section[nameof(DataFolder)]),
            Postgres = NullIfBlank(section[nameof(Postgres)]),
            WatchlistKeyPath = NullIfBlank(section[nameof(WatchlistKeyPath)]),
            MasterKeyPath = NullIfBlank(section[nameof(MasterKeyPath)]),
            AssignmentKeyPath = NullIfBlank(section[nameof(AssignmentKeyPath)]),
            Cameras = cameras,
            DetectorBudget = detectorBudget,
            Tls = certificatePath is null
                ? null
                : new LfrTlsSettings
                {
                    CertificatePath = certificatePath,
                    CertificatePassword = tls[nameof(LfrTlsSettings.CertificatePassword)],
                    CaCertificatePath = NullIfBlank(tls[nameof(LfrTlsSettings.CaCertificatePath)])
                        ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(certificatePath))!, Credentials.ForcePki.CaCertificateFile),
                    RevokedThumbprints = ReadList(tls.GetSection(nameof(LfrTlsSettings.RevokedThumbprints))),
                },
            ControlRoom = SettingsBinder.Bind<ControlRoomSettings>(configuration, ControlRoomSettings.Section, errors),
            Van = SettingsBinder.Bind<VanSettings>(configuration, VanSettings.Section, errors),
            LiveView = SettingsBinder.Bind<LiveViewSettings>(configuration, LiveViewSettings.Section, errors),
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

    private static int ReadPort(IConfigurationSection section, string key, int fallback, List<string> errors)
    {
        var text = section[key];
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)) return port;
        errors.Add($"{Key(key)}: '{text}' is not a port number");
        return fallback;
    }

    private static int ReadCount(IConfigurationSection section, string key, int fallback, List<string> errors)
    {
        var text = section[key];
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= 1000) return count;
        errors.Add($"{Key(key)}: '{text}' is not a whole number from 0 to 1000");
        return fallback;
    }

    // Each entry either NAME=SOURCE[@FPSfps] (a command-line option, LFR__NODE__CAMERAS__0) or Name/Source/Fps/Transport/HardwareDecode keys.
    private static List<CameraSettings> ReadCameras(IConfigurationSection list, List<string> errors)
    {
        var cameras = new List<CameraSettings>();
        foreach (var entry in list.GetChildren())
        {
            var key = $"{Key(nameof(Cameras))}:{entry.Key}";
            if (entry.Value is { } compact)
            {
                cameras.Add(CameraSettings.Parse(compact));
                continue;
            }
            foreach (var child in entry.GetChildren())
                if (!CameraKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                    errors.Add($"{key}:{child.Key}: unknown setting (known: {string.Join(", ", CameraKeys)})");
            double? fps = null;
            if (entry[nameof(CameraSettings.Fps)] is { } fpsText)
            {
                if (double.TryParse(fpsText, NumberStyles.Float, CultureInfo.InvariantCulture, out var f)) fps = f;
                else errors.Add($"{key}:{nameof(CameraSettings.Fps)}: '{fpsText}' is not a number");
            }
            var transport = StreamTransport.Tcp;
            if (entry[nameof(CameraSettings.Transport)] is { } transportText && !Enum.TryParse(transportText, ignoreCase: true, out transport))
                errors.Add($"{key}:{nameof(CameraSettings.Transport)}: '{transportText}' is not tcp or udp");
            var hardware = false;
            if (entry[nameof(CameraSettings.HardwareDecode)] is { } hardwareText && !bool.TryParse(hardwareText, out hardware))
                errors.Add($"{key}:{nameof(CameraSettings.HardwareDecode)}: '{hardwareText}' is not true or false");
            cameras.Add(new CameraSettings(entry[nameof(CameraSettings.Name)] ?? "", entry[nameof(CameraSettings.Source)] ?? "", fps)
            {
                Transport = transport,
                HardwareDecode = hardware,
            });
        }
        return cameras;
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
    : Exception("invalid settings:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
