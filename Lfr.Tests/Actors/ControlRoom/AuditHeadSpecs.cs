using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Host.Cli;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Audit.AuditProtocol;
using Record = Lfr.Actors.ControlRoom.Audit.AuditProtocol.Record;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// The audit chain is MACed under a key kept out of the database, and its head is exported, signed, at each deployment's
/// end: a rewrite without the key breaks a MAC, a rewrite with it is caught by the head exported before it, and
/// <c>lfr audit verify</c> says which.
/// </summary>
public sealed class AuditHeadSpecs : ControlRoomSpec
{
    private readonly byte[] _keyBytes = RandomNumberGenerator.GetBytes(AuditKey.KeyBytes);
    private readonly LfrProcess _lfr = new();
    private readonly TempFolder _keys = new();

    public AuditHeadSpecs(ITestOutputHelper output) : base(output) { }

    private AuditKey Key => AuditKey.FromBytes(_keyBytes);

    private string Heads => Folder.File("audit-heads");

    private static void RecordFor(IActorRef audit, string deployment, int count)
    {
        for (var i = 0; i < count; i++)
            audit.Tell(new Record(AuditKind.AlertDismissed, "OP1", deployment, $"a-{i}", "reason=PoorImage"));
    }

    /// <summary>Five entries for d-1, its end (a head exported), three more for d-2 and its end (another head).</summary>
    private async Task<IActorRef> TwoDeploymentsEndedAsync()
    {
        var audit = Sys.ActorOf(AuditLogActor.Props(Clock, key: Key));
        var exporter = Sys.ActorOf(AuditHeadExporter.Props(audit, Key, Heads, TimeSpan.FromDays(1), Clock));
        foreach (var (deployment, count, expected) in new[] { ("d-1", 5, 1), ("d-2", 3, 2) })
        {
            RecordFor(audit, deployment, count);
            audit.Tell(new Record(AuditKind.DeploymentEnded, "OP1", deployment, deployment, "ended"));
            // what the deployment publishes as it ends (told directly: the event stream's subscription races the spec)
            exporter.Tell(new DeploymentProtocol.DeploymentEnded(new DeploymentId(deployment), new WatchlistId("wl"), Clock.GetUtcNow()));
            await AwaitAssertAsync(() => Assert.Equal(expected, Directory.Exists(Heads) ? Directory.GetFiles(Heads).Length : 0), TimeSpan.FromSeconds(10));
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
        return audit;
    }

    [Fact]
    public async Task AuditHeadExporter_should_write_a_signed_head_at_each_deployments_end_that_lfr_audit_verify_accepts()
    {
        var audit = await TwoDeploymentsEndedAsync();
        var heads = AuditHeads.Read(Heads);
        Assert.Equal([6L, 10L], heads.Select(h => h.Head!.Sequence).Distinct());
        Assert.All(heads, h => Assert.True(h.Head!.IsSignedBy(Key)));
        foreach (var file in Directory.GetFiles(Heads))
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var trail = await audit.Ask<Trail>(new GetTrail(), RemainingOrDefault);
        Assert.Equal(AuditVerification.Intact, trail.Verification);
        Assert.Equal(AuditVerification.Intact, AuditHeads.Verify(trail.Entries, Key, heads));
        // a head signed under another key is not taken for one of ours
        Assert.False(heads[0].Head!.IsSignedBy(AuditKey.FromBytes(RandomNumberGenerator.GetBytes(AuditKey.KeyBytes))));

        await StopAsync(audit);
        var verified = _lfr.Run("audit", "verify", "--data", Folder.Path, "--heads", Heads, "--audit-key", KeyFile());
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains("intact: 10 entries", verified.StdOut);
    }

    [Fact]
    public async Task A_tail_rewritten_and_re_MACed_with_the_key_should_be_found_against_the_exported_head()
    {
        var audit = await TwoDeploymentsEndedAsync();
        await StopAsync(audit);

        // an insider who holds the audit key too rewrites who dismissed alerts from entry 8 on, and re-MACs the chain
        Rewrite(from: 8, Key);
        var entries = ReadEntries();
        Assert.Equal("OP9", entries[7].Who);
        Assert.Equal(AuditVerification.Intact, AuditChain.Verify(entries, Key));
        var found = AuditHeads.Verify(entries, Key, AuditHeads.Read(Heads));
        Assert.False(found.IsIntact);
        Assert.Equal(7, found.FirstBrokenSequence);
        Assert.Contains("entry 10 is not the one exported", found.Problem);

        var verified = _lfr.Run("audit", "verify", "--data", Folder.Path, "--heads", Heads, "--audit-key", KeyFile());
        Assert.Equal(1, verified.ExitCode);
        Assert.Contains("BROKEN", verified.StdOut);
        Assert.Contains("after entry 6", verified.StdOut);
    }

    [Fact]
    public async Task A_tail_rewritten_without_the_key_should_break_the_MAC_where_the_rewrite_starts()
    {
        var audit = await TwoDeploymentsEndedAsync();
        await StopAsync(audit);

        // whoever can write the database but has no key: a plain SHA-256 chain, or one under a key of their own
        Rewrite(from: 4, AuditKey.FromBytes(RandomNumberGenerator.GetBytes(AuditKey.KeyBytes)));
        var found = AuditChain.Verify(ReadEntries(), Key);
        Assert.Equal(4, found.FirstBrokenSequence);
        Assert.Contains("MAC", found.Problem);
    }

    private async Task StopAsync(IActorRef audit)
    {
        Watch(audit);
        Sys.Stop(audit);
        await ExpectTerminatedAsync(audit);
    }

    private string KeyFile()
    {
        var path = _keys.File("audit.key");
        File.WriteAllText(path, Convert.ToBase64String(_keyBytes));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Folder.File("journal.db")};Pooling=false");
        connection.Open();
        return connection;
    }

    private List<AuditEntry> ReadEntries()
    {
        using var connection = Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT payload FROM event_journal WHERE persistence_id = 'audit-log' ORDER BY sequence_nr";
        using var reader = read.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
            entries.Add(JsonSerializer.Deserialize<AuditEntry>((byte[])reader[0])!);
        return entries;
    }

    /// <summary>Changes who acted in every entry from <paramref name="from"/> on and chains them again under <paramref name="key"/>.</summary>
    private void Rewrite(long from, AuditKey key)
    {
        var entries = ReadEntries();
        var previous = entries[(int)from - 2].Hash;
        using var connection = Open();
        foreach (var entry in entries.Where(e => e.Sequence >= from))
        {
            var who = entry.Who == "OP1" ? "OP9" : entry.Who;
            var hash = AuditEntry.ComputeHash(key, entry.Sequence, entry.At, entry.Kind, who, entry.Deployment, entry.Subject, entry.Detail, previous);
            var rewritten = entry with { Who = who, PreviousHash = previous, Hash = hash };
            previous = hash;
            using var write = connection.CreateCommand();
            write.CommandText = "UPDATE event_journal SET payload = $p WHERE persistence_id = 'audit-log' AND sequence_nr = $s";
            write.Parameters.AddWithValue("$p", JsonSerializer.SerializeToUtf8Bytes(rewritten));
            write.Parameters.AddWithValue("$s", entry.Sequence);
            Assert.Equal(1, write.ExecuteNonQuery());
        }
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _lfr.Dispose();
        _keys.Dispose();
    }
}
