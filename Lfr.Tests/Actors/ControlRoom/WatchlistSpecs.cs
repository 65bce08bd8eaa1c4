using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol;
using Lfr.Vision.Files;

namespace Lfr.Tests.Actors.ControlRoom;

public sealed class WatchlistSpecs : ControlRoomSpec
{
    private readonly EncryptedImageStore _images;
    private readonly WatchlistStore _store;
    private readonly IActorRef _audit;
    private readonly IActorRef _deployments;

    public WatchlistSpecs(ITestOutputHelper output) : base(output)
    {
        _images = new EncryptedImageStore(Folder.File("images.db"), MasterKey.Default);
        _store = new WatchlistStore(Folder.File("watchlists.db"), MasterKey.Default);
        _audit = Sys.ActorOf(AuditLogActor.Props(Clock), "audit");
        _deployments = Sys.ActorOf(DeploymentsActor.Props(new DeploymentSettings(), _audit, Clock), "deployments");
    }

    private IActorRef Authority(WatchlistSettings? settings = null, WatchlistSigningKey? key = null) =>
        Sys.ActorOf(WatchlistAuthorityActor.Props(_store, _images, settings ?? new WatchlistSettings(), _deployments, _audit, Clock, FileImages.Engine,
            key));

    private static readonly AuditKind[] WatchlistKinds = [AuditKind.WatchlistBuilt, AuditKind.WatchlistLoaded, AuditKind.WatchlistWiped];

    private static readonly WatchlistId Wl1 = new("wl-1");

    [Fact]
    public async Task Watchlists_should_be_wiped_at_the_daily_time_verified_and_recorded_with_counts()
    {
        var vans = CreateTestProbe();
        Sys.EventStream.Subscribe(vans, typeof(WatchlistWipeOrdered));
        MakeLive(_deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(20)));
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1"), Entry("E2", WatchlistCategory.WantedWithPowerOfArrest), Entry("E3", WatchlistCategory.SexOffenderWithConditions)));
        Assert.Equal(new CategoryCounts(1, 1, 1), ExpectMsg<WatchlistBuilt>().Counts);
        authority.Tell(new LoadWatchlist(Wl1, "van-1"));
        Assert.Equal(3, ExpectMsg<WatchlistContents>().Records.Count);

