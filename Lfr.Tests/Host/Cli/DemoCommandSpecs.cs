using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Host.Demo;
using Lfr.Host.Web;
using Lfr.Tests.Fixtures;
using Lfr.Tests.Actors.Van;
using Lfr.Vision.Photos;
using Microsoft.Data.Sqlite;
using OpenCvSharp;
using Xunit.Abstractions;
using Lfr.Vision.Files;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// One unattended <c>lfr demo --duration</c> on a fresh data folder, shared by the specs that examine what it did and
/// what it left behind.
/// </summary>
public sealed class DemoRun : IDisposable
{
    public DemoRun()
    {
        Data = Lfr.PathIn("data");
        Result = Lfr.Run("demo", "--duration", "45s", "--data", Data, "--http-port", "0");
    }

    public LfrProcess Lfr { get; } = new();

    public string Data { get; }

    public LfrResult Result { get; }

    public void Dispose() => Lfr.Dispose();
}

/// <summary>
/// <c>lfr demo</c>, run as the real program: the whole mission in one process, from cameras of people walking past to
/// alerts on the control room's desk, leaving nothing of anyone not on the watchlist.
/// </summary>
[Collection(VanCollection.Name)]
public sealed partial class DemoCommandSpecs(VanEngine van, DemoRun run, ITestOutputHelper output) : IClassFixture<DemoRun>
{
    [Fact]
    public void Demo_should_print_the_pages_and_raise_alerts_that_reach_the_control_rooms_alert_desk()
    {
        output.WriteLine(run.Result.ToString());
        Assert.True(run.Result.ExitCode == 0, run.Result.ToString());
        foreach (var page in new[] { "/operator", "/officer", "/deployments", "/console" })
            Assert.Matches($@"https://127\.0\.0\.1:\d+{page}\b", run.Result.StdOut);
        // served with a certificate of its own, made in the data folder and readable by its user alone
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(run.Data, WebHttpsSettings.GeneratedFile)));
        Assert.Contains("operator ", run.Result.StdOut);
        var summary = Summary().Match(run.Result.StdOut);
        Assert.True(summary.Success, run.Result.ToString());
        Assert.True(int.Parse(summary.Groups["alerts"].Value) >= 1, "at least one alert at the control room");

        // the control room's own return, read afresh from the data folder by another process, counts them too
        var deployment = File.ReadAllText(Path.Combine(run.Data, DemoDeployment.IdFile)).Trim();
        var report = run.Lfr.Run("report", deployment, "--data", run.Data, "--json");
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Equal("live", report.Json.GetProperty("status").GetString());
        Assert.Equal(int.Parse(summary.Groups["alerts"].Value), report.Json.GetProperty("alerts").GetInt32());
        Assert.Equal(6, report.Json.GetProperty("watchlistSize").GetProperty("total").GetInt32());
    }

    [Fact]
    public void Demo_should_leave_no_face_or_embedding_of_a_passer_by_in_its_data_folder()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.ToString());
        // the same people the demo chose: the choice is deterministic
        var cosineAtThreshold = van.Calibration.CosineAt(0.6f);
        using var cast = DemoCast.Choose(van.Engine, cosineAtThreshold, DemoCast.FindLfw());
        var passersBy = cast.PassersBy.SelectMany(p => p.Walks)
            .Select(photo => SubjectFace.From(van.Engine, photo, SubjectRule.CentreMost).Embedding!).ToList();
        Assert.NotEmpty(passersBy);

        var files = Directory.GetFiles(run.Data, "*", SearchOption.AllDirectories);
        var faces = new List<(string Where, float[] Embedding)>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var (offset, image) in PlainJpegs(bytes))
                faces.AddRange(FacesIn(image, $"{file} at {offset}"));
            foreach (var (offset, vector) in UnitVectors(bytes))
                faces.Add(($"{file}: a 512-float unit vector at {offset}", vector));
        }
        // captures and file images are encrypted: open them as the control room does, key by key, with the master key the
        // demo created in its XDG_DATA_HOME
        var master = MasterKey.Resolve(new MasterKeySettings(KeyFile: Path.Combine(run.Lfr.DataHome, "lfr", MasterKeySettings.DefaultFileName)));
        var images = new EncryptedImageStore(Path.Combine(run.Data, "images.db"), master);
        foreach (var reference in ImageRefs(Path.Combine(run.Data, "images.db")))
            faces.AddRange(FacesIn(images.Get(reference)!, $"images.db {reference.Value}"));
        output.WriteLine($"{files.Length} files, {faces.Count} faces or embeddings found");

        // the scan sees faces: the watchlist's file images and the alerts' captures, all of people on the watchlist
        var enrolled = cast.Watchlist.Select(s => s.Embedding).ToList();
        Assert.Contains(faces, f => enrolled.Max(e => Dot(e, f.Embedding)) >= cosineAtThreshold);
        foreach (var (where, embedding) in faces)
        {
            var closest = passersBy.Max(p => Dot(p, embedding));
            Assert.True(closest < 0.5f, $"{where} is a passer-by's face (cosine {closest:0.000})");
        }
    }

    /// <summary>Every JPEG stored in the clear (a start-of-image marker that decodes).</summary>
    private static IEnumerable<(int Offset, Mat Image)> PlainJpegs(byte[] bytes)
    {
        for (var i = 0; i + 3 < bytes.Length; i++)
        {
            if (bytes[i] != 0xFF || bytes[i + 1] != 0xD8 || bytes[i + 2] != 0xFF) continue;
            var image = Cv2.ImDecode(bytes.AsSpan(i), ImreadModes.Color);
            if (!image.Empty()) yield return (i, image);
            else image.Dispose();
        }
    }

    /// <summary>Any run of 512 finite float32 values of unit length, at any byte alignment: what an embedding looks like on disk.</summary>
    private static IEnumerable<(int Offset, float[] Vector)> UnitVectors(byte[] bytes)
    {
        const int n = 512;
        for (var phase = 0; phase < 4; phase++)
        {
            var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(phase, (bytes.Length - phase) / 4 * 4)).ToArray();
            for (var start = 0; start + n <= floats.Length; start++)
            {
                var sum = 0.0;
                var finite = true;
                for (var k = start; k < start + n && finite; k++)
                {
                    finite = float.IsFinite(floats[k]) && Math.Abs(floats[k]) < 1f;
                    sum += floats[k] * (double)floats[k];
                    if (sum > 1.01) finite = false;
                }
                if (finite && sum > 0.99) yield return (phase + 4 * start, floats[start..(start + n)]);
            }
        }
    }

    private IEnumerable<(string Where, float[] Embedding)> FacesIn(byte[] jpeg, string where)
    {
        using var image = Cv2.ImDecode(jpeg, ImreadModes.Color);
        return image.Empty() ? [] : FacesIn(image.Clone(), where).ToList();
    }

    private IEnumerable<(string Where, float[] Embedding)> FacesIn(Mat image, string where)
    {
        using (image)
        {
            var (faces, _) = van.Engine.Embed(image, van.Engine.Detect(image), applyQualityGate: false);
            return faces.Select(f => (where, f.Embedding)).ToList();
        }
    }

    private static List<ImageRef> ImageRefs(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT ref FROM images";
        using var reader = command.ExecuteReader();
        var refs = new List<ImageRef>();
        while (reader.Read()) refs.Add(new ImageRef(reader.GetString(0)));
        return refs;
    }

    private static float Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    [GeneratedRegex(@"Summary: (?<frames>\d+) frames, (?<faces>\d+) faces, (?<alerts>\d+) alerts at the control room, (?<taskings>\d+) taskings")]
    private static partial Regex Summary();
}

