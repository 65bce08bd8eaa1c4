using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace Lfr.Actors.Van.Cameras;

/// <summary>
/// Starts the child processes a van owns (one <c>ffmpeg</c> per network camera) so that none outlives the van: on Linux
/// each runs under <c>setpriv --pdeathsig KILL</c>, and the kernel kills it when the van process dies, even by SIGKILL.
/// The death signal follows the thread that started the child, not the process, so every child is started from one
/// thread that lives as long as the process; a camera's reader thread may come and go.
/// </summary>
public static class ChildProcess
{
    private const string SetPriv = "/usr/bin/setpriv";
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = new();

    static ChildProcess()
    {
        new Thread(() =>
        {
            foreach (var (start, started) in Requests.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start"));
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        }) { IsBackground = true, Name = "lfr-child-processes" }.Start();
    }

    /// <summary>Starts <paramref name="program"/> with its standard output and error redirected, bound to this process's life.</summary>
    /// <exception cref="Win32Exception">the program is not installed.</exception>
    public static Process Start(string program, IEnumerable<string> arguments)
    {
        var bound = OperatingSystem.IsLinux() && File.Exists(SetPriv);
        var start = new ProcessStartInfo(bound ? SetPriv : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (bound)
            foreach (var a in new[] { "--pdeathsig", "KILL", "--", program })
                start.ArgumentList.Add(a);
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task.GetAwaiter().GetResult();
    }

    /// <summary>Kills the process if it still runs and waits briefly for it to go; never throws.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // it exited on its own in between
        }
    }
}