        Clock.Advance(TimeSpan.FromHours(13.9));
        vans.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromHours(0.1));
        Assert.Equal(Wl1, vans.ExpectMsg<WatchlistWipeOrdered>().Watchlist);

        authority.Tell(new LoadWatchlist(Wl1, "van-1"));
        Assert.Contains("wiped or never built", ExpectMsg<LoadRefused>().Reason);
        authority.Tell(new DescribeEntry(Wl1, new WatchlistEntryId("E1")));
        Assert.Null(ExpectMsg<EntryDescription>().Record);
        Assert.Equal(0, _images.Count());
        Assert.Empty(_store.LoadUnwiped());

        var trail = (await _audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), RemainingOrDefault)).Entries
            .Where(e => WatchlistKinds.Contains(e.Kind)).ToList();
        Assert.Equal(WatchlistKinds, trail.Select(e => e.Kind));
        Assert.Equal("node=van-1;entries=3", trail[1].Detail);
        Assert.Equal("entries=3;images=3;verified=true;reason=daily wipe", trail[2].Detail);

        // the manifest stays: ids, counts and salted hashes for subject-access requests
        authority.Tell(new GetManifest(Wl1));
        var manifest = ExpectMsg<ManifestResult>().Manifest!;
        Assert.Equal(["E1", "E2", "E3"], manifest.Entries.Select(e => e.Value));
        Assert.Equal(Morning.AddHours(14), manifest.WipedAt);
        authority.Tell(new WasOnWatchlist("pnc/e2", DateOnly.FromDateTime(Morning.UtcDateTime)));
        Assert.Equal((Wl1, new WatchlistEntryId("E2")), ExpectMsg<SubjectAccessAnswer>().Matches.Single());
        authority.Tell(new WasOnWatchlist("PNC/E9", DateOnly.FromDateTime(Morning.UtcDateTime)));
        Assert.Empty(ExpectMsg<SubjectAccessAnswer>().Matches);
    }

    [Fact]
    public void Watchlists_should_be_wiped_at_the_configured_local_time_of_the_force_in_summer_time()
    {
        var vans = CreateTestProbe();
        Sys.EventStream.Subscribe(vans, typeof(WatchlistWipeOrdered));
        // 09:00 UTC on 1 July is 10:00 in London; the 21:30 London wipe is at 20:30 UTC
        Clock.AdjustTime(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        var authority = Authority(Configured.ControlRoom("Lfr:ControlRoom:Watchlists:DailyWipeAt=21:30", "Lfr:ControlRoom:Watchlists:TimeZone=Europe/London").Watchlists);
        authority.Tell(Build("wl-1", Entry("E1")));
        ExpectMsg<WatchlistBuilt>();

        Clock.Advance(TimeSpan.FromHours(11.4));
        vans.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromHours(0.1));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 20, 30, 0, TimeSpan.Zero), vans.ExpectMsg<WatchlistWipeOrdered>().At);
    }

    [Fact]
    public void Watchlists_should_wipe_a_deployments_watchlist_when_the_deployment_ends()
    {
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1")));
        authority.Tell(Build("wl-2", Entry("E1")));
        ReceiveN(2);

        Sys.EventStream.Publish(new DeploymentProtocol.DeploymentEnded(new DeploymentId("d-1"), Wl1, Morning));
        AwaitAssert(() =>
        {
            authority.Tell(new DescribeEntry(Wl1, new WatchlistEntryId("E1")));
            Assert.Null(ExpectMsg<EntryDescription>().Record);
        });
        authority.Tell(new DescribeEntry(new WatchlistId("wl-2"), new WatchlistEntryId("E1")));
        Assert.NotNull(ExpectMsg<EntryDescription>().Record);
        Assert.Equal(0, _images.Count("watchlist:wl-1"));
        Assert.Equal(1, _images.Count("watchlist:wl-2"));
    }

    [Fact]
    public void Watchlists_should_wipe_on_start_a_watchlist_that_missed_its_daily_wipe_before_answering_anything()
    {
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1")));
        ExpectMsg<WatchlistBuilt>();
        Watch(authority);
        Sys.Stop(authority);
        ExpectTerminated(authority);

        // the node is down over the daily wipe
        Clock.Advance(TimeSpan.FromDays(1));
        var restarted = Authority();
        restarted.Tell(new DescribeEntry(Wl1, new WatchlistEntryId("E1")));
        Assert.Null(ExpectMsg<EntryDescription>().Record);
        Assert.Equal(0, _images.Count());
    }

    [Fact]
    public void Watchlists_should_keep_a_watchlist_built_after_the_last_wipe_across_a_restart()
    {
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1")));
        ExpectMsg<WatchlistBuilt>();
        Watch(authority);
        Sys.Stop(authority);
        ExpectTerminated(authority);

        var restarted = Authority();
        restarted.Tell(new DescribeEntry(Wl1, new WatchlistEntryId("E1")));
        Assert.Equal("Failed to appear: theft", ExpectMsg<EntryDescription>().Record!.Reason);
    }

    [Fact]
    public void Watchlists_should_be_loaded_only_by_a_van_of_their_deployment_while_it_is_live()
    {
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1")));
        ExpectMsg<WatchlistBuilt>();
        MakeReady(_deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));

        authority.Tell(new LoadWatchlist(Wl1, "van-1"));
        Assert.Contains("is not live", ExpectMsg<LoadRefused>().Reason);

        _deployments.Tell(new DeploymentProtocol.GoLive(new DeploymentId("d-1"), Sergeant));
        ExpectMsg<DeploymentState>();
        authority.Tell(new LoadWatchlist(Wl1, "van-9"));
        Assert.Contains("van-9 is not a van of deployment d-1", ExpectMsg<LoadRefused>().Reason);
        authority.Tell(new LoadWatchlist(Wl1, "van-1"));
        Assert.Single(ExpectMsg<WatchlistContents>().Records);
    }

    [Fact]
    public void Watchlists_should_refuse_an_incomplete_entry_or_a_second_build_of_the_same_watchlist()
    {
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1") with { Reason = " " }));
        Assert.Contains("reason", ExpectMsg<Refused>().Reason);
        authority.Tell(Build("wl-1", Entry("E1"), Entry("E1")));
        Assert.Contains("more than once", ExpectMsg<Refused>().Reason);
        authority.Tell(Build("wl-1", Entry("E1")));
        ExpectMsg<WatchlistBuilt>();
        authority.Tell(Build("wl-1", Entry("E2")));
        Assert.Contains("already built", ExpectMsg<Refused>().Reason);
    }

    [Fact]
    public void Watchlists_should_refuse_a_whole_build_listing_every_file_image_without_one_usable_face()
    {
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1"), Entry("E2", image: FileImages.NoFace()), Entry("E3"), Entry("E4", image: FileImages.GroupPhoto()),
            Entry("E5", image: "not an image"u8.ToArray())));

        var refused = ExpectMsg<EnrolmentRefused>(TimeSpan.FromSeconds(20));
        Assert.Equal(["E2", "E4", "E5"], refused.Problems.Select(p => p.Entry.Value));
        Assert.Contains("no face found", refused.Problems[0].Reason);
        Assert.Contains("faces of similar size", refused.Problems[1].Reason);
        Assert.Contains("cannot be read", refused.Problems[2].Reason);
        // nothing of the refused build was kept: no entry, no image, no manifest; the id is free for the corrected build
        Assert.Empty(_store.LoadUnwiped());
        Assert.Equal(0, _images.Count());
        authority.Tell(new GetManifest(Wl1));
        Assert.Null(ExpectMsg<ManifestResult>().Manifest);
        authority.Tell(Build("wl-1", Entry("E1"), Entry("E3")));
        Assert.Equal(2, ExpectMsg<WatchlistBuilt>(TimeSpan.FromSeconds(20)).Counts.Total);
    }

    [Fact]
    public void Watchlists_should_hand_a_van_the_embedding_of_each_entry_made_with_the_control_rooms_model()
    {
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1"), Entry("E2")));
        ExpectMsg<WatchlistBuilt>(TimeSpan.FromSeconds(20));
        MakeLive(_deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));

        authority.Tell(new LoadWatchlist(Wl1, "van-1"));
        var contents = ExpectMsg<WatchlistContents>();
        Assert.Equal(FileImages.Engine.EmbeddingModelSha256, contents.ModelSha256);
        Assert.Equal(["E1", "E2"], contents.Entries.Select(e => e.Id.Value));
        // the stored embedding is the one enrolment makes of the file image
        using var decoded = Lfr.Vision.Imaging.SafeImageDecoder.Decode(FileImages.For("E1"));
        var expected = Lfr.Vision.Photos.SubjectFace.From(FileImages.Engine, decoded.Image!, "E1", Lfr.Vision.Photos.SubjectRule.SingleGoodFace).Embedding!;
        Assert.Equal(expected, contents.Entries[0].Embedding);
    }

    [Fact]
    public async Task Watchlists_should_import_a_signed_watchlist_file_with_its_file_images_like_a_build()
    {
        var key = WatchlistSigningKey.FromBytes(new byte[32]);
        var authority = Authority(key: key);
        var (path, entries) = SignedFile(key, FileImages.Engine.EmbeddingModelSha256);

        authority.Tell(new ImportWatchlist(File.ReadAllBytes(path), Wl1, DateOnly.FromDateTime(Morning.UtcDateTime), new DeploymentId("d-1"), new StaffId("WM1")));

        Assert.Equal(new CategoryCounts(1, 1, 0), ExpectMsg<WatchlistBuilt>(TimeSpan.FromSeconds(20)).Counts);
        MakeLive(_deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));
        authority.Tell(new LoadWatchlist(Wl1, "van-1"));
        var contents = ExpectMsg<WatchlistContents>();
        Assert.Equal(FileImages.Engine.EmbeddingModelSha256, contents.ModelSha256);
        Assert.Equal(entries.Select(e => e.Embedding.ToArray()), contents.Entries.Select(e => e.Embedding));
        // the file image officers will be shown is the one in the file
        var record = contents.Records.Single(r => r.Id.Value == "E2");
        Assert.Equal(entries[1].FileImage.ToArray(), _images.Get(record.FileImage));
        Assert.Equal("2025-11-03", record.SourceDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var built = (await _audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), RemainingOrDefault)).Entries
            .Single(e => e.Kind == AuditKind.WatchlistBuilt);
        Assert.EndsWith(";imported", built.Detail);
    }

    [Fact]
    public void Watchlists_should_refuse_to_import_a_tampered_file_another_keys_file_another_models_file_a_format_1_file_or_no_watchlist_file()
    {
        var key = WatchlistSigningKey.FromBytes(new byte[32]);
        var authority = Authority(key: key);
        var model = FileImages.Engine.EmbeddingModelSha256;
        var (tampered, _) = SignedFile(key, model);
        var bytes = File.ReadAllBytes(tampered);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(tampered, bytes);
        var (otherKey, _) = SignedFile(WatchlistSigningKey.FromBytes(Enumerable.Repeat((byte)7, 32).ToArray()), model);
        var (otherModel, _) = SignedFile(key, new string('e', 64));
        var (_, entries) = SignedFile(key, model);
        var format1 = Folder.File("format-1.lfrw");
        Lfr.Tests.Vision.Watchlists.Format1File.Write(format1, entries, model, Morning, key);

        foreach (var (path, expected) in new[]
                 {
                     (tampered, "signature does not match"), (otherKey, "signature does not match"),
                     (otherModel, "enrolled with embedding model"), (format1, "format 1, without file images"),
                 })
        {
            authority.Tell(new ImportWatchlist(File.ReadAllBytes(path), Wl1, DateOnly.FromDateTime(Morning.UtcDateTime), new DeploymentId("d-1"), new StaffId("WM1")));
            Assert.Contains(expected, ExpectMsg<Refused>().Reason);
        }
        authority.Tell(new ImportWatchlist("a photo, not a watchlist"u8.ToArray(), Wl1, DateOnly.FromDateTime(Morning.UtcDateTime), new DeploymentId("d-1"), new StaffId("WM1")));
        Assert.Contains("not an Lfr watchlist file", ExpectMsg<Refused>().Reason);

        Assert.Empty(_store.LoadUnwiped());
        Assert.Equal(0, _images.Count());
    }

    /// <summary>A format-2 file as <c>lfr watchlist build</c> writes it: two real faces, their embeddings and file images.</summary>
    private (string Path, WatchlistEntry[] Entries) SignedFile(WatchlistSigningKey key, string model)
    {
        var images = new[] { FileImages.Face(0), FileImages.Face(1) };
        var (embeddings, _) = WatchlistEnrolmentActor.Embed(FileImages.Engine, [(new WatchlistEntryId("E1"), images[0]), (new WatchlistEntryId("E2"), images[1])]);
        WatchlistEntry[] entries =
        [
            new(new WatchlistEntryId("E1"), WatchlistCategory.CourtWarrant, embeddings![0]) { Source = "e1.jpg", RecordedOn = "2025-10-01", FileImage = images[0] },
            new(new WatchlistEntryId("E2"), WatchlistCategory.WantedWithPowerOfArrest, embeddings[1])
            {
                Reason = "Burglary", Source = "e2.jpg", RecordedOn = "2025-11-03", FileImage = images[1],
            },
        ];
        var path = Folder.File($"watchlist-{Guid.NewGuid():N}.lfrw");
        WatchlistFile.Write(path, entries, model, Morning, key);
        return (path, entries);
    }
}
