using System.Diagnostics;

namespace Lfr.Tests.Fixtures;

/// <summary>
/// A PostgreSQL server of a spec's own (scripts/test-postgres.sh with a state folder of its own), which the spec may
/// stop and start again under its clients: the same port, the same data. Deleted with its folder on dispose.
/// </summary>
public sealed class ThrowAwayPostgres : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "lfr-pg-" + Guid.NewGuid().ToString("N")[..8]);

    private ThrowAwayPostgres() { }

    public string Connection { get; private set; } = "";

    public static ThrowAwayPostgres Start()
    {
        var server = new ThrowAwayPostgres();
        server.StartAgain();
        return server;
    }

    /// <summary>Starts the server (again); the script reuses the port of the earlier start.</summary>
    public void StartAgain()
    {
        var export = Script();
        const string prefix = "export LFR_TEST_POSTGRES='";
        var line = export.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        var connection = line[prefix.Length..^1];
        if (Connection.Length > 0 && connection != Connection)
            throw new InvalidOperationException($"the server came back on another address: {connection}, not {Connection}");
        Connection = connection;
    }

    /// <summary>A fast shutdown: clients' connections are cut, as when the database host goes down.</summary>
    public void Stop() => Script("--stop");

    public void Dispose()
    {
        try { Stop(); }
        finally
        {
            try { Directory.Delete(_state, recursive: true); }
            catch (IOException) { /* the OS temp cleaner takes it */ }
        }
    }

    private string Script(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(SharedData.RepoRoot(), "scripts", "test-postgres.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["LFR_TEST_POSTGRES_DIR"] = _state;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)) || process.ExitCode != 0)
            throw new InvalidOperationException($"test-postgres.sh {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout;
    }
}
