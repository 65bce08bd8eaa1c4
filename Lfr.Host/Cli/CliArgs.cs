namespace Lfr.Host.Cli;

/// <summary>
/// The command line after the sub-command: <c>--name value</c> options, <c>--flag</c> switches and positional
/// arguments. Small on purpose: every command reads what it needs and reports unknown options.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public CliArgs(IEnumerable<string> args, IReadOnlySet<string> flagNames)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var name = a[2..];
                string? inline = null;
                if (name.IndexOf('=') is var eq and > 0)
                {
                    inline = name[(eq + 1)..];
                    name = name[..eq];
                }
                if (flagNames.Contains(name) && inline is null)
                {
                    _flags.Add(name);
                    continue;
                }
                var value = inline ?? (i + 1 < list.Count ? list[++i] : throw new CliException($"option --{name} needs a value"));
                if (!_options.TryGetValue(name, out var values)) _options[name] = values = [];
                values.Add(value);
            }
            else
            {
                Positional.Add(a);
            }
        }
    }

    public List<string> Positional { get; } = [];

    public bool Flag(string name)
    {
        _read.Add(name);
        return _flags.Contains(name);
    }

    public string? Option(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var v) ? v[^1] : null;
    }

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var v) ? v : [];
    }

    public string Required(string name) => Option(name) ?? throw new CliException($"--{name} is required");

    public float Float(string name, float fallback)
    {
        var v = Option(name);
        if (v is null) return fallback;
        return float.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var f)
            ? f
            : throw new CliException($"--{name} must be a number, not '{v}'");
    }

    public int Int(string name, int fallback)
    {
        var v = Option(name);
        if (v is null) return fallback;
        return int.TryParse(v, out var n) ? n : throw new CliException($"--{name} must be a whole number, not '{v}'");
    }

    /// <summary>Throws when an option was given that the command never asked about (a typo should not be ignored).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Concat(_flags).Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new CliException($"unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}

/// <summary>A usage error: printed without a stack trace, exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
