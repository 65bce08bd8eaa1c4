using Akka.Actor;
using Akka.Configuration;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Returns;
using Lfr.Actors.Telemetry;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr report DEPLOYMENT --data DIR [--postgres CONNECTION] [--json]</c>: the per-deployment return for
/// oversight (counts only, no per-person data), as Markdown or JSON. It opens the control room's data folder
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
        args.RejectUnknown();
        if (args.Positional.Count != 1) throw new CliException("usage: lfr report DEPLOYMENT --data DIR [--postgres CONNECTION] [--json]");
        if (!Directory.Exists(data)) throw new CliException($"{data}: no control-room data folder there");

        var options = new ControlRoomOptions(data)
        {
            Storage = postgres is null ? null : new ControlRoomStorage.PostgreSql(postgres),
        };
        var storage = options.EffectiveStorage.ReadOnly();
        if (storage is ControlRoomStorage.SqliteFile { Path: var journal } && !File.Exists(journal))
            throw new CliException($"{data}: no journal there ({Path.GetFileName(journal)})");
        var config = storage.ToConfig()
            .WithFallback(ControlRoomActors.Config)
            .WithFallback(ConfigurationFactory.ParseString(StandardErrorLogger.Hocon));
        using var system = ActorSystem.Create("lfr-report", config);
        try
        {
            var report = DeploymentReturn.ReadAsync(new JournalReader(system), options.WatchlistsPath, new DeploymentId(args.Positional[0]),
                options.Deployments, options.Alerts).WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
            if (report is null) throw new CliException($"no deployment '{args.Positional[0]}' in {data}");
            Console.Out.WriteLine(json ? report.ToJson() : report.ToMarkdown());
            return 0;
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }
}
