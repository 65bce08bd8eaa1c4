using Akka.Configuration;

namespace Lfr.Actors.Van;

/// <summary>The van's HOCON (<c>hocon/van.conf</c>, embedded in this assembly).</summary>
public static class VanConfig
{
    public const string VisionDispatcher = "lfr.van.vision-dispatcher";
    public const string CameraDispatcher = "lfr.van.camera-dispatcher";
    public const string OutboxDispatcher = "lfr.van.outbox-dispatcher";

    private static readonly Lazy<Config> Loaded = new(() =>
    {
        using var stream = typeof(VanConfig).Assembly.GetManifestResourceStream("Lfr.Actors.van.conf")
            ?? throw new InvalidOperationException("van.conf is not embedded in Lfr.Actors");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    public static Config Default => Loaded.Value;
}
