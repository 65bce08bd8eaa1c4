using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Cluster;
using Lfr.Actors.Van.Cameras;
using Lfr.Tests.Actors.ControlRoom;
using Microsoft.Extensions.Configuration;

namespace Lfr.Tests.Actors.Cluster;

public sealed class LfrNodeSettingsSpecs
{
    private static LfrNodeSettings Read(params (string Key, string Value)[] values) =>
        LfrNodeSettings.FromConfiguration(Configuration(values));

    private static IConfiguration Configuration((string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void A_van_should_read_its_role_port_and_seeds_from_the_Lfr_Node_section()
    {
        var settings = Read(
            ("Lfr:Node:Role", "van"),
            ("Lfr:Node:Port", "5100"),
            ("Lfr:Node:Seeds:0", "akka.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:Seeds:1", "akka.tcp://lfr@10.0.0.6:4053"),
            ("Lfr:Node:HttpPort", "9100"));

        Assert.Equal(LfrRole.Van, settings.Role);
        Assert.Equal(5100, settings.Port);
        Assert.Equal(9100, settings.HttpPort);
        Assert.Equal(["akka.tcp://lfr@10.0.0.5:4053", "akka.tcp://lfr@10.0.0.6:4053"], settings.Seeds);
    }

    [Fact]
    public void Environment_variables_LFR__NODE__should_configure_a_node_with_comma_separated_seeds()
    {
        var env = new Dictionary<string, string?>
        {
            ["LFR__NODE__ROLE"] = "console",
            ["LFR__NODE__SEEDS"] = "akka.tcp://lfr@10.0.0.5:4053, akka.tcp://lfr@10.0.0.6:4053",
        };
        var previous = env.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (k, v) in env) Environment.SetEnvironmentVariable(k, v);
            var settings = LfrNodeSettings.FromConfiguration(new ConfigurationBuilder().AddEnvironmentVariables().Build());

            Assert.Equal(LfrRole.Console, settings.Role);
            Assert.Equal(["akka.tcp://lfr@10.0.0.5:4053", "akka.tcp://lfr@10.0.0.6:4053"], settings.Seeds);
        }
        finally
        {
            foreach (var (k, v) in previous) Environment.SetEnvironmentVariable(k, v);
        }
    }

    [Fact]
    public void A_control_room_without_seeds_should_start_a_cluster_on_the_well_known_port()
    {
        var settings = Read(("Lfr:Node:Role", "control-room"));

        Assert.Empty(settings.Seeds);
        Assert.Equal(LfrNodeSettings.DefaultControlRoomPort, settings.Port);
        Assert.Equal("lfr", settings.ClusterName);
    }

    [Fact]
    public void Every_invalid_setting_should_be_reported_in_one_error()
    {
        var e = Assert.Throws<LfrSettingsException>(() => Read(
            ("Lfr:Node:Role", "van"),
            ("Lfr:Node:Port", "http"),
            ("Lfr:Node:HttpPort", "70000"),
            ("Lfr:Node:Hostname", "0.0.0.0"),
            ("Lfr:Node:Seeds", "akka.tcp://other@10.0.0.5:4053,not-an-address"),
            ("Lfr:Node:Prot", "4053")));

        Assert.Equal(7, e.Problems.Count);
        Assert.Contains("Lfr:Node:Tls: required: this node binds 0.0.0.0, which is not loopback", e.Message);
        Assert.Contains("Lfr:Node:Port: 'http' is not a port number", e.Message);
        Assert.Contains("Lfr:Node:HttpPort: 70000 is outside 0-65535", e.Message);
        Assert.Contains("Lfr:Node:PublicHostname: required", e.Message);
        Assert.Contains("names cluster 'other'", e.Message);
        Assert.Contains("'not-an-address' is not an address", e.Message);
        Assert.Contains("Lfr:Node:Prot: unknown setting", e.Message);
    }

    [Fact]
    public void A_van_without_seeds_should_be_told_it_needs_a_control_room_address()
    {
        var e = Assert.Throws<LfrSettingsException>(() => Read(("Lfr:Node:Role", "van")));

        Assert.Contains("Lfr:Node:Seeds: a van node needs at least one control-room address", Assert.Single(e.Problems));
    }

    [Fact]
    public void A_missing_or_unknown_role_should_be_reported_without_follow_on_errors()
    {
        Assert.Contains("Lfr:Node:Role: missing", Assert.Single(Assert.Throws<LfrSettingsException>(() => Read()).Problems));
        Assert.Contains("'ambulance' is not one of van, control-room, console",
            Assert.Single(Assert.Throws<LfrSettingsException>(() => Read(("Lfr:Node:Role", "ambulance"))).Problems));
    }

