using Lfr.Tests.Fixtures;
using OpenCvSharp;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// Several file images of one person (custody images of different dates): <c>lfr watchlist build</c> makes one entry
/// of a person's folder carrying all its good images, refuses a blurred image and a thumbnail below the quality floor with
/// the reason, and the fused entry finds the person.
/// </summary>
public sealed class MultiPhotoEnrolmentSpecs : IDisposable
{
    private const string Johns = "dlib_johns/manifest.csv";
    private readonly LfrProcess _lfr = new();

    public void Dispose() => _lfr.Dispose();

    [SharedDataFact(Johns)]
    public void Watchlist_build_should_fuse_a_persons_images_into_one_entry_keep_them_all_and_refuse_poor_ones_with_the_reason()
    {
        var manifest = SharedData.PathOf(Johns);
        var folder = Path.GetDirectoryName(manifest)!;
        var people = File.ReadLines(manifest).Skip(1).Select(l => l.Split(',')).Where(f => f.Length >= 2 && f[1].Length > 0)
            .GroupBy(f => f[1]).Take(2).Select(g => (Name: g.Key, Photos: g.Select(f => Path.Combine(folder, f[0])).ToList())).ToList();
        var photos = _lfr.PathIn("file-images");
        var (john, other) = (people[0], people[1]);
        Directory.CreateDirectory(Path.Combine(photos, "john"));
        for (var i = 0; i < 3; i++) File.Copy(john.Photos[i], Path.Combine(photos, "john", $"custody-{i + 1}{Path.GetExtension(john.Photos[i])}"));
        using (var sharp = Cv2.ImRead(john.Photos[3]))
        using (var blurred = new Mat())
        using (var small = new Mat())
        {
            Cv2.GaussianBlur(sharp, blurred, new Size(0, 0), 6);
            Cv2.ImWrite(Path.Combine(photos, "john", "custody-blurred.png"), blurred);
            // a thumbnail: the face below the quality floor's 28 px
            Cv2.Resize(sharp, small, new Size(0, 0), 0.2, 0.2, InterpolationFlags.Area);
            Cv2.ImWrite(Path.Combine(photos, "john", "custody-thumbnail.png"), small);
        }
        File.Copy(other.Photos[0], Path.Combine(photos, "other" + Path.GetExtension(other.Photos[0])));
        var watchlist = _lfr.PathIn("multi.watchlist");

        var build = _lfr.Run("watchlist", "build", "--from", photos, "--out", watchlist, "--quiet");

        Assert.True(build.ExitCode == 1, build.ToString()); // two images rejected, each with the reason
        Assert.Contains("custody-blurred.png: no face found", build.StdErr);
        Assert.Matches(@"custody-thumbnail\.png: no usable face: face too small \(\d+ px < 28 px\)", build.StdErr);
        Assert.Contains("2 entries enrolled, 2 rejected (4 images enrolled)", build.StdErr);
        // every enrolled image travels with the entry, for the officers' handsets; the refused one does not
        var read = Lfr.Vision.Watchlists.WatchlistFile.Read(watchlist, Lfr.Vision.Models.ModelFiles.Expected[Lfr.Vision.Models.ModelFiles.Embedder],
            Lfr.Vision.Watchlists.WatchlistSigningKey.FromFile(Path.Combine(_lfr.DataHome, "lfr", "watchlist.key")));
        var johnEntry = read.Entries.Single(e => e.Id.Value == "john");
        Assert.Equal(2, johnEntry.MoreFileImages.Count);
        Assert.Empty(read.Entries.Single(e => e.Id.Value == "other").MoreFileImages);
        var found = _lfr.Run("identify", "--watchlist", watchlist, john.Photos[5], "--json");
        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Contains("\"john\"", found.StdOut);
    }
}
