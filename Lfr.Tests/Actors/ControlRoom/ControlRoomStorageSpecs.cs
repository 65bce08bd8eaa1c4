using Akka.Serialization;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.ControlRoom;

public sealed class ControlRoomStorageSpecs : ControlRoomSpec
{
    public ControlRoomStorageSpecs(ITestOutputHelper output) : base(output) { }

    [Fact]
    public void Storage_should_put_the_journal_on_sqlite_with_one_writer_or_on_postgresql()
    {
        var sqlite = new ControlRoomStorage.SqliteFile("/data/journal.db").ToConfig();
        Assert.Equal("akka.persistence.journal.sql", sqlite.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", sqlite.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal("SQLite.MS", sqlite.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal(1, sqlite.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal("Data Source=/data/journal.db", sqlite.GetString("akka.persistence.snapshot-store.sql.connection-string"));

        var postgres = new ControlRoomStorage.PostgreSql("Host=db;Password=secret");
        Assert.Equal("PostgreSQL", postgres.ToConfig().GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("postgresql", postgres.ToConfig().GetString("akka.persistence.journal.sql.table-mapping"));
        Assert.Equal("Host=db;Password=secret", postgres.ToConfig().GetString("akka.persistence.journal.sql.connection-string"));
        Assert.DoesNotContain("secret", postgres.ToString());
    }

    [Fact]
    public void Stores_should_block_only_their_own_dispatcher()
    {
        Assert.True(Sys.Dispatchers.HasDispatcher(ControlRoomActors.StoreDispatcher));
        var dispatcher = Sys.Dispatchers.Lookup(ControlRoomActors.StoreDispatcher);
        Assert.NotSame(Sys.Dispatchers.DefaultGlobalDispatcher, dispatcher);
    }

    [Fact]
    public void Serializer_should_have_a_manifest_for_every_journal_event()
    {
        var events = typeof(ControlRoomEventSerializer).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IControlRoomEvent).IsAssignableFrom(t));
        Assert.Empty(events.Except(ControlRoomEventSerializer.Types.Values).Select(t => t.FullName));
        Assert.IsType<ControlRoomEventSerializer>(Sys.Serialization.FindSerializerForType(typeof(AlertDeskActor.Raised)));
    }

    public static TheoryData<object> Events() =>
    [
        new DeploymentActor.Planned(Plan(Morning, TimeSpan.FromHours(2)), Sergeant),
        new DeploymentActor.Authorised(Superintendent, Morning),
        new DeploymentActor.ThresholdChanged(0.6, 0.55, Sergeant, true),
        new AlertDeskActor.Raised(new AlertId("a-1"), new WatchlistId("wl-1"), new WatchlistEntryId("E1"), WatchlistCategory.CourtWarrant, Morning,
            new Capture(new ImageRef("capture-1"), "van-1/cam-a", Morning, 0.7)),
        new AlertDeskActor.Confirmed(new AlertId("a-1"), new Decision(new StaffId("OP1"), Morning),
            [new AlertDeskActor.Assignment(new OfficerId("PC1"), new TaskingId("a-1/PC1"))]),
        new AlertDeskActor.Dismissed(new AlertId("a-1"), new Decision(new StaffId("OP1"), Morning), DismissalReason.LookalikeOrRelative),
        new OfficerActor.Assigned(new Tasking(new TaskingId("t"), new AlertId("a"), new DeploymentId("d"), new WatchlistId("w"), new WatchlistEntryId("E1"),
            WatchlistCategory.SexOffenderWithConditions, null, [new ImageRef("capture-1")], new StaffId("OP1"), Morning)),
        new OfficerActor.Completed(new TaskingId("t"), new Outcome(OutcomeKind.Arrested, "Theft"), Morning),
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void Serializer_should_round_trip_journal_events(object e)
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(e);
        var back = serializer.FromBinary(serializer.ToBinary(e), serializer.Manifest(e));
        // records with lists compare by reference, so compare their JSON
        Assert.Equal(e.GetType(), back.GetType());
        Assert.Equal(serializer.ToBinary(e), serializer.ToBinary(back));
        if (e is DeploymentActor.Planned planned)
            Assert.Equal(planned.Plan.Cameras, ((DeploymentActor.Planned)back).Plan.Cameras);
    }
}
