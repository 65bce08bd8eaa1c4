using Akka.Actor;
using Akka.Pattern;

namespace Lfr.Actors.ControlRoom.Persistence;

/// <summary>
/// Every persistent actor of the control room runs under a backoff supervisor: a journal that fails a write or a
/// recovery stops the actor (Akka.Persistence's rule), and the supervisor starts it again after 1 s, doubling up to
/// <see cref="MaxBackoff"/>, until the database answers. A message sent while it is down is answered at once with a
/// <see cref="Status.Failure"/> of <see cref="JournalUnavailableException"/> and not kept: the web answers 503, a van's
/// outbox keeps its alert and sends it again.
/// </summary>
public static class JournalBackoff
{
    public static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);

    public static Props Props(Props child, string childName) =>
        BackoffSupervisor.Props(Backoff.OnStop(child, childName, MinBackoff, MaxBackoff, randomFactor: 0.2, maxNrOfRetries: -1)
            .WithReplyWhileStopped(new Status.Failure(new JournalUnavailableException())));
}

/// <summary>The control room's journal cannot be read or written just now; it comes back by itself.</summary>
public sealed class JournalUnavailableException() : Exception("the journal cannot be written just now; the control room retries by itself")
{
}
