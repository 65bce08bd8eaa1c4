using System.Security.Cryptography;
using System.Text;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A force's own embedder: a copy of fr_feature under another name and another SHA-256 (an ONNX doc string appended:
/// the same weights, another file), named in a model set (<c>LFR_MODEL_SET</c>). Its calibration is fitted with
/// <c>lfr eval --calibrate</c>; the built-in calibration and watchlists of the other model are refused with one message;
/// with its own calibration the van pipeline (<c>lfr watch</c>) raises the alert on a real video.
/// </summary>
public sealed class ModelSetSpecs : IDisposable
{
    private const string Johns = "dlib_johns/manifest.csv";
    private const string Clip = "face_recognition/video/short_hamilton_clip.mp4";
    private readonly LfrProcess _lfr = new();

    public void Dispose() => _lfr.Dispose();

    [SharedDataFact(Clip)]
    public void A_copied_embedder_should_need_its_own_calibration_and_then_run_the_pipeline()
    {
        var embedder = _lfr.PathIn("force/force-embedder.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(embedder)!);
        // ModelProto field 6 (doc_string), length-delimited: a later field of the same number wins, the graph is untouched
        var doc = Encoding.ASCII.GetBytes("a force's licensed embedder (lfr test copy)");
        File.WriteAllBytes(embedder, [.. File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "models", "fr_feature.onnx")), 0x32, (byte)doc.Length, .. doc]);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(embedder)));
        var set = _lfr.PathIn("force/models.json");
        WriteSet(set, sha, calibration: null);
        var env = new Dictionary<string, string> { ["LFR_MODEL_SET"] = set };

        // the built-in calibration belongs to fr_feature: refused, in one line
        var refused = _lfr.Run(env, "models", "verify");
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains(sha, refused.StdOut);
        Assert.Contains("calibration refused", refused.StdOut);

        // a watchlist enrolled with the force's model (enrolment needs no calibration)
        var photos = Directory.CreateDirectory(_lfr.PathIn("wl")).FullName;
        File.Copy(SharedData.PathOf("face_recognition/images/lin-manuel-miranda.png"), Path.Combine(photos, "lin-manuel-miranda.png"));
        var watchlist = _lfr.PathIn("force.watchlist");
        var build = _lfr.Run(env, "watchlist", "build", "--from", photos, "--out", watchlist, "--quiet");
        Assert.True(build.ExitCode == 0, build.ToString());

        // a van node with that model set refuses to start, in one line
        Directory.CreateDirectory(_lfr.PathIn("van"));
        File.WriteAllText(_lfr.PathIn("van/assignment.pub"), Lfr.Actors.Van.Assignment.AssignmentSigner.Create().PublicKeyPem);
        var node = _lfr.Run(env, "node", "--role", "van", "--port", "0", "--http-port", "0", "--data", _lfr.PathIn("van"), "--node-name", "van-1", "--seed", "akka.tcp://lfr@127.0.0.1:1");
        Assert.True(node.ExitCode != 0, node.ToString());
        Assert.True(node.StdErr.Contains("calibrates embedding model", StringComparison.Ordinal), node.ToString());

        // its own calibration, fitted on labelled photos for this embedder
        var calibration = _lfr.PathIn("force/calibration.json");
        var fit = _lfr.Run(env, "eval", "--calibrate", "--manifest", SharedData.PathOf(Johns), "--out", calibration, "--tail-exceedances", "100", "--json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Equal(sha, fit.Json.GetProperty("embedderSha256").GetString());
        WriteSet(set, sha, "calibration.json");
        var verified = _lfr.Run(env, "models", "verify", "--json");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal(sha, verified.Json.GetProperty("calibration").GetProperty("embedderSha256").GetString());

        // the pipeline over the video with the force's model and calibration
        // a calibration from 55 photos is coarse (its 0.6 sits higher than the shipped one's), so the alert threshold is lower here
        var watch = _lfr.Run(env, "watch", "--camera", SharedData.PathOf(Clip), "--watchlist", watchlist, "--threshold", "0.3", "--json");
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.True(watch.StdOut.Contains("\"entryId\":\"lin-manuel-miranda\"", StringComparison.Ordinal), $"{watch}\ncalibration: {fit.StdOut}");

        // a van on the built-in model refuses the force's watchlist, naming the reason
        var other = _lfr.Run("watch", "--camera", SharedData.PathOf(Clip), "--watchlist", watchlist, "--json");
        Assert.True(other.ExitCode is 2 or 3, other.ToString());
        Assert.Contains("model", other.StdErr);
        Assert.DoesNotContain("Unhandled", other.StdErr);
    }

    private static void WriteSet(string path, string sha, string? calibration) =>
        File.WriteAllText(path, $$"""
            {
              "embedder": { "path": "force-embedder.onnx", "sha256": "{{sha}}" },
              "embedderInput": { "inputSize": 112, "colour": "bgr", "mean": 127, "std": 128, "embeddingSize": 512 }
              {{(calibration is null ? "" : $", \"calibration\": \"{calibration}\"")}}
            }
            """);
}
