using System.Net;
using System.Net.Sockets;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A TCP relay on 127.0.0.1 standing for a van's mobile link, which the test cuts and restores. Cut, it moves no byte
/// either way and says nothing to either end (no FIN, no RST: a link that drops goes silent); a connection opened
/// meanwhile is accepted and goes nowhere. Restored, every connection of before the cut is reset, as a mobile link's
/// sessions are when it comes back on another address, and new connections are relayed again.
/// </summary>
public sealed class LinkProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _restored = Restored();
    private bool _cut;

    public LinkProxy(int target)
    {
        _target = target;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The port to dial instead of the target's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        lock (_lock)
        {
            _cut = true;
            _restored = Restored();
        }
    }

    public void Restore()
    {
        List<Socket> old;
        lock (_lock)
        {
            old = [.. _sockets];
            _sockets.Clear();
            _cut = false;
            _restored.TrySetResult();
        }
        foreach (var socket in old) Reset(socket);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Restore();
    }

    private static TaskCompletionSource Restored() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        Track(client);
        await WhileCutAsync();
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Track(upstream);
        try
        {
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _target), _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Reset(client);
            Reset(upstream);
            return;
        }
        await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client));
    }

    /// <summary>Bytes one way; a read that arrives during a cut waits for the restore, which resets the connection.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await WhileCutAsync();
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                await WhileCutAsync();
                if (read == 0 || !Tracked(from)) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // reset by a restore, or the other end went away
        }
        Reset(from);
        Reset(to);
    }

    private Task WhileCutAsync()
    {
        lock (_lock) return _cut ? _restored.Task : Task.CompletedTask;
    }

    private void Track(Socket socket)
    {
        lock (_lock) _sockets.Add(socket);
    }

    private bool Tracked(Socket socket)
    {
        lock (_lock) return _sockets.Contains(socket);
    }

    private void Reset(Socket socket)
    {
        lock (_lock) _sockets.Remove(socket);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // closed already
        }
    }
}
