namespace Lfr.Vision.Files;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a
/// half-written file: write a temporary file beside it, flush it to disk, then rename it over.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write, bool overwrite = true, UnixFileMode? mode = null)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (mode is { } unixMode && !OperatingSystem.IsWindows())
            options.UnixCreateMode = unixMode;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            // without overwrite the move fails when the target appeared meanwhile
            File.Move(temp, full, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
