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
public sealed partial record LfrNodeSettings
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

    /// <summary>
    /// A control room's audit key file (HMAC-SHA256 over the audit chain and its exported heads; created 0600 when
    /// missing), kept outside <see cref="DataFolder"/> and the database. Null: <c>LFR_AUDIT_KEY</c> (base64),
    /// <c>LFR_AUDIT_KEY_FILE</c>, else <c>$XDG_DATA_HOME/lfr/audit.key</c>.
    /// </summary>
    public string? AuditKeyPath { get; init; }

    /// <summary>Where a control room writes its signed audit heads (each deployment's end, and daily); null: <c>DataFolder/audit-heads</c>.</summary>
    public string? AuditHeadsFolder { get; init; }

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

    /// <summary>The audit key: <see cref="AuditKeyPath"/>, else the environment or the default key file.</summary>
    public Lfr.Actors.ControlRoom.Audit.AuditKey LoadAuditKey() => Lfr.Actors.ControlRoom.Audit.AuditKey.Resolve(AuditKeyPath);

    /// <summary>The master key: <see cref="MasterKeyPath"/>, else the environment or the default key file.</summary>
    public MasterKey LoadMasterKey() =>
        MasterKeyPath is null ? MasterKey.Resolve(MasterKeySettings.FromEnvironment()) : MasterKey.Resolve(new MasterKeySettings(KeyFile: MasterKeyPath));

    // the record's generated ToString would print the PostgreSQL password
    public override string ToString() =>
        $"{nameof(LfrNodeSettings)} {{ {nameof(Role)} = {Role}, {nameof(NodeName)} = {NodeName}, {nameof(Hostname)} = {Hostname}, " +
        $"{nameof(Port)} = {Port}, {nameof(PublicHostname)} = {PublicHostname}, {nameof(PublicPort)} = {PublicPort}, {nameof(Seeds)} = [{string.Join(", ", Seeds)}], " +
        $"{nameof(ClusterName)} = {ClusterName}, {nameof(HttpPort)} = {HttpPort}, {nameof(Tls)} = {Tls}, {nameof(DataFolder)} = {DataFolder}, " +
        $"{nameof(Postgres)} = {(Postgres is null ? "unset" : "set")}, {nameof(WatchlistKeyPath)} = {WatchlistKeyPath}, " +
        $"{nameof(MasterKeyPath)} = {MasterKeyPath}, {nameof(AssignmentKeyPath)} = {AssignmentKeyPath}, {nameof(AuditKeyPath)} = {AuditKeyPath}, {nameof(AuditHeadsFolder)} = {AuditHeadsFolder}, " +
        $"{nameof(Cameras)} = [{string.Join(", ", Cameras)}], {nameof(DetectorBudget)} = {DetectorBudget} }}";
}

/// <summary>Node settings that cannot make a working node; the message lists every problem, one per line.</summary>
public sealed class LfrSettingsException(IReadOnlyList<string> problems)
    : Exception("invalid settings:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
