using System.Diagnostics;
using System.Text.Json;

namespace Lfr.Tests.Host.Cli;

/// <summary>What one run of <c>lfr</c> did: its exit code and everything it wrote.</summary>
public sealed record LfrResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Standard output parsed as JSON (the <c>--json</c> report).</summary>
    public JsonElement Json
    {
        get
        {
            try
            {
                using var doc = JsonDocument.Parse(StdOut);
                return doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"lfr did not write JSON ({e.Message}):\n{this}");
            }
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>
/// Runs the real <c>lfr</c> (the <c>lfr.dll</c> the Lfr.Host reference puts next to the tests) as a child process,
/// isolated in its own temporary folder: <c>HOME</c> and <c>XDG_DATA_HOME</c> point inside it, so a signing key
/// created on first use never lands in the real home, and no <c>LFR_*</c> variable of the caller leaks in.
/// </summary>
public sealed class LfrProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Inherited = ["PATH", "DOTNET_ROOT", "DOTNET_CLI_HOME", "TMPDIR", "LANG"];

    public LfrProcess()
    {
        Folder = Directory.CreateTempSubdirectory("lfr-cli-").FullName;
        Directory.CreateDirectory(Path.Combine(Folder, "home"));
        Environment["HOME"] = Path.Combine(Folder, "home");
        Environment["XDG_DATA_HOME"] = DataHome;
        Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        Environment["DOTNET_NOLOGO"] = "1";
    }

    /// <summary>The temporary folder this instance owns; deleted on dispose.</summary>
    public string Folder { get; }

    /// <summary><c>XDG_DATA_HOME</c> of the child: a created signing key lands in <c>DataHome/lfr/watchlist.key</c>.</summary>
    public string DataHome => Path.Combine(Folder, "data");

    /// <summary>The child's whole environment, besides a few inherited variables (PATH, DOTNET_ROOT...).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string PathIn(string relative) => Path.Combine(Folder, relative);

    public LfrResult Run(params string[] args) => Run(null, args);

    public LfrResult Run(IReadOnlyDictionary<string, string>? extraEnvironment, params string[] args) => RunWithInput(null, extraEnvironment, args);

    /// <summary>Runs lfr with <paramref name="input"/> as its standard input (null: an empty one).</summary>
    public LfrResult RunWithInput(string? input, IReadOnlyDictionary<string, string>? extraEnvironment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lfr.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Clear();
        foreach (var name in Inherited)
            if (System.Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        foreach (var (k, v) in Environment) start.Environment[k] = v;
        if (extraEnvironment is not null)
            foreach (var (k, v) in extraEnvironment) start.Environment[k] = v;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"lfr {string.Join(' ', args)} ran past {Timeout.TotalSeconds} s");
        }
        process.WaitForExit(); // drains the redirected streams
        return new LfrResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a child killed on timeout may still hold a file; the OS cleans the temp folder
        }
    }
}
