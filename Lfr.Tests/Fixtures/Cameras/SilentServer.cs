using System.Net;
using System.Net.Sockets;

namespace Lfr.Tests.Fixtures.Cameras;

/// <summary>A camera that accepts the connection and then says nothing, as a hung camera or a half-open NAT does.</summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];

    public SilentServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted
    {
        get
        {
            lock (_clients) return _clients.Count;
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync();
                lock (_clients) _clients.Add(client);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_clients)
            foreach (var client in _clients)
                client.Dispose();
    }
}
