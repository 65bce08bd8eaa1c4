using Akka.Configuration;
using Lfr.Actors.Cluster;

namespace Lfr.Actors.Van;

/// <summary>The van's dispatchers (<c>hocon/van.conf</c>, embedded in this assembly).</summary>
public static class VanConfig
{
    public const string VisionDispatcher = "lfr.van.vision-dispatcher";
    public const string CameraDispatcher = "lfr.van.camera-dispatcher";
    public const string OutboxDispatcher = "lfr.van.outbox-dispatcher";

    private static readonly Lazy<Config> Loaded = new(() => LfrHocon.Embedded("van.conf"));

    public static Config Default => Loaded.Value;
}
