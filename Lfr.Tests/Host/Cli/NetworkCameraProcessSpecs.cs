using System.Security.Cryptography;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Bench;
using Lfr.Tests.Actors.Van;
using Lfr.Tests.Fixtures.Cameras;
using Lfr.Tests.Vision.Matching;
using Lfr.Vision.Watchlists;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// Network cameras in real <c>lfr</c> processes: what a user reads when a camera refuses its credentials or has no such
/// path (never the password), and the ffmpeg children a van leaves behind when it stops or is killed (none).
/// </summary>
[Collection(VanCollection.Name)]
public sealed class NetworkCameraProcessSpecs(VanEngine van, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const string Password = "Van-Pa55-7781";

    [Fact]
    public void Watch_should_name_the_camera_and_why_it_refused_and_never_print_the_password()
    {
        using var server = LoopbackRtspServer.Start($"operator:{Password}", ("/live", TestClips.Pattern()));
        using var lfr = new LfrProcess();
        var keyBase64 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(WatchlistSigningKey.MinimumBytes));
        lfr.Environment[WatchlistKeySettings.KeyVariable] = keyBase64;
        var watchlist = lfr.PathIn("one.lfrw");
        WatchlistFile.Write(watchlist, [new WatchlistEntry(new WatchlistEntryId("wl-1"), WatchlistCategory.CourtWarrant, RandomEmbeddings.Unit(new Random(7)))],
            van.Engine.EmbeddingModelSha256, DateTimeOffset.UtcNow, WatchlistSigningKey.FromBase64(keyBase64));

        var refused = lfr.Run("watch", "--camera", server.Url("/live", "operator:Wrong-Pa55-7781"), "--watchlist", watchlist);
        var noPath = lfr.Run("watch", "--camera", server.Url("/elsewhere", $"operator:{Password}"), "--watchlist", watchlist);

        Output!.WriteLine($"{refused}\n{noPath}");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"no frames from camera {server.Url("/live")}: the camera refused the credentials (401 Unauthorized)", refused.StdErr);
        Assert.Equal(1, noPath.ExitCode);
        Assert.Contains($"no frames from camera {server.Url("/elsewhere")}: the camera has no stream at this path (404 Not Found)", noPath.StdErr);
        foreach (var text in new[] { refused.StdOut, refused.StdErr, noPath.StdOut, noPath.StdErr })
            Assert.DoesNotContain("Pa55-7781", text);
    }

    [Fact]
    public void Demo_should_read_an_rtsp_camera_given_on_the_command_line()
    {
        using var server = LoopbackRtspServer.Start($"operator:{Password}", ("/live", TestClips.Pattern()));
        using var lfr = new LfrProcess();

        var demo = lfr.Run("demo", "--camera", $"front={server.Url("/live", $"operator:{Password}")}@5fps", "--duration", "8s",
            "--http-port", "0", "--photos", "samples");

        Output!.WriteLine(demo.ToString());
        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.Contains($"cameras   van-1/front ({server.Url("/live")})", demo.StdOut);
        var frames = System.Text.RegularExpressions.Regex.Match(demo.StdOut, @"Summary: (\d+) frames");
        Assert.True(frames.Success && int.Parse(frames.Groups[1].Value) >= 10, demo.StdOut);
        Assert.DoesNotContain("Pa55-7781", demo.StdOut + demo.StdErr);
    }

    [Fact]
    public void Van_node_should_leave_no_ffmpeg_behind_when_it_stops_or_is_killed()
    {
        using var server = LoopbackRtspServer.Start($"operator:{Password}", ("/live", TestClips.Pattern()));
        using var silent = new SilentServer();
        var data = Directory.CreateTempSubdirectory("lfr-van-ffmpeg-").FullName;
        try
        {
            // the van's copy of the control room's public assignment key; its control room (at the seed) never answers,
            // which the cameras do not need
            File.WriteAllText(Path.Combine(data, "assignment.pub"), Lfr.Actors.Van.Assignment.AssignmentSigner.Create().PublicKeyPem);
            // killed while its ffmpeg waits on a silent camera (nothing to write, so only the kernel's death signal ends
            // it), then stopped by SIGTERM while its ffmpeg streams
            foreach (var (url, stop) in new (string, Action<NodeProcess>)[]
                     {
                         ($"rtsp://operator:{Password}@127.0.0.1:{silent.Port}/live", node => node.Crash()),
                         (server.Url("/live", $"operator:{Password}"), node => node.Terminate()),
                     })
            {
                using var node = new NodeProcess("--role", "van", "--node-name", "van-ffmpeg", "--data", data,
                    "--seed", $"akka.tcp://lfr@127.0.0.1:{NodeProcess.FreePort()}", "--http-port", $"{NodeProcess.FreePort()}",
                    "--camera", $"front={url}@5fps");
                Assert.Single(AwaitFfmpegOf(node, url));

                stop(node);
                AwaitAssert(() => Assert.Empty(Ffmpeg.Reading(url)), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200));
                Output!.WriteLine(node.Output);
                Assert.DoesNotContain("Pa55-7781", node.Output);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private List<int> AwaitFfmpegOf(NodeProcess node, string url)
    {
        List<int> found = [];
        AwaitAssert(() =>
        {
            Assert.False(node.HasExited, node.Output);
            found = Ffmpeg.Reading(url);
            Assert.NotEmpty(found);
            // a child of the van itself (setpriv executed ffmpeg in its place)
            Assert.All(found, pid => Assert.Equal(node.Id, ParentOf(pid)));
        }, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(200));
        return found;
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
