using Lfr.Actors.Cluster;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.LiveView;
using Lfr.Actors.Settings;
using Lfr.Actors.Van;
using Microsoft.Extensions.Configuration;

namespace Lfr.Tests.Fixtures;

/// <summary>
/// Settings as an operator gives them: <c>KEY=VALUE</c> lines with the keys of appsettings.json (<c>Lfr:ControlRoom:...</c>), bound
/// by the same code as a node's, so a spec that changes a policy changes it through configuration, never by a C# default.
/// </summary>
public static class Configured
{
    public static IConfigurationRoot Configuration(params string[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s =>
        {
            var at = s.IndexOf('=');
            return KeyValuePair.Create<string, string?>(s[..at], s[(at + 1)..]);
        })).Build();

    public static ControlRoomSettings ControlRoom(params string[] settings) => ControlRoomSettings.FromConfiguration(Configuration(settings));

    public static VanSettings Van(params string[] settings) => VanSettings.FromConfiguration(Configuration(settings));

    public static LiveViewSettings LiveView(params string[] settings) => SettingsBinder.Bind<LiveViewSettings>(Configuration(settings), LiveViewSettings.Section);

    /// <summary>A node's settings with the policies of these lines (its identity and cluster as given in C#: ports the OS picks).</summary>
    public static LfrNodeSettings Policies(this LfrNodeSettings node, params string[] settings)
    {
        var configuration = Configuration(settings);
        return node with
        {
            ControlRoom = ControlRoomSettings.FromConfiguration(configuration),
            Van = VanSettings.FromConfiguration(configuration),
            LiveView = SettingsBinder.Bind<LiveViewSettings>(configuration, LiveViewSettings.Section),
        };
    }
}
