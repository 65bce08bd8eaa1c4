using System.Text.Json;
using Lfr.Tests.Fixtures;
using Lfr.Vision;
using Lfr.Vision.Detection;
using OpenCvSharp;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A folder of enrolment photos and the watchlist <c>lfr watchlist build</c> made from it, once per class:
/// four single-person photos cropped (with a 60% margin) out of sample 5, whose fifth person is left out,
/// a whole group photo and a plain grey image. No key is configured, so the build creates one.
/// </summary>
public sealed class EnrolledWatchlist : IDisposable
{
    public const int Sample = 5;
    public static readonly string[] Names = ["person-a", "person-b", "person-c", "person-d"];

    public EnrolledWatchlist()
    {
        Photos = Lfr.PathIn("photos");
        Directory.CreateDirectory(Photos);
        using (var engine = FaceEngine.Load(new FaceEngineOptions { Parallelism = 2 }))
        using (var group = SamplePhotos.Load(Sample))
        {
            var faces = engine.DetectBoxes(group).Select(f => f.Box).OrderBy(b => b.X).ToList();
            Assert.Equal(Names.Length + 1, faces.Count);
            for (var i = 0; i < Names.Length; i++)
            {
                var margin = 0.6f * Math.Max(faces[i].Width, faces[i].Height);
                var rect = new FaceBox(faces[i].X - margin, faces[i].Y - margin, faces[i].Width + 2 * margin, faces[i].Height + 2 * margin)
                    .ToRect(group.Width, group.Height);
                using var crop = new Mat(group, rect);
                Cv2.ImWrite(Path.Combine(Photos, Names[i] + ".jpg"), crop, new ImageEncodingParam(ImwriteFlags.JpegQuality, 92));
            }
            Enrolled = faces.Take(Names.Length).ToList();
            NotEnrolled = faces[^1];
            using var grey = new Mat(400, 300, MatType.CV_8UC3, Scalar.All(128));
            Cv2.ImWrite(GreyPhoto, grey);
        }
        File.Copy(SamplePhotos.Path(Sample), GroupPhoto);
        Build = Lfr.Run("watchlist", "build", "--from", Photos, "--out", Watchlist, "--category", "wanted", "--quiet");
    }

    public LfrProcess Lfr { get; } = new();
    public string Photos { get; }
    public string GroupPhoto => Path.Combine(Photos, "group.jpg");
    public string GreyPhoto => Path.Combine(Photos, "grey.png");
    public string Watchlist => Lfr.PathIn("wanted.lfrw");

    /// <summary>Where each enrolled person's face is in the sample photo, in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<FaceBox> Enrolled { get; }

    public FaceBox NotEnrolled { get; }

    public LfrResult Build { get; }

    public void Dispose() => Lfr.Dispose();
}

