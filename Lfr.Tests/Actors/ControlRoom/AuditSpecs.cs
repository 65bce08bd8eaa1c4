using System.Text;
using Akka.Actor;
using Lfr.Actors.ControlRoom.Audit;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Audit.AuditProtocol;
using Record = Lfr.Actors.ControlRoom.Audit.AuditProtocol.Record;

namespace Lfr.Tests.Actors.ControlRoom;

public sealed class AuditSpecs : ControlRoomSpec
{
    public AuditSpecs(ITestOutputHelper output) : base(output) { }

    private async Task<Trail> RecordFive(IActorRef audit)
    {
        audit.Tell(new Record(AuditKind.DeploymentPlanned, "PS300", "d-1", "d-1", ""));
        audit.Tell(new Record(AuditKind.DeploymentAuthorised, "S100", "d-1", "d-1", "rank=Superintendent"));
        Clock.Advance(TimeSpan.FromMinutes(5));
        audit.Tell(new Record(AuditKind.DeploymentApproved, "C200", "d-1", "d-1", "rank=Chief Superintendent"));
        audit.Tell(new Record(AuditKind.AlertRaised, "system", "d-1", "a-1", "entry=E1"));
        audit.Tell(new Record(AuditKind.AlertDismissed, "OP1", "d-1", "a-1", "reason=PoorImage"));
        return await audit.Ask<Trail>(new GetTrail(), RemainingOrDefault);
    }

    [Fact]
    public async Task AuditLog_should_keep_an_intact_chain_across_a_restart()
    {
        var audit = Sys.ActorOf(AuditLogActor.Props(Clock));
        var trail = await RecordFive(audit);
        Assert.Equal([1L, 2, 3, 4, 5], trail.Entries.Select(e => e.Sequence));
        Assert.Equal(AuditVerification.Intact, AuditChain.Verify(trail.Entries, AuditKey.Default, trail.Head));

        Watch(audit);
        Sys.Stop(audit);
        ExpectTerminated(audit);
        var recovered = await Sys.ActorOf(AuditLogActor.Props(Clock)).Ask<Trail>(new GetTrail(), RemainingOrDefault);
        Assert.Equal(trail.Entries, recovered.Entries);
        Assert.Equal(AuditVerification.Intact, AuditChain.Verify(recovered.Entries, AuditKey.Default, trail.Head));
    }

    [Fact]
    public async Task AuditLog_should_chain_on_from_its_snapshot_after_a_restart()
    {
        var audit = Sys.ActorOf(AuditLogActor.Props(Clock, snapshotEvery: 3));
        await RecordFive(audit);
        Watch(audit);
        Sys.Stop(audit);
        ExpectTerminated(audit);

        // the snapshot store writes on its own time
        AwaitAssert(() =>
        {
            using var connection = new SqliteConnection($"Data Source={Folder.File("journal.db")};Pooling=false");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM snapshot WHERE persistence_id = 'audit-log'";
            Assert.Equal(1L, count.ExecuteScalar());
        });

        var restarted = Sys.ActorOf(AuditLogActor.Props(Clock, snapshotEvery: 3));
        restarted.Tell(new Record(AuditKind.ImagesPurged, "system", null, "captures", "count=1"));
        var trail = await restarted.Ask<Trail>(new GetTrail(), RemainingOrDefault);
        Assert.Equal(6, trail.Entries.Count);
        Assert.Equal(new AuditHead(6, trail.Entries[5].Hash), trail.Head);
        Assert.Equal(AuditVerification.Intact, AuditChain.Verify(trail.Entries, AuditKey.Default, trail.Head));
    }

    [Fact]
    public async Task AuditChain_should_find_an_edited_entry()
    {
        var trail = await RecordFive(Sys.ActorOf(AuditLogActor.Props(Clock)));
        var edited = trail.Entries.ToList();
        edited[3] = edited[3] with { Detail = "entry=E2" };
        var result = AuditChain.Verify(edited, AuditKey.Default);
        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task AuditChain_should_find_a_deleted_entry_even_when_the_rest_are_renumbered_and_rehashed_after_it()
    {
        var trail = await RecordFive(Sys.ActorOf(AuditLogActor.Props(Clock)));
        var deleted = trail.Entries.Where(e => e.Sequence != 2).ToList();
        Assert.Equal(2, AuditChain.Verify(deleted, AuditKey.Default).FirstBrokenSequence);

        // renumbering hides the gap but not the broken link
        var renumbered = deleted.Select((e, i) => e with { Sequence = i + 1 }).ToList();
        Assert.False(AuditChain.Verify(renumbered, AuditKey.Default).IsIntact);
        Assert.Equal(2, AuditChain.Verify(renumbered, AuditKey.Default).FirstBrokenSequence);
    }

    [Fact]
    public async Task AuditChain_should_find_reordered_entries()
    {
        var trail = await RecordFive(Sys.ActorOf(AuditLogActor.Props(Clock)));
        var reordered = trail.Entries.ToList();
        (reordered[2], reordered[3]) = (reordered[3], reordered[2]);
        Assert.Equal(3, AuditChain.Verify(reordered, AuditKey.Default).FirstBrokenSequence);
    }

    [Fact]
    public async Task AuditChain_should_find_a_cut_off_tail_against_the_kept_head()
    {
        var trail = await RecordFive(Sys.ActorOf(AuditLogActor.Props(Clock)));
        var truncated = trail.Entries.Take(4).ToList();
        Assert.True(AuditChain.Verify(truncated, AuditKey.Default).IsIntact);
        Assert.Equal(5, AuditChain.Verify(truncated, AuditKey.Default, trail.Head).FirstBrokenSequence);
    }

    [Fact]
    public async Task AuditLog_should_show_an_entry_edited_in_the_database_after_recovery()
    {
        var audit = Sys.ActorOf(AuditLogActor.Props(Clock));
        await RecordFive(audit);
        Watch(audit);
        Sys.Stop(audit);
        ExpectTerminated(audit);

        // an insider with database access changes who dismissed the alert
        using (var connection = new SqliteConnection($"Data Source={Folder.File("journal.db")};Pooling=false"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT payload FROM event_journal WHERE persistence_id = 'audit-log' AND sequence_nr = 5";
            var payload = Encoding.UTF8.GetString((byte[])read.ExecuteScalar()!);
            Assert.Contains("\"OP1\"", payload);
            using var write = connection.CreateCommand();
            write.CommandText = "UPDATE event_journal SET payload = $p WHERE persistence_id = 'audit-log' AND sequence_nr = 5";
            write.Parameters.AddWithValue("$p", Encoding.UTF8.GetBytes(payload.Replace("\"OP1\"", "\"OP2\"")));
            Assert.Equal(1, write.ExecuteNonQuery());
        }

        var recovered = await Sys.ActorOf(AuditLogActor.Props(Clock)).Ask<Trail>(new GetTrail(), RemainingOrDefault);
        Assert.Equal("OP2", recovered.Entries[4].Who);
        Assert.Equal(5, AuditChain.Verify(recovered.Entries, AuditKey.Default).FirstBrokenSequence);
    }
}
