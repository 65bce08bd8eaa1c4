namespace Lfr.Tests.Fixtures;

/// <summary>
/// The evaluation data in <c>../shared/data</c> beside the repository. It is not part of the project, so tests
/// that need it are skipped, with a message saying so, where it is absent.
/// </summary>
internal static class SharedData
{
    public static string PathOf(string relativePath) =>
        FindRepoRoot() is { } root
            ? Path.GetFullPath(Path.Combine(root, "..", "shared", "data", relativePath))
            : Path.Combine("shared", "data", relativePath); // outside a checkout: absent, so the test is skipped

    /// <summary>The checkout the tests run from (the folder holding Lfr.sln).</summary>
    public static string RepoRoot() => FindRepoRoot() ?? throw new InvalidOperationException($"no Lfr.sln above {AppContext.BaseDirectory}");

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lfr.sln")))
                return dir.FullName;
        return null;
    }
}

/// <summary>A fact that runs only when a file of the shared evaluation data is present.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        if (!File.Exists(SharedData.PathOf(relativePath)))
            Skip = $"shared evaluation data absent: {relativePath} not found beside the repository";
    }
}
