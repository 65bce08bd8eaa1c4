namespace Lfr.Tests.Fixtures.Cameras;

/// <summary>The ffmpeg processes running on this machine, read from /proc.</summary>
public static class Ffmpeg
{
    /// <summary>The ids of the ffmpeg processes whose command line holds <paramref name="text"/> (a camera's address).</summary>
    public static List<int> Reading(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }
            if (argv.Length > 0 && Path.GetFileName(argv[0]) == "ffmpeg" && argv.Any(a => a.Contains(text, StringComparison.Ordinal)))
                found.Add(pid);
        }
        return found;
    }
}
