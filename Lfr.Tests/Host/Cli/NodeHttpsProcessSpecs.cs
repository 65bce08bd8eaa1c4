using System.Net;
using Lfr.Host.Web;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// <c>lfr node</c> serves HTTPS by default: with no certificate configured it makes a self-signed one in its data folder
/// (0600, kept for the next start, logged with its SHA-256); plain HTTP only when <c>Lfr:Node:Https:PlainHttp</c> says so.
/// </summary>
public sealed class NodeHttpsProcessSpecs : Akka.TestKit.Xunit2.TestKit
{
    private readonly ITestOutputHelper _output;

    public NodeHttpsProcessSpecs(ITestOutputHelper output) : base(output: output) => _output = output;

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_node_without_a_certificate_should_serve_https_with_one_it_made_in_its_data_folder()
    {
        using var data = new TempFolder();
        var port = NodeProcess.FreePort();
        // no certificate configured (the specs' own is taken away)
        using var node = NodeProcess.Node(new Dictionary<string, string> { ["LFR__NODE__HTTPS__CERTIFICATEPATH"] = "" },
            "--role", "control-room", "--port", "0", "--http-port", $"{port}", "--data", data.Path);
        var pfx = Path.Combine(data.Path, WebHttpsSettings.GeneratedFile);
        try
        {
            await AwaitAssertAsync(() => Assert.True(File.Exists(pfx) || node.HasExited, "the node made its certificate"), Generous, TimeSpan.FromMilliseconds(200));
            using var pinned = TestHttps.Client(trust: TestHttps.GeneratedIn(data.Path));
            await AwaitAssertAsync(async () =>
            {
                Assert.False(node.HasExited, "the node exited");
                Assert.Equal(HttpStatusCode.OK, (await pinned.GetAsync($"{TestHttps.Url(port)}/healthz")).StatusCode);
            }, Generous, TimeSpan.FromMilliseconds(500));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
            Assert.Contains("self-signed certificate", node.Output);
            // the specs' certificate is not the one served: a client pinning it is refused
            using var other = TestHttps.Client();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => other.GetAsync($"{TestHttps.Url(port)}/healthz"));
        }
        catch
        {
            _output.WriteLine(node.Output);
            throw;
        }
    }

    [Fact]
    public async Task A_node_should_serve_plain_http_only_when_told_to()
    {
        var port = NodeProcess.FreePort();
        using var node = NodeProcess.Node(new Dictionary<string, string> { ["LFR__NODE__HTTPS__PLAINHTTP"] = "true" },
            "--role", "control-room", "--port", "0", "--http-port", $"{port}");
        using var plain = new HttpClient();
        try
        {
            await AwaitAssertAsync(async () =>
            {
                Assert.False(node.HasExited, "the node exited");
                using var answer = await plain.GetAsync($"http://127.0.0.1:{port}/healthz");
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }, Generous, TimeSpan.FromMilliseconds(500));
            Assert.Contains("plain HTTP", node.Output);
        }
        catch
        {
            _output.WriteLine(node.Output);
            throw;
        }
    }
}
