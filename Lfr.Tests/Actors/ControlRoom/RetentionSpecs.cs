using System.Text;
using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.ControlRoom;

public sealed class RetentionSpecs : ControlRoomSpec
{
    public RetentionSpecs(ITestOutputHelper output) : base(output) { }

    [Theory]
    [InlineData(30)]
    [InlineData(2, "Lfr:ControlRoom:Retention:CaptureRetention=2d")]
    public async Task Retention_should_keep_a_capture_for_its_period_30_days_unless_configured_then_destroy_it_and_record_the_purge(
        int days, params string[] settings)
    {
        var room = StartControlRoom(Configured.ControlRoom(settings).ApplyTo(Options));
        MakeLive(room.Deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));
        room.Alerts.Tell(Candidate("a-1", "E1"));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        room.Alerts.Tell(new AlertProtocol.GetAlert(new("d-1"), new AlertId("a-1")));
        var capture = ExpectMsg<AlertView>().Captures.Single().Image;

        Clock.Advance(TimeSpan.FromDays(days) - TimeSpan.FromHours(1));
        room.Alerts.Tell(new AlertProtocol.ViewImage(new("d-1"), new AlertId("a-1"), capture, new StaffId("OP1")));
        Assert.NotNull(ExpectMsg<AlertProtocol.ImageView>().Jpeg);

