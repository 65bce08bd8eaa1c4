using Akka.Actor;
using Akka.Configuration;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.Telemetry;

namespace Lfr.Host.Cli;

/// <summary>
/// A control room's journal opened read-only for a command (<c>lfr report</c>, <c>lfr audit verify</c>): the SQLite file
/// in the data folder, or PostgreSQL; an actor system that starts no control-room actor, so nothing is written.
/// </summary>
public sealed class ReadOnlyJournal : IDisposable
{
    private ReadOnlyJournal(ControlRoomOptions options, ActorSystem system)
    {
        Options = options;
        System = system;
        Reader = new JournalReader(system);
    }

    public ControlRoomOptions Options { get; }

    public ActorSystem System { get; }

    public JournalReader Reader { get; }

    public static ReadOnlyJournal Open(string data, string? postgres, string name)
    {
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
        return new ReadOnlyJournal(options, ActorSystem.Create(name, config));
    }

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}
