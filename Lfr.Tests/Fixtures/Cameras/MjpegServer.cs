using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenCvSharp;

namespace Lfr.Tests.Fixtures.Cameras;

/// <summary>
/// An HTTP MJPEG camera on 127.0.0.1 as many IP cameras serve one: <c>multipart/x-mixed-replace</c>, one JPEG per part,
/// here the frames of a real clip at its own frame rate, each client from the clip's start.
/// </summary>
public sealed class MjpegServer : IDisposable
{
    private const string Boundary = "lfrframe";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _clip;

    public MjpegServer(string clip)
    {
        _clip = clip;
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/video.mjpg";

    /// <summary>When each frame of the last client's stream was written, in order (for the latency benchmark).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<long> SentAt { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            // the request's headers end with an empty line; what it asks for does not matter here
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(_stop.Token))) { }
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary={Boundary}\r\nCache-Control: no-cache\r\n\r\n"), _stop.Token);
            using var capture = new VideoCapture(_clip);
            var interval = TimeSpan.FromSeconds(1 / capture.Fps);
            using var frame = new Mat();
            var started = DateTime.UtcNow;
            for (var n = 0; capture.Read(frame) && !frame.Empty(); n++)
            {
                var jpeg = frame.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n\r\n"), _stop.Token);
                await stream.WriteAsync(jpeg, _stop.Token);
                await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
                SentAt.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
                var due = started + interval * (n + 1) - DateTime.UtcNow;
                if (due > TimeSpan.Zero) await Task.Delay(due, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // the client went away, or the server stops
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