public sealed class WatchlistCommandSpecs(EnrolledWatchlist enrolled) : IClassFixture<EnrolledWatchlist>, IDisposable
{
    private readonly LfrProcess _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Watchlist_build_should_enrol_one_person_photos_and_reject_the_others_with_reasons()
    {
        var build = enrolled.Build;

        Assert.True(build.ExitCode == 1, $"two photos were rejected, so exit 1\n{build}");
        Assert.True(File.Exists(enrolled.Watchlist), build.ToString());
        var rejections = build.StdErr.Split('\n').Where(l => l.StartsWith("rejected ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rejections.Count);
        Assert.Contains(rejections, l => l.Contains(enrolled.GroupPhoto) && l.Contains("faces of similar size"));
        Assert.Contains(rejections, l => l.Contains(enrolled.GreyPhoto) && l.Contains("no face"));
        Assert.Contains($"{EnrolledWatchlist.Names.Length} entries enrolled, 2 rejected", build.StdErr);
    }

    [Fact]
    public void Watchlist_build_should_create_a_signing_key_in_the_data_folder_and_say_where()
    {
        var keyFile = Path.Combine(enrolled.Lfr.DataHome, "lfr", "watchlist.key");

        Assert.True(File.Exists(keyFile), enrolled.Build.ToString());
        Assert.Contains($"created a new watchlist signing key at {keyFile}", enrolled.Build.StdErr);
    }

    [Fact]
    public void Watchlist_build_should_write_each_entrys_file_image_as_a_jpeg_under_64_KB()
    {
        var key = Lfr.Vision.Watchlists.WatchlistSigningKey.FromFile(Path.Combine(enrolled.Lfr.DataHome, "lfr", "watchlist.key"));

        var read = Lfr.Vision.Watchlists.WatchlistFile.Read(enrolled.Watchlist,
            Lfr.Vision.Models.ModelFiles.Expected[Lfr.Vision.Models.ModelFiles.Embedder], key);

        Assert.Equal(3, read.FormatVersion);
        Assert.Equal(EnrolledWatchlist.Names, read.Entries.Select(e => e.Id.Value).Order());
        Assert.All(read.Entries, entry =>
        {
            Assert.InRange(entry.FileImage.Length, 1, 64 * 1024);
            using var decoded = Lfr.Vision.Imaging.SafeImageDecoder.Decode(entry.FileImage.Span);
            Assert.True(decoded.IsSuccess);
            Assert.Equal(Lfr.Vision.Imaging.ImageFormat.Jpeg, decoded.Format);
        });
    }

    [Fact]
    public void Identify_should_alert_on_the_enrolled_people_only()
    {
        var result = enrolled.Lfr.Run("identify", "--watchlist", enrolled.Watchlist, "--json", SamplePhotos.Path(EnrolledWatchlist.Sample));

        Assert.True(result.ExitCode == 0, result.ToString());
        var faces = result.Json.EnumerateArray().Single().GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(EnrolledWatchlist.Names.Length + 1, faces.Count);
        for (var i = 0; i < EnrolledWatchlist.Names.Length; i++)
        {
            var face = FaceAt(faces, enrolled.Enrolled[i]);
            Assert.Equal(EnrolledWatchlist.Names[i], face.GetProperty("candidate").GetString());
            Assert.Equal("WantedWithPowerOfArrest", face.GetProperty("category").GetString());
            Assert.True(face.GetProperty("alert").GetBoolean(), $"{EnrolledWatchlist.Names[i]} should raise an alert at 0.6: {face}");
        }
        var stranger = FaceAt(faces, enrolled.NotEnrolled);
        Assert.False(stranger.GetProperty("alert").GetBoolean(), $"the person not enrolled raised an alert: {stranger}");
        Assert.True(stranger.GetProperty("likelihood").GetSingle() < 0.6f, stranger.ToString());
    }

    [Fact]
    public void Identify_should_refuse_a_watchlist_altered_after_signing()
    {
        var altered = _scratch.PathIn("altered.lfrw");
        var bytes = File.ReadAllBytes(enrolled.Watchlist);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(altered, bytes);

        var result = enrolled.Lfr.Run("identify", "--watchlist", altered, "--json", SamplePhotos.Path(EnrolledWatchlist.Sample));

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("signature", result.StdErr);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public void Identify_should_refuse_a_watchlist_signed_with_another_key()
    {
        var otherKey = _scratch.PathIn("other.key");
        File.WriteAllText(otherKey, Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));

        var result = enrolled.Lfr.Run(new Dictionary<string, string> { ["LFR_WATCHLIST_KEY_FILE"] = otherKey },
            "identify", "--watchlist", enrolled.Watchlist, "--json", SamplePhotos.Path(EnrolledWatchlist.Sample));

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("signed with another key", result.StdErr);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public void Identify_should_not_create_a_signing_key_that_could_verify_nothing()
    {
        // a fresh data folder and no key configured: a new key could never verify an existing watchlist
        var result = _scratch.Run("identify", "--watchlist", enrolled.Watchlist, "--json", SamplePhotos.Path(EnrolledWatchlist.Sample));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no watchlist signing key", result.StdErr);
        Assert.Contains("LFR_WATCHLIST_KEY_FILE", result.StdErr);
        Assert.False(File.Exists(Path.Combine(_scratch.DataHome, "lfr", "watchlist.key")), "identify created a key");
    }

    [Fact]
    public void Identify_should_name_a_missing_watchlist_file_without_a_stack_trace()
    {
        var missing = _scratch.PathIn("missing.lfrw");

        var result = enrolled.Lfr.Run("identify", "--watchlist", missing, SamplePhotos.Path(EnrolledWatchlist.Sample));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("lfr: ", result.StdErr);
        Assert.Contains(missing, result.StdErr);
        Assert.DoesNotContain("Unhandled exception", result.StdErr);
    }

    [Fact]
    public void Identify_should_explain_a_key_file_that_holds_no_usable_key()
    {
        var shortKey = _scratch.PathIn("short.key");
        File.WriteAllText(shortKey, Convert.ToBase64String(new byte[16]));

        var result = enrolled.Lfr.Run(new Dictionary<string, string> { ["LFR_WATCHLIST_KEY_FILE"] = shortKey },
            "identify", "--watchlist", enrolled.Watchlist, SamplePhotos.Path(EnrolledWatchlist.Sample));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("lfr: watchlist signing key: ", result.StdErr);
        Assert.Contains("at least 32 bytes", result.StdErr);
        Assert.DoesNotContain("Unhandled exception", result.StdErr);
    }

    private static JsonElement FaceAt(List<JsonElement> faces, FaceBox where)
    {
        var match = faces.MaxBy(f =>
        {
            var b = f.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            return new FaceBox(b[0], b[1], b[2], b[3]).IoU(where);
        });
        var box = match.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.True(new FaceBox(box[0], box[1], box[2], box[3]).IoU(where) > 0.5f, $"no face reported at {where}");
        return match;
    }
}
