using Lfr.Actors.Settings;
using Lfr.Actors.Van.Cameras;
using Microsoft.Extensions.Configuration;

namespace Lfr.Actors.Van;

/// <summary>
/// A van's policies (<c>Lfr:Van</c>): how its cameras are restarted. Its cameras themselves are <c>Lfr:Node:Cameras</c>, its
/// operator view <c>Lfr:LiveView</c>; the threshold and the daily wipe come from the control room with each assignment.
/// </summary>
public sealed record VanSettings
{
    public const string Section = "Lfr:Van";

    public CameraSupervisorSettings CameraRestart { get; init; } = new();

    /// <summary>Reads <see cref="Section"/>; an <see cref="Cluster.LfrSettingsException"/> names every bad key.</summary>
    public static VanSettings FromConfiguration(IConfiguration configuration) => SettingsBinder.Bind<VanSettings>(configuration, Section);
}
