namespace Lfr.Tests.Fixtures;

/// <summary>
/// Watches folders while a spec runs, not only after: every file created or written meanwhile (a SQLite -journal that
/// lives a millisecond, an upload buffered to the temp folder) is noticed by inotify (<see cref="FileSystemWatcher"/>)
/// and read as often as the poller can, and any that holds a needle is recorded with where it was seen.
/// </summary>
public sealed class FolderWatch : IDisposable
{
    private readonly byte[][] _needles;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly HashSet<string> _seen = [];
    private readonly HashSet<string> _hits = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _poller;
    private readonly IReadOnlyList<(string Folder, bool Recursive)> _folders;
    private readonly DateTime _since = DateTime.UtcNow.AddSeconds(-1);

    /// <param name="folders">Each folder, and whether its sub-folders are watched too (a data folder: yes; the shared temp folder: no).</param>
    public FolderWatch(IReadOnlyList<(string Folder, bool Recursive)> folders, params byte[][] needles)
    {
        _folders = folders;
        _needles = needles;
        foreach (var (folder, recursive) in folders)
        {
            var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = recursive, InternalBufferSize = 64 * 1024 };
            watcher.Created += (_, e) => Notice(e.FullPath);
            watcher.Changed += (_, e) => Notice(e.FullPath);
            watcher.Renamed += (_, e) => Notice(e.FullPath);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        _poller = new Thread(Poll) { IsBackground = true, Name = "folder-watch" };
        _poller.Start();
    }

    /// <summary>Every file that appeared or changed in the watched folders while watching.</summary>
    public IReadOnlyCollection<string> Seen
    {
        get { lock (_gate) return [.. _seen]; }
    }

    /// <summary>Files that held a needle at some moment while watched.</summary>
    public IReadOnlyCollection<string> Hits
    {
        get { lock (_gate) return [.. _hits]; }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _poller.Join();
        foreach (var watcher in _watchers) watcher.Dispose();
        // one last look at everything that is still there
        foreach (var file in Seen) Scan(file);
    }

    private void Notice(string path)
    {
        lock (_gate) _seen.Add(path);
        Scan(path);
    }

    private void Poll()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var (folder, recursive) in _folders)
            {
                IEnumerable<string> files;
                try
                {
                    files = Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).ToList();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }
                foreach (var file in files)
                {
                    try
                    {
                        if (File.GetLastWriteTimeUtc(file) < _since) continue;
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                    lock (_gate) _seen.Add(file);
                    Scan(file);
                }
            }
            _stop.Token.WaitHandle.WaitOne(5);
        }
    }

    private void Scan(string path)
    {
        byte[] bytes;
        try
        {
            // an empty file holds no needle, and neither do a FIFO or a socket (size 0), whose open would block;
            // a file another user's process owns, or one already gone, holds nothing this spec can read
            if (new FileInfo(path) is not { Exists: true, Length: > 0 and < 64 * 1024 * 1024 }) return;
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var needle in _needles)
            if (bytes.AsSpan().IndexOf(needle) >= 0)
                lock (_gate) _hits.Add(path);
    }
}