/// <summary><c>lfr demo</c> started and stopped: Ctrl-C, a second run on the same folder, a walkthrough.</summary>
[Collection(VanCollection.Name)]
public sealed class DemoLifecycleSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Startup = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Demo_should_show_the_operator_its_alerts_then_exit_cleanly_on_ctrl_c_and_resume_on_the_next_run()
    {
        using var lfr = new LfrProcess();
        var data = lfr.PathIn("demo");
        string deployment;
        // both runs find the same master key (in XDG_DATA_HOME, outside the data folder), as one user's two runs do
        using (var demo = NodeProcess.Lfr(new Dictionary<string, string> { ["XDG_DATA_HOME"] = lfr.DataHome }, "demo", "--data", data, "--http-port", "0"))
        {
            var started = DateTime.UtcNow;
            while (!demo.Output.Contains("Ctrl-C stops the demo") && !demo.HasExited && DateTime.UtcNow - started < Startup)
                await Task.Delay(200);
            Assert.True(demo.Output.Contains("Ctrl-C stops the demo"), demo.Output);
            deployment = File.ReadAllText(Path.Combine(data, DemoDeployment.IdFile)).Trim();

            // the operator signs in with the printed password and sees alerts arrive, and a camera's pixelated view
            var site = new Uri(Regex.Match(demo.Output, @"operator +(?<url>https://127\.0\.0\.1:\d+)/operator").Groups["url"].Value);
            var password = Regex.Match(demo.Output, @"^  operator +(?<password>[a-z0-9]{10}) ", RegexOptions.Multiline).Groups["password"].Value;
            using var web = TestHttps.Client(site, trust: TestHttps.GeneratedIn(data));
            web.DefaultRequestHeaders.Add(LfrWeb.CsrfHeader, "1");
            var signIn = await web.PostAsJsonAsync("/api/session", new { user = "operator", password });
            Assert.True(signIn.IsSuccessStatusCode, $"{signIn.StatusCode}\n{demo.Output}");
            var alerts = 0;
            while (alerts == 0 && DateTime.UtcNow - started < Startup)
            {
                using var queue = JsonDocument.Parse(await web.GetStringAsync("/api/alerts"));
                alerts = queue.RootElement.GetProperty("alerts").GetArrayLength();
                if (alerts == 0) await Task.Delay(500);
            }
            Assert.True(alerts > 0, demo.Output);
            // through the van's live view relay and the hub: the first asks start the camera's frames coming
            var asked = DateTime.UtcNow;
            var view = await web.GetAsync($"/api/cameras/frame?camera={Uri.EscapeDataString(DemoScene.Cameras[0].Value)}");
            while (!view.IsSuccessStatusCode && DateTime.UtcNow - asked < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(250);
                view = await web.GetAsync($"/api/cameras/frame?camera={Uri.EscapeDataString(DemoScene.Cameras[0].Value)}");
            }
            Assert.Equal("image/jpeg", view.Content.Headers.ContentType?.MediaType);

            // the ops figures of the running mission: stage and alert latencies per camera, the van's outbox, in the
            // console's status, in `lfr status` and in /metrics
            // (the node's health report comes every few seconds: the first may not have arrived with the first alert)
            var reported = DateTime.UtcNow;
            while (true)
            {
                using var status = JsonDocument.Parse(await web.GetStringAsync("/api/status"));
                var reports = status.RootElement.GetProperty("reports").EnumerateArray().ToList();
                if (reports.Count == 0 && DateTime.UtcNow - reported < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(500);
                    continue;
                }
                var cameras = status.RootElement.GetProperty("cameras").EnumerateArray().ToList();
                Assert.All(cameras, c => Assert.True(c.GetProperty("latencies").GetProperty("detect").GetProperty("samples").GetInt32() > 0, c.ToString()));
                Assert.Contains(cameras, c => c.GetProperty("latencies").GetProperty("alert").ValueKind == JsonValueKind.Object);
                Assert.Contains(reports, r => r.GetProperty("counters").TryGetProperty("outbox-pending", out _));
                break;
            }
            var printed = lfr.Run(new Dictionary<string, string> { ["LFR_PASSWORD"] = password }, "status", "--url", site.ToString(), "--user", "operator",
                "--certificate", Path.Combine(data, WebHttpsSettings.GeneratedFile));
            Assert.Matches(@"ms p50/p99: detect [\d.]+/[\d.]+ +track-embed [\d.]+/[\d.]+ +match [\d.]+/[\d.]+ +capture to alert", printed.StdOut);
            Assert.Matches(@"outbox \d+ waiting", printed.StdOut);
            Assert.Matches(@"detector: [\d.]+ runs/frame, \d+ ?% of tiles \(budget \d+\)", printed.StdOut);
            var metrics = await web.GetStringAsync("/metrics");
            Assert.Matches(@"lfr_pipeline_latency_ms\{camera=""[^""]+"",quantile=""0\.99"",stage=""detect""\} [\d.]+", metrics);
            Assert.Matches(@"lfr_detector_runs_total\{camera=""[^""]+"",kind=""runs""\} [1-9]\d*", metrics);

            demo.Interrupt();
            // what the demo said while stopping is the only clue when it does not stop in time: printed either way
            var stopping = DateTime.UtcNow;
            try
            {
                await demo.WaitForExitAsync(TimeSpan.FromSeconds(120));
            }
            finally
            {
                output.WriteLine($"stopped {(demo.HasExited ? "in" : "not within")} {(DateTime.UtcNow - stopping).TotalSeconds:0.0} s after Ctrl-C");
                output.WriteLine(demo.Output);
            }
            Assert.Equal(0, demo.ExitCode);
            Assert.Contains("Summary: ", demo.Output);
        }

        // closed, not abandoned: no rollback journal left to replay, and every database reads back whole
        var databases = Directory.GetFiles(data, "*.db", SearchOption.AllDirectories);
        // journal, images, watchlists, subject access and the van's outbox
        Assert.Equal(5, databases.Length);
        Assert.Empty(Directory.GetFiles(data, "*-journal", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(data, "*-wal", SearchOption.AllDirectories));
        foreach (var database in databases)
            Assert.Equal("ok", IntegrityCheck(database));

        var again = lfr.Run("demo", "--data", data, "--duration", "15s", "--http-port", "0");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"deployment {deployment} at", again.StdOut);
        Assert.Contains("Live (resumed)", again.StdOut);
        // and the van has the deployment's watchlist again: it looks for faces only while a deployment is live on it
        var faces = Regex.Match(again.StdOut, @"Summary: \d+ frames, (?<faces>\d+) faces");
        Assert.True(faces.Success && int.Parse(faces.Groups["faces"].Value) > 0, again.ToString());
    }

    [Fact]
    public void Demo_walkthrough_should_leave_the_deployment_at_draft_and_process_no_frame_until_it_is_live()
    {
        using var lfr = new LfrProcess();
        // the sample photos' crops and the temporary data folder land here, and must be gone afterwards
        var temp = Directory.CreateDirectory(lfr.PathIn("tmp")).FullName;
        var result = lfr.Run(new Dictionary<string, string> { ["TMPDIR"] = temp },
            "demo", "--walkthrough", "--photos", "samples", "--duration", "15s", "--http-port", "0");
        output.WriteLine(result.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("faces cut from the sample photos", result.StdOut);
        Assert.Matches(@"deployment demo-\S+ at .*: Draft", result.StdOut);
        var summary = Regex.Match(result.StdOut, @"Summary: (?<frames>\d+) frames, (?<faces>\d+) faces, (?<alerts>\d+) alerts");
        Assert.True(summary.Success, result.ToString());
        Assert.True(int.Parse(summary.Groups["frames"].Value) > 0, "the cameras run");
        Assert.Equal("0", summary.Groups["faces"].Value);
        Assert.Equal("0", summary.Groups["alerts"].Value);
        // the crops of the sample photos and the temporary control room went with the process
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp, "lfr-demo-*"));
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