    [Fact]
    public void TLS_settings_should_switch_the_node_to_akka_ssl_tcp_with_its_certificate_and_the_force_CA()
    {
        using var force = new TestCertificates();
        var path = force.Issue(LfrRole.Van, "van-07");
        var revoked = new string('A', 40);

        var settings = Read(
            ("Lfr:Node:Role", "van"),
            ("Lfr:Node:Seeds", "akka.ssl.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:Tls:CertificatePath", path),
            ("Lfr:Node:Tls:RevokedThumbprints", revoked));

        Assert.Equal("akka.ssl.tcp", settings.Protocol);
        // the CA certificate lfr pki issue wrote beside the node's .pfx, and the name the certificate states
        Assert.Equal(Path.Combine(Path.GetDirectoryName(path)!, "ca.crt"), settings.Tls!.CaCertificatePath);
        Assert.Equal([revoked], settings.Tls.RevokedThumbprints);
        Assert.Equal("van-07", settings.Name);
    }

    [Fact]
    public void Every_invalid_TLS_setting_should_be_reported_in_the_same_error()
    {
        var e = Assert.Throws<LfrSettingsException>(() => Read(
            ("Lfr:Node:Role", "van"),
            ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:Tls:CertificatePath", "/nonexistent/van.pfx"),
            ("Lfr:Node:Tls:RevokedThumbprints", "not-hex")));

        Assert.Equal(4, e.Problems.Count);
        Assert.Contains("is a plain TCP address, but TLS is on", e.Message);
        Assert.Contains("Lfr:Node:Tls:CaCertificatePath: '/nonexistent/ca.crt' does not exist", e.Message);
        Assert.Contains("Lfr:Node:Tls:CertificatePath: '/nonexistent/van.pfx' does not exist", e.Message);
        Assert.Contains("'not-hex' is not a SHA-1 thumbprint", e.Message);
    }

    [Fact]
    public void A_node_should_run_only_as_the_role_and_name_its_certificate_states()
    {
        using var force = new TestCertificates();
        using var stranger = new TestCertificates("Another force");
        var van = force.Issue(LfrRole.Van, "van-07");

        var e = Assert.Throws<LfrSettingsException>(() => Read(("Lfr:Node:Role", "control-room"), ("Lfr:Node:Tls:CertificatePath", van)));
        Assert.Contains("the certificate is a van's (van-07); this node is a control-room", Assert.Single(e.Problems));

        e = Assert.Throws<LfrSettingsException>(() => Read(("Lfr:Node:Role", "van"), ("Lfr:Node:Seeds", "akka.ssl.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:NodeName", "van-01"), ("Lfr:Node:Tls:CertificatePath", van)));
        Assert.Contains("Lfr:Node:NodeName: 'van-01', but the node's certificate names it 'van-07'", Assert.Single(e.Problems));

        // a certificate of another CA is refused at start, not by every peer later
        e = Assert.Throws<LfrSettingsException>(() => Read(("Lfr:Node:Role", "control-room"),
            ("Lfr:Node:Tls:CertificatePath", stranger.Issue(LfrRole.ControlRoom, "control-room-1")),
            ("Lfr:Node:Tls:CaCertificatePath", Path.Combine(Path.GetDirectoryName(van)!, "ca.crt"))));
        Assert.Contains("does not chain to the force CA", Assert.Single(e.Problems));
    }

    [Fact]
    public void A_certificate_read_with_the_wrong_password_should_be_reported_at_start()
    {
        using var force = new TestCertificates();
        var path = force.Issue(LfrRole.ControlRoom, "control-room-1");

        var e = Assert.Throws<LfrSettingsException>(() => Read(
            ("Lfr:Node:Role", "control-room"),
            ("Lfr:Node:Tls:CertificatePath", path),
            ("Lfr:Node:Tls:CertificatePassword", "wrong")));

        Assert.Contains($"cannot read '{path}' as a .pfx with the given password", Assert.Single(e.Problems));
    }

