using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// <c>lfr eval</c> on a small slice of <c>dlib_johns</c> (5 people, 150x150 face chips): enough photos to check
/// the report, few enough to run in seconds.
/// </summary>
public sealed class EvalCommandSpecs : IDisposable
{
    private const string Johns = "dlib_johns/manifest.csv";
    private readonly LfrProcess _lfr = new();

    public void Dispose() => _lfr.Dispose();

    [SharedDataFact(Johns)]
    public void Eval_should_report_open_set_identification_and_write_the_det_curve()
    {
        var people = PhotosByPerson();
        Assert.True(people.Count >= 5, "dlib_johns has five people");
        var enrolled = people.Take(3).ToList();
        var strangers = people.Skip(3).Take(2).ToList();
        var gallery = enrolled.Select(p => (p.Photos[0], p.Name)).ToList();
        var mated = enrolled.SelectMany(p => p.Photos.Skip(1).Take(4).Select(photo => (photo, p.Name))).ToList();
        var nonMated = strangers.SelectMany(p => p.Photos.Take(4).Select(photo => (photo, p.Name))).ToList();
        var galleryCsv = WriteManifest("gallery.csv", gallery);
        var probesCsv = WriteManifest("probes.csv", [.. mated, .. nonMated]);
        var det = _lfr.PathIn("det.svg");

        var result = _lfr.Run("eval", "--gallery", galleryCsv, "--probes", probesCsv, "--det", det, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = result.Json;
        Assert.Equal(0.6, report.GetProperty("threshold").GetDouble(), 3);
        Assert.InRange(report.GetProperty("tpir").GetDouble(), 0, 1);
        Assert.InRange(report.GetProperty("fpir").GetDouble(), 0, 1);
        Assert.Equal(mated.Count, report.GetProperty("mated").GetInt32());
        Assert.Equal(nonMated.Count, report.GetProperty("nonMated").GetInt32());
        Assert.Equal(gallery.Count, report.GetProperty("gallerySize").GetInt32());
        var sweep = report.GetProperty("sweep").EnumerateArray().ToList();
        Assert.NotEmpty(sweep);
        Assert.All(sweep, point => Assert.InRange(point.GetProperty("tpir").GetDouble(), 0, 1));
        // at threshold 0 every top candidate is returned, so every mated search with a face is a hit
        Assert.True(sweep[0].GetProperty("tpir").GetDouble() >= report.GetProperty("tpir").GetDouble());
        Assert.Equal(det, report.GetProperty("detCurve").GetString());
        Assert.StartsWith("<svg", File.ReadAllText(det).TrimStart());
    }

    [SharedDataFact(Johns)]
    public void Eval_should_break_identification_down_by_group_and_write_the_html_report()
    {
        var people = PhotosByPerson();
        var enrolled = people.Take(3).ToList();
        var strangers = people.Skip(3).Take(2).ToList();
        var galleryCsv = WriteManifest("gallery.csv", enrolled.Select(p => (p.Photos[0], p.Name)));
        var probesCsv = WriteManifest("probes.csv",
        [
            .. enrolled.SelectMany(p => p.Photos.Skip(1).Take(3).Select(photo => (photo, p.Name))),
            .. strangers.SelectMany(p => p.Photos.Take(3).Select(photo => (photo, p.Name))),
        ]);
        // two people in group "a" (one enrolled, one not), two in "b", one without a label
        var groups = _lfr.PathIn("groups.csv");
        File.WriteAllLines(groups, ["identity,group", $"{people[0].Name},a", $"{people[3].Name},a", $"{people[1].Name},b", $"{people[4].Name},b"]);
        var report = _lfr.PathIn("report.html");

        var result = _lfr.Run("eval", "--gallery", galleryCsv, "--probes", probesCsv, "--groups", groups, "--min-group", "3",
            "--report", report, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var byGroup = result.Json.GetProperty("groups").GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);
        Assert.Equal(["a", "b", "unlabelled"], byGroup.Keys.Order());
        var a = byGroup["a"];
        Assert.True(a.GetProperty("evaluated").GetBoolean());
        Assert.Equal(3, a.GetProperty("tpir").GetProperty("of").GetInt32());
        Assert.Equal(3, a.GetProperty("fpir").GetProperty("of").GetInt32());
        var tpir = a.GetProperty("tpir");
        Assert.True(tpir.GetProperty("low").GetDouble() <= tpir.GetProperty("rate").GetDouble() && tpir.GetProperty("rate").GetDouble() <= tpir.GetProperty("high").GetDouble());
        // the unlabelled person has 3 mated searches and no non-mated one: too small, with the reason
        Assert.Contains("too small", byGroup["unlabelled"].GetProperty("tooSmall").GetString());
        Assert.True(result.Json.GetProperty("groups").TryGetProperty("tpirRatio", out _));
        var html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.Contains("id=\"groups\"", html);
        Assert.DoesNotContain("src=\"http", html); // self-contained
        Assert.DoesNotContain("embedding [", result.StdErr); // no progress bar with --json or without a terminal
    }

    [Fact]
    public void Eval_should_refuse_a_groups_file_without_its_header()
    {
        var groups = _lfr.PathIn("groups.csv");
        File.WriteAllLines(groups, ["Ann,a"]);
        var manifest = WriteManifest("m.csv", []);

        var result = _lfr.Run("eval", "--gallery", manifest, "--probes", manifest, "--groups", groups, "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("identity,group", result.StdErr);
    }

    [SharedDataFact(Johns)]
    public void Eval_should_report_verification_accuracy_over_lfw_style_pairs()
    {
        var people = PhotosByPerson().Take(3).ToList();
        // LFW layout: ROOT/images/NAME/NAME_0001.jpg
        foreach (var (name, photos) in people)
        {
            Directory.CreateDirectory(_lfr.PathIn($"images/{name}"));
            for (var i = 0; i < 4; i++)
                File.Copy(photos[i], _lfr.PathIn($"images/{name}/{name}_{i + 1:0000}.jpg"));
        }
        var (a, b, c) = (people[0].Name, people[1].Name, people[2].Name);
        // two folds (the threshold of each is chosen on the other), each of 3 same and 3 different pairs
        var pairs = _lfr.PathIn("pairs.txt");
        File.WriteAllLines(pairs,
        [
            "2\t3",
            $"{a}\t1\t2", $"{b}\t1\t2", $"{c}\t1\t2",
            $"{a}\t1\t{b}\t1", $"{b}\t2\t{c}\t1", $"{c}\t2\t{a}\t2",
            $"{a}\t3\t4", $"{b}\t3\t4", $"{c}\t3\t4",
            $"{a}\t3\t{b}\t3", $"{b}\t4\t{c}\t3", $"{c}\t4\t{a}\t4",
        ]);

        var result = _lfr.Run("eval", "--pairs", pairs, "--root", _lfr.Folder, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = result.Json;
        Assert.InRange(report.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.True(report.GetProperty("accuracyStd").GetDouble() >= 0);
        Assert.InRange(report.GetProperty("tarAtFar1e3").GetDouble(), 0, 1);
        Assert.Equal(12, report.GetProperty("pairs").GetInt32());
        Assert.Equal(0, report.GetProperty("pairsWithoutFace").GetInt32());
        Assert.Equal(2, report.GetProperty("folds").GetArrayLength());
    }

    [Fact]
    public void Eval_should_refuse_a_single_fold_pairs_file_instead_of_crashing()
    {
        // one fold leaves no other fold to choose its threshold on
        var pairs = _lfr.PathIn("pairs.txt");
        File.WriteAllLines(pairs, ["1\t1", "Ann\t1\t2", "Ann\t1\tBob\t1"]);

        var result = _lfr.Run("eval", "--pairs", pairs, "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("at least 2 folds", result.StdErr);
        Assert.DoesNotContain("Unhandled exception", result.StdErr);
    }

    /// <summary>The manifest's people in file order, each with their photos (duplicates left out), as absolute paths.</summary>
    private static List<(string Name, List<string> Photos)> PhotosByPerson()
    {
        var manifest = SharedData.PathOf(Johns);
        var folder = Path.GetDirectoryName(manifest)!;
        return File.ReadLines(manifest).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => f.Length >= 2 && f[1].Length > 0 && !(f.Length > 2 && f[2].Contains("DUPLICATE", StringComparison.OrdinalIgnoreCase)))
            .GroupBy(f => f[1])
            .Select(g => (g.Key, g.Select(f => Path.GetFullPath(Path.Combine(folder, f[0]))).ToList()))
            .Where(p => p.Item2.Count >= 5)
            .ToList();
    }

    /// <summary>A manifest in the scratch folder; absolute paths stay absolute when it is read.</summary>
    private string WriteManifest(string name, IEnumerable<(string Path, string Identity)> rows)
    {
        var path = _lfr.PathIn(name);
        File.WriteAllLines(path, ["relative_path,identity", .. rows.Select(r => $"{r.Path},{r.Identity}")]);
        return path;
    }
}
