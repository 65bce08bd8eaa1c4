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

/// <summary>Reading <c>Lfr:Node</c> from configuration: every key known, every bad value reported at once.</summary>
public sealed partial record LfrNodeSettings
{
    private static readonly string[] Keys =
    [
        nameof(Role), nameof(Hostname), nameof(Port), nameof(PublicHostname), nameof(PublicPort), nameof(Seeds), nameof(ClusterName), nameof(HttpPort), nameof(Tls),
        nameof(NodeName), nameof(DataFolder), nameof(Postgres), nameof(WatchlistKeyPath), nameof(MasterKeyPath), nameof(AssignmentKeyPath), nameof(Cameras), nameof(DetectorBudget),
        nameof(AuditKeyPath), nameof(AuditHeadsFolder),
        // read by the host (Lfr.Host.Web.WebHttpsSettings): the web's certificate
        "Https",
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
            AuditKeyPath = NullIfBlank(section[nameof(AuditKeyPath)]),
            AuditHeadsFolder = NullIfBlank(section[nameof(AuditHeadsFolder)]),
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
