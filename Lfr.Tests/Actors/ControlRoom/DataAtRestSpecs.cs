using System.Diagnostics;
using System.Text;
using Akka.Actor;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Files;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// What another user of the same machine gets from a control room's data folder: nothing. Every folder is 0700 and every
/// file 0600 (the -journal files SQLite makes on the way included), a real second Unix user's read fails, and neither the
/// data folder nor the temp folder ever holds an image or an embedding in the clear, watched while the room works.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DataAtRestSpecs : ControlRoomSpec
{
    private readonly ITestOutputHelper _output;

    public DataAtRestSpecs(ITestOutputHelper output) : base(output) => _output = output;

    /// <summary>The uid of <c>nobody</c>: a user who is not the service's, as another local account would be.</summary>
    private const int OtherUser = 65534;

    [Fact]
    public void Control_room_should_keep_every_data_file_private_and_no_face_or_embedding_in_the_clear_at_any_moment()
    {
        var captureMarker = Marker("CAPTURE");
        var fileImageMarker = Marker("FILEIMAGE");
        var embedding = new List<byte[]>();
        var keyFolder = Directory.CreateTempSubdirectory("lfr-master-").FullName;
        try
        {
            var options = Options with { MasterKey = MasterKey.Resolve(new MasterKeySettings(KeyFile: Path.Combine(keyFolder, "master.key"))) };
            // an older version left the folder open to everyone: the start closes it
            File.SetUnixFileMode(Folder.Path, (UnixFileMode)0b111_101_101);
            using (var watch = new FolderWatch([(Folder.Path, true), (Path.GetTempPath(), false)], captureMarker, fileImageMarker))
            {
                var room = StartControlRoom(options);
                MakeLive(room.Deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));
                room.Watchlists.Tell(Build("wl-1", Entry("E1", image: FileImages.WithComment(FileImages.For("E1"), fileImageMarker))));
                ExpectMsg<WatchlistProtocol.WatchlistBuilt>(TimeSpan.FromSeconds(20));
                room.Alerts.Tell(Candidate("a-1", "E1", capture: captureMarker));
                ExpectMsg<AlertProtocol.CandidateAccepted>();
                room.Watchlists.Tell(new WatchlistProtocol.LoadWatchlist(new WatchlistId("wl-1"), "van-1"));
                embedding.Add(ExpectMsg<WatchlistProtocol.WatchlistContents>().Entries.Single().Embedding.SelectMany(BitConverter.GetBytes).ToArray());
                // the wipe and the purge rewrite the stores under the watch too
                Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromHours(1));
                AwaitAssert(() => Assert.Equal(0, new Lfr.Actors.ControlRoom.Retention.EncryptedImageStore(options.ImagesPath, options.MasterKey).Count()));
                Assert.Contains(watch.Seen, f => f.StartsWith(Folder.Path, StringComparison.Ordinal));
                Assert.Empty(watch.Hits);
            }

            Assert.Empty(FilesHolding(Folder.Path, embedding[0]));
            Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(Folder.Path));
            // a rollback journal may come and go while the actors still write: the files there now, each checked if still there
            var files = Directory.GetFiles(Folder.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("-journal", StringComparison.Ordinal)).ToArray();
            Assert.Contains(files, f => f.EndsWith("images.db", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith("watchlists.db", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith("journal.db", StringComparison.Ordinal));
            Assert.All(files, f => Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(f)));
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(keyFolder, "master.key")));
            if (Environment.UserName == "root")
                foreach (var file in files)
                    Assert.False(ReadsAsOtherUser(file), $"{file} is readable by uid {OtherUser}");
            else
                _output.WriteLine("not root: the read by another Unix user is not tried, the modes are checked");
        }
        finally
        {
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    [Fact]
    public void Image_store_should_not_open_under_another_master_key()
    {
        var room = StartControlRoom(Options with { MasterKey = MasterKey.Ephemeral() });
        MakeLive(room.Deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));
        room.Alerts.Tell(Candidate("a-1", "E1", capture: Marker("CAPTURE")));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        room.Alerts.Tell(new AlertProtocol.GetAlert(new("d-1"), new AlertId("a-1")));
        var capture = ExpectMsg<AlertView>().Captures.Single().Image;

        // a copy of the data folder (a backup, a stolen disk) without the master key kept elsewhere
        var copy = new Lfr.Actors.ControlRoom.Retention.EncryptedImageStore(Options.ImagesPath, MasterKey.Ephemeral());
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => copy.Get(capture));
    }

    /// <summary>Runs <c>cat</c> as another, unprivileged user (setpriv, from util-linux): true when it read the file.</summary>
    private static bool ReadsAsOtherUser(string file)
    {
        var start = new ProcessStartInfo("setpriv", ["--reuid", $"{OtherUser}", "--regid", $"{OtherUser}", "--clear-groups", "cat", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var read = process.StandardOutput.BaseStream.ReadByte();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 || read >= 0;
    }

    private static List<string> FilesHolding(string folder, byte[] needle) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => Holds(f, needle)).ToList();

    /// <summary>A file gone between the listing and the read (SQLite's rollback journal comes and goes) holds nothing.</summary>
    private static bool Holds(string file, byte[] needle)
    {
        try
        {
            return File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private static byte[] Marker(string what)
    {
        var marker = Encoding.ASCII.GetBytes($"LFR-AT-REST-{what}-{Guid.NewGuid():N}");
        return [.. marker, .. new byte[9000].Select((_, i) => (byte)(i * 7)), .. marker];
    }
}
