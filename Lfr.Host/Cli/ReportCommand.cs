using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Returns;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr report DEPLOYMENT --data DIR [--postgres CONNECTION] [--json]</c>: the per-deployment return for
/// oversight (counts only, no per-person data), as Markdown or JSON. <c>lfr report --from YYYY-MM-DD --to YYYY-MM-DD
/// [--area TEXT] [--csv | --json] --data DIR</c>: every deployment in the period (and area) with totals. It opens the control room's data folder
/// (and its journal: the SQLite file there, or PostgreSQL) read-only: it replays the deployment's events through
/// Akka.Persistence.Query and starts no control-room actor, so it can run beside live control-room nodes and
/// leaves every table byte for byte as it found it.
/// </summary>
public static class ReportCommand
{
    public static int Run(CliArgs args)
    {
        var data = args.Required("data");
        var postgres = args.Option("postgres");
        var json = args.Flag("json");
        var from = Day(args.Option("from"), "from");
        var to = Day(args.Option("to"), "to");
        var area = args.Option("area");
        var csv = args.Flag("csv");
        args.RejectUnknown();
        var period = from is not null || to is not null;
        if (period ? args.Positional.Count != 0 || from is null || to is null || (csv && json) : args.Positional.Count != 1 || csv || area is not null)
            throw new CliException("usage: lfr report DEPLOYMENT --data DIR [--postgres CONNECTION] [--json]\n"
                + "       lfr report --from YYYY-MM-DD --to YYYY-MM-DD [--area TEXT] [--csv | --json] --data DIR [--postgres CONNECTION]");
        if (period && to < from) throw new CliException($"--to {to:yyyy-MM-dd} is before --from {from:yyyy-MM-dd}");
        using var journal = ReadOnlyJournal.Open(data, postgres, "lfr-report");
        var options = journal.Options;
        if (period)
        {
            var returns = PeriodReturn.ReadAsync(journal.Reader, options.WatchlistsPath, options.Deployments, options.Alerts, from!.Value, to!.Value, area)
                .WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
            Console.Out.Write(csv ? returns.ToCsv() : returns.ToJson() + Environment.NewLine);
            return 0;
        }

        var report = DeploymentReturn.ReadAsync(journal.Reader, options.WatchlistsPath, new DeploymentId(args.Positional[0]),
            options.Deployments, options.Alerts).WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        if (report is null) throw new CliException($"no deployment '{args.Positional[0]}' in {data}");
        Console.Out.WriteLine(json ? report.ToJson() : report.ToMarkdown());
        return 0;
    }

    private static DateOnly? Day(string? text, string name) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            ? day : throw new CliException($"--{name} must read YYYY-MM-DD, not '{text}'");
}