    [Fact]
    public void A_van_should_read_its_data_folder_key_and_cameras_in_the_compact_and_the_structured_form()
    {
        using var data = new TempFolder();
        File.WriteAllText(data.File("assignment.pub"), AssignmentSigner.Create().PublicKeyPem);
        Directory.CreateDirectory(data.File("walkers"));
        File.WriteAllBytes(data.File("walkers/jo.jpg"), []);
        File.WriteAllBytes(data.File("clip.mp4"), []);

        var settings = Read(
            ("Lfr:Node:Role", "van"),
            ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:NodeName", "van-07"),
            ("Lfr:Node:DataFolder", data.Path),
            ("Lfr:Node:Cameras:0", $"front=scene:{data.File("walkers")}@12.5fps"),
            ("Lfr:Node:Cameras:1:Name", "rear"),
            ("Lfr:Node:Cameras:1:Source", "rtsp://user:secret@10.0.0.21:554/stream1"),
            ("Lfr:Node:Cameras:1:Fps", "5"),
            ("Lfr:Node:Cameras:2", $"side={data.File("clip.mp4")}"));

        Assert.Equal("van-07", settings.NodeName);
        Assert.Equal(data.File("assignment.pub"), settings.EffectiveAssignmentKeyPath);
        settings.LoadAssignmentVerifier();
        Assert.Equal(
            [
                new CameraSettings("front", $"scene:{data.File("walkers")}", 12.5),
                new CameraSettings("rear", "rtsp://user:secret@10.0.0.21:554/stream1", 5),
                new CameraSettings("side", data.File("clip.mp4")),
            ],
            settings.Cameras);
        // a camera's password is no more printable than the journal's
        Assert.DoesNotContain("secret", settings.ToString());
    }

