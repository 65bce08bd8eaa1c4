using Lfr.Actors.Cluster;
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

        Assert.Equal(6, e.Problems.Count);
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
    public void TLS_settings_should_switch_the_node_to_akka_ssl_tcp_with_its_certificate_and_allow_list()
    {
        using var certificates = new TestCertificates();
        var (path, thumbprint) = certificates.Create("van-07");
        var other = new string('A', 40);

        var settings = Read(
            ("Lfr:Node:Role", "van"),
            ("Lfr:Node:Seeds", "akka.ssl.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:Tls:CertificatePath", path),
            ("Lfr:Node:Tls:CertificatePassword", "node-certificate-password"),
            ("Lfr:Node:Tls:AllowedThumbprints", $"{thumbprint},{other}"));

        Assert.Equal("akka.ssl.tcp", settings.Protocol);
        Assert.Equal([thumbprint, other], settings.Tls!.AllowedThumbprints);
        Assert.DoesNotContain("node-certificate-password", settings.ToString());
    }

    [Fact]
    public void Every_invalid_TLS_setting_should_be_reported_in_the_same_error()
    {
        var e = Assert.Throws<LfrSettingsException>(() => Read(
            ("Lfr:Node:Role", "van"),
            ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053"),
            ("Lfr:Node:Tls:CertificatePath", "/nonexistent/van.pfx"),
            ("Lfr:Node:Tls:AllowedThumbprints", "not-hex")));

        Assert.Equal(3, e.Problems.Count);
        Assert.Contains("is a plain TCP address, but TLS is on", e.Message);
        Assert.Contains("Lfr:Node:Tls:CertificatePath: '/nonexistent/van.pfx' does not exist", e.Message);
        Assert.Contains("'not-hex' is not a SHA-1 thumbprint", e.Message);
    }

    [Fact]
    public void A_certificate_read_with_the_wrong_password_should_be_reported_at_start()
    {
        using var certificates = new TestCertificates();
        var (path, thumbprint) = certificates.Create("van-07");

        var e = Assert.Throws<LfrSettingsException>(() => Read(
            ("Lfr:Node:Role", "control-room"),
            ("Lfr:Node:Tls:CertificatePath", path),
            ("Lfr:Node:Tls:CertificatePassword", "wrong"),
            ("Lfr:Node:Tls:AllowedThumbprints", thumbprint)));

        Assert.Contains($"cannot read '{path}' as a .pfx with the given password", Assert.Single(e.Problems));
    }
}
