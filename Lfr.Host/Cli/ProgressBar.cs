namespace Lfr.Host.Cli;

/// <summary>A one-line progress bar on standard error (only when it is a terminal, so logs stay clean).</summary>
public sealed class ProgressBar(string label, int total, bool enabled = true) : IProgress<int>, IDisposable
{
    private readonly bool _enabled = enabled && !Console.IsErrorRedirected;
    private readonly Lock _lock = new();
    private int _shown = -1;
    private bool _closed;

    public void Report(int done)
    {
        if (!_enabled) return;
        lock (_lock)
        {
            var percent = total == 0 ? 100 : done * 100 / total;
            if (_closed || percent == _shown) return;
            _shown = percent;
            var filled = percent * 30 / 100;
            Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {done}/{total}");
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_enabled && !_closed && _shown >= 0) Console.Error.WriteLine();
            _closed = true;
        }
    }
}