        Clock.Advance(TimeSpan.FromHours(1));
        await AwaitAssertAsync(async () =>
        {
            var trail = await room.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), RemainingOrDefault);
            Assert.Contains(trail.Entries, e => e is { Kind: AuditKind.ImagesPurged, Detail: "count=1" });
        });
        room.Alerts.Tell(new AlertProtocol.ViewImage(new("d-1"), new AlertId("a-1"), capture, new StaffId("OP1")));
        Assert.Null(ExpectMsg<AlertProtocol.ImageView>().Jpeg);
    }

    [Fact]
    public void Retention_and_wipe_should_leave_no_trace_of_a_capture_a_file_image_or_an_embedding_in_any_database_file()
    {
        var captureMarker = Marker("CAPTURE");
        var fileImageMarker = Marker("FILEIMAGE");
        var room = StartControlRoom();
        MakeLive(room.Deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));
        room.Watchlists.Tell(Build("wl-1", Entry("E1", image: FileImages.WithComment(FileImages.For("E1"), fileImageMarker))));
        ExpectMsg<WatchlistProtocol.WatchlistBuilt>(TimeSpan.FromSeconds(20));
        room.Alerts.Tell(Candidate("a-1", "E1", capture: captureMarker));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        // the embedding enrolment made of the file image is the marker of what a van would hold
        room.Watchlists.Tell(new WatchlistProtocol.LoadWatchlist(new WatchlistId("wl-1"), "van-1"));
        var embeddingMarker = ExpectMsg<WatchlistProtocol.WatchlistContents>().Entries.Single().Embedding
            .SelectMany(BitConverter.GetBytes).ToArray();

        // images and embeddings are encrypted: the plain bytes never reach a file, but the ciphertext and the wrapped
        // key do, until deleted (images by retention, embeddings by the wipe)
        var secrets = StoredSecrets(Options.ImagesPath);
        Assert.Equal(4, secrets.Count);
        Assert.Empty(FilesContaining(captureMarker, fileImageMarker, embeddingMarker));
        Assert.NotEmpty(FilesContaining([.. secrets]));
        var watchlistSecrets = StoredSecrets(Options.WatchlistsPath, "SELECT substr(embedding, 1, 32) FROM entries UNION ALL SELECT key FROM watchlist_keys");
        Assert.Equal(2, watchlistSecrets.Count);
        Assert.Equal(["watchlists.db"], FilesContaining([.. watchlistSecrets]));

        // the daily wipe takes the watchlist that evening, retention the capture 30 days on
        Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromHours(1));
        AwaitAssert(() => Assert.Empty(StoredSecrets(Options.ImagesPath)));
        AwaitAssert(() => Assert.Empty(FilesContaining([captureMarker, fileImageMarker, embeddingMarker, .. secrets, .. watchlistSecrets])));
    }

    [Fact]
    public async Task Journal_should_hold_no_image_reason_or_subject_reference_of_an_alert_taken_all_the_way_to_an_outcome()
    {
        var captureMarker = Marker("CAPTURE");
        var fileImageMarker = Marker("FILEIMAGE");
        var reasonMarker = "LFR-REASON-" + Guid.NewGuid().ToString("N");
        var subjectMarker = "LFR-SUBJECT-" + Guid.NewGuid().ToString("N");
        var room = StartControlRoom();
        MakeLive(room.Deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));
        room.Watchlists.Tell(Build("wl-1",
            Entry("E1", image: FileImages.WithComment(FileImages.For("E1"), fileImageMarker)) with { Reason = reasonMarker, SubjectReference = subjectMarker }));
        ExpectMsg<WatchlistProtocol.WatchlistBuilt>(TimeSpan.FromSeconds(20));
        var officer = new OfficerId("PC1");
        await room.Officers.Ask<OfficerState>(new OfficerProtocol.GoOnDuty(officer), RemainingOrDefault);
        room.Alerts.Tell(Candidate("a-1", "E1", capture: captureMarker));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        AwaitAssert(() =>
        {
            room.Alerts.Tell(new AlertProtocol.GetAlert(new("d-1"), new AlertId("a-1")));
            Assert.NotNull(ExpectMsg<AlertView>().Record);
        });
        room.Alerts.Tell(new AlertProtocol.Confirm(new("d-1"), new AlertId("a-1"), new StaffId("OP1"), [officer]));
        ExpectMsg<AlertView>();
        await AwaitAssertAsync(async () =>
        {
            var state = await room.Officers.Ask<OfficerState>(
                new OfficerProtocol.GetOfficer(officer), RemainingOrDefault);
            Assert.Equal(reasonMarker, state.Current?.Tasking.Record?.Reason);
        });

        // the handset shows the reason; the journal (and its -wal or -journal file, if any) does not hold it
        var journal = Directory.EnumerateFiles(Folder.Path, "journal.db*").SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(journal.AsSpan().IndexOf("a-1"u8) >= 0, "the journal should hold the alert's id");
        foreach (var secret in new[] { captureMarker, fileImageMarker, Encoding.UTF8.GetBytes(reasonMarker), Encoding.UTF8.GetBytes(subjectMarker) })
            Assert.True(journal.AsSpan().IndexOf(secret) < 0);
    }

    /// <summary>Large enough to need SQLite overflow pages, with the marker at both ends.</summary>
    private static byte[] Marker(string what)
    {
        var marker = Encoding.ASCII.GetBytes($"LFR-PRIVACY-MARKER-{what}-{Guid.NewGuid():N}");
        return [.. marker, .. new byte[9000].Select((_, i) => (byte)(i * 7)), .. marker];
    }

    /// <summary>The first 32 bytes of every ciphertext and every (wrapped) key now in a store.</summary>
    private static List<byte[]> StoredSecrets(string path,
        string query = "SELECT substr(cipher, 1, 32) FROM images UNION ALL SELECT key FROM image_keys")
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = query;
        using var reader = command.ExecuteReader();
        var secrets = new List<byte[]>();
        while (reader.Read())
            secrets.Add((byte[])reader[0]);
        return secrets;
    }

    /// <summary>Every file in the data folder (journal, image store, watchlists, their -wal and -journal files) holding any needle.</summary>
    private List<string> FilesContaining(params byte[][] needles)
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Folder.Path))
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (FileNotFoundException)
            {
                // a rollback journal that SQLite removed between the listing and the read
                continue;
            }

            if (needles.Any(needle => bytes.AsSpan().IndexOf(needle) >= 0))
                found.Add(Path.GetFileName(file));
        }

        return found;
    }
}
