using Akka.Configuration;

namespace Lfr.Actors.Cluster;

/// <summary>
/// The HOCON of a node, Akka's internals only (dispatchers, remoting frame size, split-brain timing): <c>ROLE.conf</c> over
/// <c>common.conf</c>, each embedded in this assembly as the fallback (as Akka's modules ship <c>reference.conf</c>), with the
/// same file in <c>hocon/</c> next to the assembly, where present, over it: an operator tunes a deployed node there without a
/// rebuild. Lfr's own settings are configuration (<c>Lfr:...</c>), never HOCON.
/// </summary>
public static class LfrHocon
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <param name="folder">Where an operator's overrides are; <see cref="Folder"/> unless given.</param>
    public static Config Load(LfrRole role, string? folder = null) =>
        Read(folder ?? Folder, $"{role.Name()}.conf").WithFallback(Read(folder ?? Folder, "common.conf"));

    /// <summary>The file as built into this assembly, without an operator's overrides.</summary>
    public static Config Embedded(string file)
    {
        using var stream = typeof(LfrHocon).Assembly.GetManifestResourceStream($"Lfr.Actors.hocon.{file}")
            ?? throw new InvalidOperationException($"{file} is not embedded in Lfr.Actors");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static Config Read(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        var embedded = Embedded(file);
        return File.Exists(path) ? ConfigurationFactory.ParseString(File.ReadAllText(path)).WithFallback(embedded) : embedded;
    }
}
