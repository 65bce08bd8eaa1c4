using System.Security.Cryptography;
using System.Text;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A force's own models: copies of fr_detect, fr_landmark and fr_feature under other names and other SHA-256 sums (an
/// ONNX doc string appended: the same weights, other files), named in a model set (<c>LFR_MODEL_SET</c>) with their input
/// settings. The embedder's calibration is fitted with <c>lfr eval --calibrate</c>; the built-in calibration and
/// watchlists of the other model are refused with one message; with its own calibration the van pipeline
/// (<c>lfr watch</c>) raises the alert on a real video. Settings that do not fit a model refuse it at start, by name.
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
        var sha = Copy("fr_feature", "force-embedder.onnx");
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
        Assert.DoesNotContain("Unhandled", node.StdErr);

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

    [Fact]
    public void Settings_that_do_not_fit_a_model_should_refuse_it_by_name_at_verify_and_at_node_start()
    {
        var sha = Copy("fr_feature", "force-embedder.onnx");
        var set = _lfr.PathIn("force/models.json");
        var env = new Dictionary<string, string> { ["LFR_MODEL_SET"] = set };

        // the embedder gives 512 values, the set says 128
        WriteSet(set, sha, calibration: null, embeddingSize: 128);
        var verify = _lfr.Run(env, "models", "verify");
        Assert.True(verify.ExitCode == 3, verify.ToString());
        Assert.Contains("force-embedder.onnx does not run with its settings (the model set's): the embedder gave 512 values, not the model set's embeddingSize 128", verify.StdOut);

        // a detector input tensor the model does not have: the van refuses to start, naming the model
        WriteSet(set, sha, calibration: null, detectorInputName: "images");
        var van = Directory.CreateDirectory(_lfr.PathIn("van")).FullName;
        File.WriteAllText(Path.Combine(van, "assignment.pub"), Lfr.Actors.Van.Assignment.AssignmentSigner.Create().PublicKeyPem);
        var node = _lfr.Run(env, "node", "--role", "van", "--port", "0", "--http-port", "0", "--data", van,
            "--node-name", "van-1", "--seed", "akka.tcp://lfr@127.0.0.1:1");
        Assert.True(node.ExitCode != 0, node.ToString());
        Assert.Contains("force-detector.onnx does not run with its settings", node.StdErr);
        Assert.DoesNotContain("Unhandled", node.StdErr);
    }

    /// <summary>A built-in model copied into the force's folder under <paramref name="name"/>: the same graph, another SHA-256.</summary>
    private string Copy(string model, string name)
    {
        var path = _lfr.PathIn("force/" + name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // ModelProto field 6 (doc_string), length-delimited: a later field of the same number wins, the graph is untouched
        var doc = Encoding.ASCII.GetBytes($"a force's licensed model, {name} (lfr test copy)");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "models", model + ".onnx")), 0x32, (byte)doc.Length, .. doc]);
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
    }

    /// <summary>A model set of the copied embedder, detector and landmark model, each with its input settings (fr_*'s own).</summary>
    private void WriteSet(string path, string sha, string? calibration, int embeddingSize = 512, string detectorInputName = "input") =>
        File.WriteAllText(path, $$"""
            {
              "detector": { "path": "force-detector.onnx", "sha256": "{{Copy("fr_detect", "force-detector.onnx")}}" },
              "detectorInput": { "width": 320, "height": 240, "colour": "rgb", "mean": 127, "std": 128, "inputName": "{{detectorInputName}}" },
              "landmarks": { "path": "force-landmarks.onnx", "sha256": "{{Copy("fr_landmark", "force-landmarks.onnx")}}" },
              "landmarksInput": { "inputSize": 64, "colour": "grey", "mean": 0, "std": 256 },
              "embedder": { "path": "force-embedder.onnx", "sha256": "{{sha}}" },
              "embedderInput": { "inputSize": 112, "colour": "bgr", "mean": 127, "std": 128, "embeddingSize": {{embeddingSize}} }
              {{(calibration is null ? "" : $", \"calibration\": \"{calibration}\"")}}
            }
            """);
}
