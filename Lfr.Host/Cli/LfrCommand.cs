using Lfr.Vision.Models;

namespace Lfr.Host.Cli;

/// <summary>Entry point of the <c>lfr</c> command: dispatches to one class per sub-command.</summary>
public static class LfrCommand
{
    private const string Usage = """
        usage: lfr <command> [options]

          demo [--data DIR] [--duration 90s]                every role in one process: cameras, alerts, web pages
               [--walkthrough] [--http-port 8080]           (lfr demo --help)
          detect IMAGE... [--json] [--liveness]             faces with boxes, scores and landmarks
          identify --watchlist FILE IMAGE... [--json]       best watchlist candidate and likelihood per face
                   [--threshold 0.6]
          watchlist build --from DIR_OR_CSV --out FILE      enrol file images into a signed watchlist
                   [--category court-warrant|wanted|sex-offender]
          eval --gallery CSV --probes CSV [--json]          open-set identification (TPIR, FPIR, DET curve)
               [--groups CSV] [--aliases FILE]              + per group, with 95% intervals
               [--report FILE.html] [--embeddings FILE]     + an HTML report; keep embeddings between runs
               [--fuse mean|best] [--cohort CSV]            several photos per person; cohort normalisation
          eval --pairs pairs.txt [--root DIR] [--json]      LFW verification accuracy
          eval --calibrate --manifest CSV --out FILE        fit the likelihood calibration (for the embedder in use)
          models verify [--json]                            the face models and the calibration, checked
          bench [--json] [--quick]                          per-stage speed, search at 10k/100k/1M
                [--van --gallery CSV --probes CSV]          + van pipeline figures over people walking
          report DEPLOYMENT --data DIR [--json]             the deployment's return for oversight (counts only)
                   [--postgres CONNECTION]
          report --from DAY --to DAY --data DIR             every deployment in a period, with totals
                   [--area TEXT] [--csv|--json]
          watch --camera FILE_OR_URL --watchlist FILE       one van pipeline over one source, alerts as JSON lines
                   [--threshold 0.6] [--json]
          node --role van|control-room|console              one cluster node (lfr node --help)
                   [--port N] [--seed ADDR] [--http-port N]
          status [--url URL] [--user NAME] [--json]         cluster and camera health from a control room's web app
          user hash                                         PBKDF2 hash of a password for Lfr:Web:Users:NAME:PasswordHash
          pki init --ca DIR [--force NAME]                  the force's cluster CA (key 0600, kept off the nodes)
          pki issue --ca DIR --role ROLE --name NAME        a node's certificate naming its role and name
                   [--out DIR]                              (OUT/NAME.pfx, 0600, with OUT/ca.crt)
          config show [--role R] [--markdown]               the settings a node starts with, and where each came from
        """;

    // Options that take no value, across all commands.
    private static readonly HashSet<string> Flags = ["json", "quick", "calibrate", "quiet", "help", "liveness", "van", "csv", "markdown"];

    public static int Run(string[] args)
    {
        // These run a long-lived host and parse their own options (and their own --help).
        if (args.Length > 0 && args[0] == "demo") return DemoCommand.RunAsync(args[1..]).GetAwaiter().GetResult();
        if (args.Length > 0 && args[0] == "node") return NodeCommand.RunAsync(args[1..]).GetAwaiter().GetResult();
        if (args.Length > 0 && args[0] == "watch") return WatchCommand.RunAsync(args[1..]).GetAwaiter().GetResult();
        if (args.Length == 0)
        {
            // a usage error: the text goes to stderr, so `lfr ... > out.json` never holds it
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (args[0] is "-h" or "--help" or "help" || args.Contains("--help"))
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }
        try
        {
            var rest = new CliArgs(args.Skip(1), Flags);
            return args[0] switch
            {
                "detect" => DetectCommand.Run(rest),
                "identify" => IdentifyCommand.Run(rest),
                "watchlist" => WatchlistCommand.Run(rest),
                "eval" => EvalCommand.Run(rest),
                "models" => ModelsCommand.Run(rest),
                "bench" => BenchCommand.Run(rest),
                "report" => ReportCommand.Run(rest),
                "status" => StatusCommand.Run(rest),
                "user" => UserCommand.Run(rest),
                "pki" => PkiCommand.Run(rest),
                "config" => ConfigCommand.Run(args[1..]),
                _ => throw new CliException($"unknown command '{args[0]}'\n{Usage}"),
            };
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"lfr: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // a missing or unreadable input file, or a malformed manifest or pairs file: the message says which
            Console.Error.WriteLine($"lfr: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is ModelException or InvalidDataException)
        {
            // a model, or a calibration or watchlist made for another model, refused: the message says which
            Console.Error.WriteLine($"lfr: {e.Message}");
            return 3;
        }
    }
}
