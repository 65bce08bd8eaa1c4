using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace Lfr.Actors.Telemetry;

/// <summary>Akka's own log lines on stderr, so that a command's stdout carries only its output (JSON lines, figures).</summary>
public sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => System.Console.Error.WriteLine(e.ToString()));
    }

    /// <summary>HOCON routing every log line at WARNING and above to stderr, nothing to stdout.</summary>
    public static readonly string Hocon = $$"""
        akka.loglevel = WARNING
        akka.stdout-loglevel = OFF
        akka.loggers = ["{{typeof(StandardErrorLogger).AssemblyQualifiedName}}"]
        """;
}
