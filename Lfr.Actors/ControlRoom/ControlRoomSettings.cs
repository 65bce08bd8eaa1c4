using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Settings;
using Microsoft.Extensions.Configuration;

namespace Lfr.Actors.ControlRoom;

/// <summary>
/// The control room's policies (<c>Lfr:ControlRoom</c> in appsettings.json, <c>LFR__CONTROLROOM__...</c>, the command line),
/// one record per rule's folder; every default is the seed's. Bound and checked by <see cref="SettingsBinder"/>.
/// </summary>
public sealed record ControlRoomSettings
{
    public const string Section = "Lfr:ControlRoom";

    public DeploymentSettings Deployments { get; init; } = new();
    public AlertSettings Alerts { get; init; } = new();
    public OfficerSettings Officers { get; init; } = new();
    public RetentionSettings Retention { get; init; } = new();
    public WatchlistSettings Watchlists { get; init; } = new();

    /// <summary>Reads <see cref="Section"/>; an <see cref="Cluster.LfrSettingsException"/> names every bad key.</summary>
    public static ControlRoomSettings FromConfiguration(IConfiguration configuration) => SettingsBinder.Bind<ControlRoomSettings>(configuration, Section);

    /// <summary>These policies on a control room's options (its data folder, storage and keys).</summary>
    public ControlRoomOptions ApplyTo(ControlRoomOptions options) => options with
    {
        Deployments = Deployments,
        Alerts = Alerts,
        Officers = Officers,
        Retention = Retention,
        Watchlists = Watchlists,
    };
}