    [Fact]
    public void A_van_should_read_its_detector_budget_and_refuse_one_that_is_not_a_count()
    {
        var van = new[] { ("Lfr:Node:Role", "van"), ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053") };

        Assert.Equal(Lfr.Vision.Detection.DetectionSchedule.DefaultBudget, Read(van).DetectorBudget);
        Assert.Equal(0, Read([.. van, ("Lfr:Node:DetectorBudget", "0")]).DetectorBudget);
        Assert.Equal(8, Read([.. van, ("Lfr:Node:DetectorBudget", "8")]).DetectorBudget);
        Assert.Contains("Lfr:Node:DetectorBudget: '-1' is not a whole number from 0 to 1000",
            Assert.Single(Assert.Throws<LfrSettingsException>(() => Read([.. van, ("Lfr:Node:DetectorBudget", "-1")])).Problems));
    }

    [Fact]
    public void A_control_room_should_keep_its_journal_password_out_of_its_printed_settings_and_create_its_key_in_the_data_folder()
    {
        using var data = new TempFolder();
        var settings = Read(
            ("Lfr:Node:Role", "control-room"),
            ("Lfr:Node:DataFolder", data.Path),
            ("Lfr:Node:Postgres", "Host=10.0.0.9;Username=lfr;Password=journal-secret"));

        Assert.DoesNotContain("journal-secret", settings.ToString());
        Assert.False(File.Exists(data.File("watchlist.key")));
        settings.LoadWatchlistKey();
        Assert.True(File.Exists(data.File("watchlist.key")));
        // the assignment key, and its public half for the vans beside it; the same key on the next start
        var signer = settings.LoadAssignmentSigner();
        Assert.Equal(signer.PublicKeyPem, File.ReadAllText(data.File("assignment.pub")));
        Assert.Equal(signer.PublicKeyPem, settings.LoadAssignmentSigner().PublicKeyPem);
    }

    [Fact]
    public void Every_invalid_data_folder_journal_key_and_camera_setting_should_be_reported_in_one_error()
    {
        using var data = new TempFolder();
        var e = Assert.Throws<LfrSettingsException>(() => Read(
            ("Lfr:Node:Role", "van"),
            ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:NodeName", "van/07"),
            ("Lfr:Node:DataFolder", data.Path),
            ("Lfr:Node:Postgres", "Host=10.0.0.9"),
            ("Lfr:Node:Cameras:0", "front=scene:/nonexistent/walkers"),
            ("Lfr:Node:Cameras:1", "front=/nonexistent/clip.mp4@90fps"),
            ("Lfr:Node:Cameras:2", "ftp://10.0.0.21/cam"),
            ("Lfr:Node:Cameras:3:Name", "rear"),
            ("Lfr:Node:Cameras:3:Url", "rtsp://10.0.0.21/stream1")));

        Assert.Contains("Lfr:Node:NodeName: 'van/07' must be", e.Message);
        Assert.Contains("Lfr:Node:Postgres: only a control-room node keeps a journal", e.Message);
        Assert.Contains($"Lfr:Node:AssignmentKeyPath: '{data.File("assignment.pub")}' does not exist; copy the control room's assignment.pub there", e.Message);
        Assert.Contains("Lfr:Node:Cameras:0:Source: scene folder '/nonexistent/walkers' does not exist", e.Message);
        Assert.Contains("Lfr:Node:Cameras:1:Fps: 90 is outside (0, 60]", e.Message);
        Assert.Contains("Lfr:Node:Cameras:1:Source: video file '/nonexistent/clip.mp4' does not exist", e.Message);
        Assert.Contains("Lfr:Node:Cameras:2:Name: '' must be", e.Message);
        Assert.Contains("Lfr:Node:Cameras:2:Source: 'ftp://10.0.0.21/cam' is not an rtsp://", e.Message);
        Assert.Contains("Lfr:Node:Cameras:3:Url: unknown setting", e.Message);
        Assert.Contains("Lfr:Node:Cameras:3:Source: missing", e.Message);
        Assert.Contains("Lfr:Node:Cameras: camera name 'front' is used 2 times", e.Message);
        Assert.Equal(11, e.Problems.Count);
    }

    [Fact]
    public void Cameras_and_a_journal_without_a_data_folder_or_on_the_wrong_role_should_be_refused()
    {
        var e = Assert.Throws<LfrSettingsException>(() => Read(
            ("Lfr:Node:Role", "console"),
            ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:Cameras:0", "front=0")));
        Assert.Contains("Lfr:Node:Cameras: only a van node has cameras", Assert.Single(e.Problems));

        e = Assert.Throws<LfrSettingsException>(() => Read(
            ("Lfr:Node:Role", "control-room"),
            ("Lfr:Node:Postgres", "Host=10.0.0.9"),
            ("Lfr:Node:WatchlistKeyPath", "/etc/lfr/watchlist.key")));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("Lfr:Node:Postgres: needs Lfr:Node:DataFolder too", e.Message);
        Assert.Contains("Lfr:Node:WatchlistKeyPath: needs Lfr:Node:DataFolder", e.Message);
    }

    [Fact]
    public void A_van_with_a_data_folder_should_need_a_name_that_survives_a_restart()
    {
        using var data = new TempFolder();
        File.WriteAllText(data.File("assignment.pub"), AssignmentSigner.Create().PublicKeyPem);
        (string, string)[] van = [("Lfr:Node:Role", "van"), ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053"), ("Lfr:Node:DataFolder", data.Path)];

        var e = Assert.Throws<LfrSettingsException>(() => Read(van));
        Assert.Contains("Lfr:Node:NodeName: a van with a data folder needs a name that survives a restart", Assert.Single(e.Problems));

        Assert.Equal("van-07", Read([.. van, ("Lfr:Node:NodeName", "van-07")]).Name);
        Assert.Equal("10.8.0.17:4060", Read([.. van, ("Lfr:Node:PublicHostname", "10.8.0.17"), ("Lfr:Node:Port", "4060")]).Name);
    }

    [Fact]
    public void A_node_bound_beyond_loopback_should_refuse_to_start_without_mutual_TLS()
    {
        (string, string)[] van = [("Lfr:Node:Role", "van"), ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053")];

        foreach (var host in new[] { "10.8.0.17", "0.0.0.0", "van-07.force.local" })
        {
            var e = Assert.Throws<LfrSettingsException>(() => Read([.. van, ("Lfr:Node:Hostname", host), ("Lfr:Node:PublicHostname", "10.8.0.17")]));
            Assert.Contains($"Lfr:Node:Tls: required: this node binds {host}, which is not loopback", Assert.Single(e.Problems));
        }
        foreach (var host in new[] { "127.0.0.1", "127.0.1.1", "::1", "localhost" })
            Assert.Equal(host, Read([.. van, ("Lfr:Node:Hostname", host)]).Hostname);
    }

    [Fact]
    public void A_van_should_hold_no_watchlist_key()
    {
        using var data = new TempFolder();
        File.WriteAllText(data.File("watchlist.key"), Convert.ToBase64String(new byte[32]));
        File.WriteAllText(data.File("assignment.pub"), AssignmentSigner.Create().PublicKeyPem);

        var e = Assert.Throws<LfrSettingsException>(() => Read(("Lfr:Node:Role", "van"), ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:NodeName", "van-07"), ("Lfr:Node:DataFolder", data.Path), ("Lfr:Node:WatchlistKeyPath", data.File("watchlist.key"))));

        Assert.Contains("Lfr:Node:WatchlistKeyPath: only a control room holds the watchlist key", Assert.Single(e.Problems));
    }
}
