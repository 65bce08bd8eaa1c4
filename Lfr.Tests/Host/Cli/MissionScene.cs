using System.Globalization;
using Lfr.Host.Demo;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Lfr.Vision;
using Lfr.Vision.Matching;

namespace Lfr.Tests.Host.Cli;

/// <summary>What the multi-process specs give a van to see and read back from a node: a scene and a metric.</summary>
public static class MissionScene
{
    /// <summary>
    /// One person on the watchlist and <paramref name="passersBy"/> passers-by crossing one after another, so the one on
    /// the watchlist walks past once a round, a new passage (an alert) each time. Returns their file image.
    /// </summary>
    public static string Write(TempFolder data, int passersBy)
    {
        using var engine = FaceEngine.Load();
        using var cast = DemoCast.Choose(engine, CalibrationStore.ForModel(engine.EmbeddingModelSha256).CosineAt(0.6f), DemoCast.FindLfw());
        var suspect = cast.Watchlist[0];
        var walker = Directory.CreateDirectory(data.File("scene/a-suspect")).FullName;
        foreach (var photo in suspect.Walks) File.Copy(photo, Path.Combine(walker, Path.GetFileName(photo)));
        foreach (var (stranger, i) in cast.PassersBy.Take(passersBy).Select((p, i) => (p, i)))
        {
            var folder = Directory.CreateDirectory(data.File($"scene/b-stranger-{i}")).FullName;
            foreach (var photo in stranger.Walks) File.Copy(photo, Path.Combine(folder, Path.GetFileName(photo)));
        }
        var fileImage = data.File($"{suspect.Id.Value}.jpg");
        File.Copy(suspect.FileImage, fileImage);
        return fileImage;
    }

    /// <summary>The sum of a metric's series on a node's /metrics (0 when it has none yet).</summary>
    public static async Task<double> MetricAsync(HttpClient http, int port, string name)
    {
        var text = await http.GetStringAsync($"{TestHttps.Url(port)}/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
