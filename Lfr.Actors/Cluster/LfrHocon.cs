using Akka.Configuration;

namespace Lfr.Actors.Cluster;

/// <summary>
/// The HOCON of a node: <c>hocon/common.conf</c> under <c>hocon/ROLE.conf</c>, read from the folder next to the
/// assembly (the build copies <c>hocon/</c> there), so an operator can tune a deployed node without a rebuild.
/// </summary>
public static class LfrHocon
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "hocon");

    public static Config Load(LfrRole role) => Read($"{role.Name()}.conf").WithFallback(Read("common.conf"));

    private static Config Read(string file)
    {
        var path = Path.Combine(Folder, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: the build copies hocon/ next to the lfr assemblies", path);
        return ConfigurationFactory.ParseString(File.ReadAllText(path));
    }
}
