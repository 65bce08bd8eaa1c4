using System.Net;

namespace Lfr.Host.Web.Auth;

/// <summary>
/// Slows password guessing with bounded memory. Per client address: after <see cref="MaxFailuresPerAddress"/> failures
/// within <see cref="Window"/> that address is refused until the window has passed. Per user name: after
/// <see cref="MaxFailuresPerUser"/> failures within the window the name waits <see cref="UserBackOff"/> after its latest
/// failure, from any address: short, so that nobody can lock a real operator out for longer. Names longer than
/// <see cref="MaxNameLength"/> are refused before they are counted, and each table keeps at most
/// <see cref="MaxTracked"/> entries (the stalest go first), so a flood of made-up names costs a fixed amount of memory.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxNameLength = 64;
    public const int MaxFailuresPerUser = 5;
    public const int MaxFailuresPerAddress = 20;
    public const int MaxTracked = 4_096;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan UserBackOff = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Failures> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, Failures> _addresses = [];
    private readonly Lock _gate = new();

    /// <summary>Why this attempt is refused before its password is checked, or null.</summary>
    public string? Refusal(string user, IPAddress? address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (address is not null && _addresses.TryGetValue(address, out var fromAddress) && fromAddress.Count(now - Window) >= MaxFailuresPerAddress)
                return $"Too many failed sign-ins from this address; try again in {Window.TotalMinutes:0} minutes.";
            if (_users.TryGetValue(user, out var forUser) && forUser.Count(now - Window) >= MaxFailuresPerUser && now - forUser.Latest < UserBackOff)
                return $"Too many failed sign-ins for this user; try again in {UserBackOff.TotalSeconds:0} seconds.";
        }
        return null;
    }

    public void Failed(string user, IPAddress? address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Add(_users, user.Length <= MaxNameLength ? user : user[..MaxNameLength], now);
            if (address is not null)
                Add(_addresses, address, now);
        }
    }

    /// <summary>How many names and addresses are tracked now (bounded by <see cref="MaxTracked"/> each).</summary>
    public int Tracked
    {
        get { lock (_gate) return _users.Count + _addresses.Count; }
    }

    private void Add<TKey>(Dictionary<TKey, Failures> table, TKey key, DateTimeOffset now) where TKey : notnull
    {
        if (!table.TryGetValue(key, out var failures))
        {
            if (table.Count >= MaxTracked)
                Trim(table, now);
            table[key] = failures = new Failures();
        }
        failures.Add(now, MaxFailuresPerAddress);
    }

    private static void Trim<TKey>(Dictionary<TKey, Failures> table, DateTimeOffset now) where TKey : notnull
    {
        foreach (var key in table.Where(t => t.Value.Count(now - Window) == 0).Select(t => t.Key).ToList())
            table.Remove(key);
        if (table.Count < MaxTracked)
            return;
        foreach (var key in table.OrderBy(t => t.Value.Latest).Take(MaxTracked / 4).Select(t => t.Key).ToList())
            table.Remove(key);
    }

    /// <summary>The latest failures of one name or address, at most as many as any limit needs.</summary>
    private sealed class Failures
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public DateTimeOffset Latest { get; private set; }

        public void Add(DateTimeOffset at, int keep)
        {
            _times.Enqueue(at);
            while (_times.Count > keep) _times.Dequeue();
            Latest = at;
        }

        public int Count(DateTimeOffset since)
        {
            while (_times.Count > 0 && _times.Peek() <= since) _times.Dequeue();
            return _times.Count;
        }
    }
}
