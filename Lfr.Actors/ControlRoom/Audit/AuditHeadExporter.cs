using Akka.Actor;
using Akka.Event;
using Lfr.Actors.ControlRoom.Deployments;

namespace Lfr.Actors.ControlRoom.Audit;

/// <summary>
/// Exports the audit chain's head, signed, to a file outside the database: when a deployment ends (after its
/// <see cref="AuditKind.DeploymentEnded"/> entry) and every <c>every</c> (a day by default). The daily export checks the
/// whole chain first and logs an error when it is broken. A head it cannot read or write is retried, never dropped.
/// </summary>
public sealed class AuditHeadExporter : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Retry = TimeSpan.FromMinutes(1);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _audit;
    private readonly AuditKey _key;
    private readonly string _folder;
    private readonly TimeProvider _time;
    private readonly TimeSpan _every;

    /// <summary>The reasons of the trails asked for, in the order the audit log answers them.</summary>
    private readonly Queue<string> _asked = new();

    public AuditHeadExporter(IActorRef audit, AuditKey key, string folder, TimeSpan every, TimeProvider time)
    {
        _audit = audit;
        _key = key;
        _folder = folder;
        _time = time;

        Receive<DeploymentProtocol.DeploymentEnded>(ended => Ask(new AuditProtocol.GetTrail(ended.Deployment.Value), $"end of deployment {ended.Deployment.Value}"));
        Receive<Export>(export => Ask(new AuditProtocol.GetTrail(export.Deployment), export.Reason));
        Receive<AuditProtocol.Trail>(trail =>
        {
            if (!_asked.TryDequeue(out var reason)) return;
            if (trail.Verification is { IsIntact: false } broken)
                _log.Error("Audit chain broken: {Problem}; exporting the head as it stands", broken.Problem);
            try
            {
                var path = AuditHeads.Write(_folder, ExportedHead.Sign(trail.Head, _time.GetUtcNow(), reason, _key));
                _log.Info("Audit head exported: entry {Sequence} ({Reason}) to {Path}", trail.Head.Sequence, reason, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Error(e, "Audit head ({Reason}) could not be written to {Folder}; trying again in a minute", reason, _folder);
                Timers.StartSingleTimer(Guid.NewGuid(), new Export(reason, null), Retry);
            }
        });
        Receive<Status.Failure>(failure =>
        {
            if (!_asked.TryDequeue(out var reason)) return;
            _log.Warning("Audit head ({Reason}) not exported yet: {Cause}; trying again in a minute", reason, failure.Cause.Message);
            Timers.StartSingleTimer(Guid.NewGuid(), new Export(reason, null), Retry);
        });
        _every = every;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="every">How often the head is exported besides at each deployment's end: a day.</param>
    public static Props Props(IActorRef audit, AuditKey key, string folder, TimeSpan every, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new AuditHeadExporter(audit, key, folder, every, time));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(DeploymentProtocol.DeploymentEnded));
        Timers.StartPeriodicTimer("daily", new Export("daily", null), _every);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Ask(AuditProtocol.GetTrail query, string reason)
    {
        _asked.Enqueue(reason);
        _audit.Tell(query);
    }

    /// <summary>A daily export (the whole trail, checked) or a retried one.</summary>
    private sealed record Export(string Reason, string? Deployment);
}
