using System.Diagnostics;
using System.Globalization;

namespace Lfr.Host.Bench;

/// <summary>
/// A real RTSP server on 127.0.0.1 for the van benchmark and the camera specs: GStreamer's (<c>scripts/rtsp-server.py</c>,
/// Debian's packages from <c>scripts/setup.sh --tests</c>, run by Debian's own python3: the one first on PATH may lack
/// the GObject bindings), serving H.264 MP4 clips at their own pace, each client from the clip's start. Killed (SIGKILL)
/// on <see cref="Kill"/> and on dispose; <see cref="Restart"/> brings it back on the same port.
/// </summary>
public sealed class LoopbackRtspServer : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "rtsp-server.py");
    private readonly (string Path, string Clip)[] _mounts;
    private readonly string? _auth;
    private Process? _process;

    private LoopbackRtspServer((string Path, string Clip)[] mounts, string? auth)
    {
        _mounts = mounts;
        _auth = auth;
    }

    public int Port { get; private set; }

    /// <summary>Starts a server on a free port; <paramref name="auth"/> is <c>USER:PASSWORD</c> for basic auth.</summary>
    public static LoopbackRtspServer Start(string? auth = null, params (string Path, string Clip)[] mounts)
    {
        var server = new LoopbackRtspServer(mounts, auth);
        server.Run(0);
        return server;
    }

    /// <summary>The address of a mount, with credentials when given.</summary>
    public string Url(string path, string? credentials = null) =>
        $"rtsp://{(credentials is null ? "" : credentials + "@")}127.0.0.1:{Port}{path}";

    /// <summary>Kills the server as a crash would: its clients' connections drop.</summary>
    public void Kill()
    {
        if (_process is null) return;
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts it again on the same port.</summary>
    public void Restart()
    {
        Kill();
        Run(Port);
    }

    public void Dispose() => Kill();

    private void Run(int port)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        if (_auth is not null) start.ArgumentList.Add($"--auth={_auth}");
        foreach (var (path, clip) in _mounts) start.ArgumentList.Add($"{path}={clip}");
        _process = Process.Start(start)!;
        var errors = _process.StandardError.ReadToEndAsync();
        var ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(30)) || ready.Result is not { } line || !line.StartsWith("ready ", StringComparison.Ordinal))
        {
            Kill();
            throw new InvalidOperationException("the RTSP server did not start (scripts/setup.sh --tests installs its packages): " +
                                                (errors.Wait(TimeSpan.FromSeconds(5)) ? errors.Result : ""));
        }
        Port = int.Parse(line["ready ".Length..], CultureInfo.InvariantCulture);
    }
}
