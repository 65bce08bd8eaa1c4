using System.Collections.Concurrent;

namespace Lfr.Host.Web.Auth;

/// <summary>
/// Stops password guessing: after <see cref="MaxFailures"/> failed sign-ins for one user name within
/// <see cref="Window"/>, that name is refused until the window has passed, right password or not. Successful
/// sign-ins are not counted, so busy shared terminals are never locked out.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    public bool IsLocked(string user)
    {
        if (!_failures.TryGetValue(user, out var failures)) return false;
        lock (failures)
        {
            Forget(failures);
            return failures.Count >= MaxFailures;
        }
    }

    public void Failed(string user)
    {
        var failures = _failures.GetOrAdd(user, _ => new Queue<DateTimeOffset>());
        lock (failures)
        {
            Forget(failures);
            failures.Enqueue(time.GetUtcNow());
        }
    }

    private void Forget(Queue<DateTimeOffset> failures)
    {
        var since = time.GetUtcNow() - Window;
        while (failures.Count > 0 && failures.Peek() <= since) failures.Dequeue();
    }
}
