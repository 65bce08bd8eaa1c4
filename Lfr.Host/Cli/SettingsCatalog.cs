using Lfr.Actors.Cluster;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.LiveView;
using Lfr.Actors.Settings;
using Lfr.Actors.Van;
using Microsoft.Extensions.Configuration;

namespace Lfr.Host.Cli;

/// <summary>
/// The policy sections beside <c>Lfr:Node</c> and <c>Lfr:Web</c>, each one settings record bound by <see cref="SettingsBinder"/>,
/// and the roles that use it. A new area is one line here; a new setting is a property of its record. The README's table
/// is <see cref="Markdown"/> (a spec checks it), and <c>lfr config show</c> prints them with their sources.
/// </summary>
public static class SettingsCatalog
{
    public sealed record Area(string Section, IReadOnlyList<LfrRole> Roles, Func<IConfiguration, List<string>, IReadOnlyList<SettingRow>> Read);

    public static readonly IReadOnlyList<Area> Areas =
    [
        new(ControlRoomSettings.Section, [LfrRole.ControlRoom], Reader<ControlRoomSettings>(ControlRoomSettings.Section)),
        new(VanSettings.Section, [LfrRole.Van], Reader<VanSettings>(VanSettings.Section)),
        new(LiveViewSettings.Section, [LfrRole.Van, LfrRole.ControlRoom, LfrRole.Console], Reader<LiveViewSettings>(LiveViewSettings.Section)),
    ];

    /// <summary>The README's table of every policy setting with its default, from the records themselves.</summary>
    public static string Markdown()
    {
        var empty = new ConfigurationBuilder().Build();
        var lines = new List<string> { "| key | default | meaning |", "|---|---|---|" };
        foreach (var area in Areas)
            foreach (var row in area.Read(empty, []))
                lines.Add($"| `{row.Key}` | `{row.Value}` | {row.Description} |");
        return string.Join("\n", lines);
    }

    private static Func<IConfiguration, List<string>, IReadOnlyList<SettingRow>> Reader<T>(string section) where T : class, new() =>
        (configuration, errors) => SettingsBinder.Describe(section, SettingsBinder.Bind<T>(configuration, section, errors));
}
