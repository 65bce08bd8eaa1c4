using System.Text.Json;
using Lfr.Actors.ControlRoom.Audit;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr audit verify --data DIR [--postgres CONNECTION] [--heads FOLDER] [--audit-key FILE] [--json]</c>: reads a
/// control room's audit trail read-only (SQLite in the data folder, or PostgreSQL) and checks every entry's MAC under the
/// audit key, then every head exported to the heads folder (default <c>DIR/audit-heads</c>; keep a copy elsewhere). Says
/// where the log breaks; exit code 0 when intact, 1 when not.
/// </summary>
public static class AuditCommand
{
    private const string Usage = "usage: lfr audit verify --data DIR [--postgres CONNECTION] [--heads FOLDER] [--audit-key FILE] [--json]";

    public static int Run(CliArgs args)
    {
        var data = args.Option("data");
        var postgres = args.Option("postgres");
        var headsFolder = args.Option("heads");
        var keyFile = args.Option("audit-key");
        var json = args.Flag("json");
        args.RejectUnknown();
        if (args.Positional is not ["verify"] || data is null) throw new CliException(Usage);
        headsFolder ??= Path.Combine(data, "audit-heads");
        if (args.Option("heads") is not null && !Directory.Exists(headsFolder)) throw new CliException($"--heads {headsFolder}: no such folder");
        AuditKey key;
        try
        {
            key = AuditKey.Resolve(keyFile);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }

        IReadOnlyList<AuditEntry> entries;
        using (var journal = ReadOnlyJournal.Open(data, postgres, "lfr-audit"))
            entries = journal.Reader.EventsAsync(AuditLogActor.DefaultPersistenceId).WaitAsync(TimeSpan.FromSeconds(120)).GetAwaiter().GetResult()
                .Select(e => (AuditEntry)e.Event).ToList();
        var heads = Directory.Exists(headsFolder) ? AuditHeads.Read(headsFolder) : [];
        var result = AuditHeads.Verify(entries, key, heads);
        var latest = heads.LastOrDefault(h => h.Head is not null).Head;

        if (json)
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                intact = result.IsIntact,
                entries = entries.Count,
                heads = heads.Count,
                firstBroken = result.FirstBrokenSequence,
                problem = result.Problem,
            }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        else if (result.IsIntact)
            Console.Out.WriteLine($"intact: {entries.Count} entries, every MAC checks under the audit key; {heads.Count} exported heads agree"
                + (latest is null ? $" (none in {headsFolder}: a cut-off tail cannot be seen without them)" : $" (latest: {latest})"));
        else
            Console.Out.WriteLine($"BROKEN: {result.Problem}");
        return result.IsIntact ? 0 : 1;
    }
}
