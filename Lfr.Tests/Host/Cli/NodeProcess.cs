using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A long-running <c>lfr node</c> (or other long-running <c>lfr</c> command, see <see cref="Lfr"/>) child process (the <c>lfr.dll</c> next to the tests), with an environment of its own
/// (no <c>LFR__</c> variable of the caller leaks in) and its output kept for the failure message. Killed on dispose.
/// </summary>
public sealed partial class NodeProcess : IDisposable
{
    private static readonly string[] Inherited = ["PATH", "DOTNET_ROOT", "DOTNET_CLI_HOME", "TMPDIR", "LANG"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _home = Directory.CreateTempSubdirectory("lfr-node-").FullName;

    public NodeProcess(params string[] args)
        : this("node", args, new Dictionary<string, string>())
    {
    }

    private NodeProcess(string command, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _home,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lfr.dll"));
        start.ArgumentList.Add(command);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Clear();
        foreach (var name in Inherited)
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        start.Environment["HOME"] = _home;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // a node serves the specs' certificate, which their clients trust (a demo makes its own in its data folder)
        if (command == "node")
            foreach (var (name, value) in TestHttps.NodeEnvironment) start.Environment[name] = value;
        foreach (var (name, value) in environment) start.Environment[name] = value;

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Any long-running command, e.g. <c>Lfr("demo", "--data", dir)</c>.</summary>
    public static NodeProcess Lfr(string command, params string[] args) => new(command, args, new Dictionary<string, string>());

    /// <summary>Any long-running command with these environment variables too (e.g. the <c>XDG_DATA_HOME</c> of an <see cref="LfrProcess"/>).</summary>
    public static NodeProcess Lfr(IReadOnlyDictionary<string, string> environment, string command, params string[] args) => new(command, args, environment);

    /// <summary><c>lfr node</c> with these environment variables too (e.g. <c>LFR__WEB__USERS__...</c>).</summary>
    public static NodeProcess Node(IReadOnlyDictionary<string, string> environment, params string[] args) => new("node", args, environment);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>What a service manager's stop sends.</summary>
    public void Terminate() => Assert.Equal(0, kill(_process.Id, 15));

    /// <summary>What Ctrl-C in the terminal sends.</summary>
    public void Interrupt() => Assert.Equal(0, kill(_process.Id, 2));

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);

    /// <summary>A TCP port nothing listens on right now (the OS's choice, released for the child to bind).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public int Id => _process.Id;

    /// <summary>SIGKILL to the node alone (not its children): what is left behind is the node's doing.</summary>
    public void Crash()
    {
        Assert.Equal(0, kill(_process.Id, 9));
        _process.WaitForExit();
    }

    /// <summary>SIGKILL: the node crashes, saying goodbye to nobody.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans the temp folder
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
