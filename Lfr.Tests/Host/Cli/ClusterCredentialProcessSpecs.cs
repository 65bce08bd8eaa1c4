using System.Net;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A force's CA made and used as an operator would, with <c>lfr pki</c> and real <c>lfr node</c> processes: a console with
/// a certificate of the force joins; a console with no credential, or with one of another CA, never does.
/// </summary>
public sealed class ClusterCredentialProcessSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Only_a_console_with_a_certificate_of_the_force_CA_should_join_the_control_room()
    {
        using var lfr = new LfrProcess();
        Ok(lfr.Run("pki", "init", "--ca", lfr.PathIn("ca"), "--force", "Test Constabulary"));
        Ok(lfr.Run("pki", "issue", "--ca", lfr.PathIn("ca"), "--role", "control-room", "--name", "control-room-1", "--out", lfr.PathIn("control-room")));
        Ok(lfr.Run("pki", "issue", "--ca", lfr.PathIn("ca"), "--role", "console", "--name", "console-1", "--out", lfr.PathIn("console")));
        Ok(lfr.Run("pki", "init", "--ca", lfr.PathIn("other-ca")));
        Ok(lfr.Run("pki", "issue", "--ca", lfr.PathIn("other-ca"), "--role", "console", "--name", "console-9", "--out", lfr.PathIn("stranger")));
        // the CA's key and each node's key are their owner's alone
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(lfr.PathIn("ca/ca.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(lfr.PathIn("ca")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(lfr.PathIn("console/console-1.pfx")));
        }
        // a second init would orphan every certificate issued so far
        Assert.Contains("already holds a CA", lfr.Run("pki", "init", "--ca", lfr.PathIn("ca")).StdErr);

        var (clusterPort, controlRoomHttp, plainHttp, strangerHttp, consoleHttp) =
            (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        var seed = $"akka.ssl.tcp://lfr@127.0.0.1:{clusterPort}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        using var controlRoom = new NodeProcess("--role", "control-room", "--port", $"{clusterPort}", "--http-port", $"{controlRoomHttp}",
            "--certificate", lfr.PathIn("control-room/control-room-1.pfx"));
        await ReadyAsync(http, controlRoomHttp, controlRoom);

        using var plain = new NodeProcess("--role", "console", "--seed", $"akka.tcp://lfr@127.0.0.1:{clusterPort}", "--http-port", $"{plainHttp}");
        using var stranger = new NodeProcess("--role", "console", "--seed", seed, "--http-port", $"{strangerHttp}",
            "--certificate", lfr.PathIn("stranger/console-9.pfx"));
        using var console = new NodeProcess("--role", "console", "--seed", seed, "--http-port", $"{consoleHttp}",
            "--certificate", lfr.PathIn("console/console-1.pfx"));

        await ReadyAsync(http, consoleHttp, console);
        // the others have had as long as the genuine console took, and several join attempts more
        await Task.Delay(TimeSpan.FromSeconds(8));
        foreach (var (port, node) in new[] { (plainHttp, plain), (strangerHttp, stranger) })
            Assert.False(await IsReadyAsync(http, port), node.Output);
    }

    /// <summary>Whether the node answers 200 on /readyz (a member that is Up); not answering at all is not ready either.</summary>
    private static async Task<bool> IsReadyAsync(HttpClient http, int port)
    {
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/readyz");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static void Ok(LfrResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    private async Task ReadyAsync(HttpClient http, int port, NodeProcess node) =>
        await AwaitAssertAsync(async () =>
        {
            Assert.False(node.HasExited, node.Output);
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/readyz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }, Generous, Poll);
}
