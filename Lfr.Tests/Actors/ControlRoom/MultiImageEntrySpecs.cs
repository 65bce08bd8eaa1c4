using System.Numerics.Tensors;
using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Files;
using Lfr.Vision.Imaging;
using Lfr.Vision.Watchlists;
using OpenCvSharp;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// A watchlist entry of several file images (custody images of different dates), built by the watchlist manager or
/// imported from <c>lfr watchlist build</c>: its template is the mean of the images' embeddings, every image is kept
/// (encrypted) and handed out the most typical first, across a restart, and all of them go with the wipe; an image
/// below the quality floor refuses the build with the image and the reason.
/// </summary>
public sealed class MultiImageEntrySpecs : ControlRoomSpec
{
    private readonly EncryptedImageStore _images;
    private readonly WatchlistStore _store;
    private readonly IActorRef _audit;
    private readonly IActorRef _deployments;

    public MultiImageEntrySpecs(ITestOutputHelper output) : base(output)
    {
        _images = new EncryptedImageStore(Folder.File("images.db"), MasterKey.Default);
        _store = new WatchlistStore(Folder.File("watchlists.db"), MasterKey.Default);
        _audit = Sys.ActorOf(AuditLogActor.Props(Clock), "audit");
        _deployments = Sys.ActorOf(DeploymentsActor.Props(new DeploymentSettings(), _audit, Clock), "deployments");
    }

    private IActorRef Authority(WatchlistSigningKey? key = null, string name = "watchlists") =>
        Sys.ActorOf(WatchlistAuthorityActor.Props(_store, _images, new WatchlistSettings(), _deployments, _audit, Clock, FileImages.Engine, key), name);

    [Fact]
    public void An_entry_of_several_images_should_get_their_mean_as_template_keep_every_image_and_lose_them_all_in_the_wipe()
    {
        byte[][] photos = [FileImages.Face(0), FileImages.Face(1), FileImages.Face(2)];
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1") with { FileImage = photos[0], MoreFileImages = photos[1..] }, Entry("E2")));
        ExpectMsg<WatchlistBuilt>(TimeSpan.FromSeconds(30));
        MakeLive(_deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));

        authority.Tell(new LoadWatchlist(new WatchlistId("wl-1"), "van-1"));
        var contents = ExpectMsg<WatchlistContents>();
        var (embeddings, _) = WatchlistEnrolmentActor.Embed(FileImages.Engine, [.. photos.Select(p => (new WatchlistEntryId("E1"), p))]);
        var mean = new float[embeddings![0].Length];
        foreach (var e in embeddings) TensorPrimitives.Add(mean, e, mean);
        TensorPrimitives.Divide(mean, TensorPrimitives.Norm(mean), mean);
        var template = contents.Entries.Single(e => e.Id.Value == "E1").Embedding;
        Assert.True(TensorPrimitives.Dot(mean, template) > 0.9999f, "the template is the mean of the three embeddings");

        // every image kept, the one nearest the template first
        var record = contents.Records.Single(r => r.Id.Value == "E1");
        var stored = record.AllFileImages().Select(i => _images.Get(i)!).ToList();
        Assert.Equal(photos.Select(p => Convert.ToBase64String(p)).Order(), stored.Select(p => Convert.ToBase64String(p)).Order());
        var nearest = embeddings.Select((e, i) => (Score: TensorPrimitives.Dot(e, template), Photo: photos[i])).MaxBy(x => x.Score).Photo;
        Assert.Equal(nearest, stored[0]);
        Assert.Empty(contents.Records.Single(r => r.Id.Value == "E2").MoreFileImages ?? []);

        // a restarted authority still hands them all out
        Sys.Stop(authority);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var restarted = Authority(name: "watchlists-again");
        restarted.Tell(new DescribeEntry(new WatchlistId("wl-1"), new WatchlistEntryId("E1")));
        Assert.Equal(record.AllFileImages(), ExpectMsg<EntryDescription>().Record!.AllFileImages());

        restarted.Tell(new WipeWatchlist(new WatchlistId("wl-1"), new StaffId("WM1"), "test"));
        var wiped = ExpectMsg<WatchlistWiped>();
        Assert.Equal(4, wiped.Images);
        Assert.True(wiped.Verified);
        Assert.Equal(0, _images.Count());
    }

    [Fact]
    public void A_build_should_be_refused_naming_the_image_of_an_entry_below_the_quality_floor()
    {
        var authority = Authority();
        authority.Tell(Build("wl-1", Entry("E1") with { MoreFileImages = [Blurred(FileImages.For("E1"))] }, Entry("E2")));

        var refused = ExpectMsg<EnrolmentRefused>(TimeSpan.FromSeconds(30));
        var problem = Assert.Single(refused.Problems);
        Assert.Equal("E1", problem.Entry.Value);
        Assert.StartsWith("file image 2 of 2: no usable face: face too blurred (sharpness", problem.Reason);
        Assert.Empty(_store.LoadUnwiped());
        Assert.Equal(0, _images.Count());
    }

    [Fact]
    public void An_imported_file_should_bring_every_file_image_of_its_entries()
    {
        var key = WatchlistSigningKey.FromBytes(new byte[32]);
        var authority = Authority(key);
        byte[][] photos = [FileImages.Face(0), FileImages.Face(1)];
        var (embeddings, _) = WatchlistEnrolmentActor.Embed(FileImages.Engine, [(new WatchlistEntryId("E1"), photos[0])]);
        var path = Folder.File("multi.lfrw");
        WatchlistFile.Write(path, [new WatchlistEntry(new WatchlistEntryId("E1"), WatchlistCategory.CourtWarrant, embeddings![0])
            { FileImage = photos[0], MoreFileImages = [photos[1]] }], FileImages.Engine.EmbeddingModelSha256, Morning, key);

        authority.Tell(new ImportWatchlist(File.ReadAllBytes(path), new WatchlistId("wl-1"), DateOnly.FromDateTime(Morning.UtcDateTime),
            new DeploymentId("d-1"), new StaffId("WM1")));
        ExpectMsg<WatchlistBuilt>(TimeSpan.FromSeconds(30));

        authority.Tell(new DescribeEntry(new WatchlistId("wl-1"), new WatchlistEntryId("E1")));
        var record = ExpectMsg<EntryDescription>().Record!;
        Assert.Equal(photos, record.AllFileImages().Select(i => _images.Get(i)!));
    }

    private static byte[] Blurred(byte[] jpeg)
    {
        using var decoded = SafeImageDecoder.Decode(jpeg);
        using var blurred = new Mat();
        Cv2.GaussianBlur(decoded.Image!, blurred, new Size(0, 0), 4);
        return JpegEncoder.EncodeUnder(blurred, WatchlistEntry.MaxFileImageBytes);
    }
}
