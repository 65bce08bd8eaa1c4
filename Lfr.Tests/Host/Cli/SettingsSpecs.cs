using Lfr.Actors.Cluster;
using Lfr.Host.Cli;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// One configuration tree: the README's table is the settings records' own, a bad value stops a node with the key and why,
/// and <c>lfr config show</c> tells where each value came from without showing a secret.
/// </summary>
public sealed class SettingsSpecs
{
    [Fact]
    public void README_should_hold_the_table_of_every_policy_setting_as_the_records_make_it()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepoRoot(), "README.md"));
        var table = SettingsCatalog.Markdown();
        Assert.True(readme.Contains(table, StringComparison.Ordinal),
            $"README.md's settings table is not the records' own; paste the output of `lfr config show --markdown`:\n{table}");
    }

    [Fact]
    public void README_should_list_every_node_setting()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepoRoot(), "README.md"));
        foreach (var name in LfrNodeSettings.SettingNames)
            Assert.Contains($"| `{name}", readme);
    }

    [Theory]
    [InlineData("Lfr:ControlRoom:Retention:CaptureRetention=thirty days", "Lfr:ControlRoom:Retention:CaptureRetention: 'thirty days' is not a duration")]
    [InlineData("Lfr:ControlRoom:Retention:DismissedRetention=-1d", "Lfr:ControlRoom:Retention:DismissedRetention: must be positive")]
    [InlineData("Lfr:ControlRoom:Watchlists:TimeZone=Mars/Olympus", "Lfr:ControlRoom:Watchlists:TimeZone: 'Mars/Olympus' is not a time zone")]
    [InlineData("Lfr:ControlRoom:Watchlists:DailyWipeAt=25:00", "Lfr:ControlRoom:Watchlists:DailyWipeAt: '25:00' is not a time of day")]
    [InlineData("Lfr:ControlRoom:Alerts:TwoPersonConfirmation=maybe", "Lfr:ControlRoom:Alerts:TwoPersonConfirmation: 'maybe' is not true or false")]
    [InlineData("Lfr:ControlRoom:Alerts:TwoPerson=true", "Lfr:ControlRoom:Alerts:TwoPerson: unknown setting")]
    [InlineData("Lfr:ControlRoom:Alerts:UrgencyByCategory:Shoplifting=1", "Lfr:ControlRoom:Alerts:UrgencyByCategory:Shoplifting: 'Shoplifting' is not one of")]
    [InlineData("Lfr:ControlRoom:Deployments:ReauthoriseBelow=1.5", "Lfr:ControlRoom:Deployments:ReauthoriseBelow: 1.5 is outside (0, 1]")]
    [InlineData("Lfr:ControlRoom:Officers:AcknowledgeWithin=0s", "Lfr:ControlRoom:Officers:AcknowledgeWithin: 00:00:00 is outside 1s-1h")]
    [InlineData("Lfr:Van:CameraRestart:MaxBackoff=1h", "Lfr:Van:CameraRestart:MaxBackoff: 1h is over 10m")]
    [InlineData("Lfr:LiveView:MaxFrameBytes=500000", "Lfr:LiveView:MaxFrameBytes: 500000 is outside")]
    public void A_bad_setting_should_stop_the_node_with_its_key_and_why(string setting, string message)
    {
        var configuration = Configured.Configuration("Lfr:Node:Role=control-room", setting);
        var problems = Assert.Throws<LfrSettingsException>(() => LfrNodeSettings.FromConfiguration(configuration)).Problems;
        Assert.Contains(problems, p => p.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Config_show_should_give_each_value_its_source_and_mask_secrets()
    {
        using var folder = new TempFolder();
        var file = folder.File("appsettings.json");
        File.WriteAllText(file, """{ "Lfr": { "ControlRoom": { "Alerts": { "TwoPersonConfirmation": true } }, "Node": { "Postgres": "Host=db;Password=hunter2" } } }""");
        // a prefix of this spec's own: the process's environment is shared with every other spec
        var prefix = $"LFRSPEC{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable($"{prefix}Lfr__ControlRoom__Retention__CaptureRetention", "14d");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(file)
                .AddEnvironmentVariables(prefix)
                .AddInMemoryCollection([KeyValuePair.Create<string, string?>("Lfr:Node:Role", "control-room"), KeyValuePair.Create<string, string?>("Lfr:Node:DataFolder", folder.Path)])
                .Build();
            var (lines, problems) = ConfigCommand.Show(configuration, "control-room");

            Assert.Empty(problems);
            Assert.Contains(lines, l => Line(l, "Lfr:ControlRoom:Alerts:TwoPersonConfirmation", "true", $"(file {file})"));
            Assert.Contains(lines, l => Line(l, "Lfr:ControlRoom:Retention:CaptureRetention", "14d", "(environment)"));
            Assert.Contains(lines, l => Line(l, "Lfr:Node:Role", "control-room", "(command line)"));
            Assert.Contains(lines, l => Line(l, "Lfr:ControlRoom:Watchlists:DailyWipeAt", "23:00", "(default)"));
            Assert.Contains(lines, l => Line(l, "Lfr:Node:Postgres", "******", $"(file {file})"));
            Assert.DoesNotContain(lines, l => l.Contains("hunter2", StringComparison.Ordinal));
            // a van's node shows the van's policies, not the control room's
            Assert.DoesNotContain(ConfigCommand.Show(configuration, "van").Lines, l => l.Contains("Lfr:ControlRoom:", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{prefix}Lfr__ControlRoom__Retention__CaptureRetention", null);
        }
    }

    [Fact]
    public void Lfr_node_should_refuse_to_start_with_a_bad_policy_naming_its_key()
    {
        using var lfr = new LfrProcess();
        lfr.Environment["LFR__CONTROLROOM__WATCHLISTS__TIMEZONE"] = "Mars/Olympus";
        var result = lfr.Run("node", "--role", "control-room", "--port", "0", "--http-port", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Lfr:ControlRoom:Watchlists:TimeZone: 'Mars/Olympus' is not a time zone", result.StdErr);

        var shown = lfr.Run("config", "show", "--role", "control-room");
        Assert.Equal(2, shown.ExitCode);
        Assert.Contains(shown.StdOut.Split('\n'), l => Line(l, "Lfr:ControlRoom:Watchlists:TimeZone", "UTC", "(environment)"));
        Assert.Contains("Mars/Olympus", shown.StdOut);
    }

    private static bool Line(string line, string key, string value, string source)
    {
        var parts = line.Trim().Split(" = ", 2);
        return parts.Length == 2 && parts[0].TrimEnd() == key && parts[1].StartsWith(value, StringComparison.Ordinal) && parts[1].EndsWith(source, StringComparison.Ordinal);
    }
}
