using System.Runtime.InteropServices;

namespace Lfr.Vision.Files;

/// <summary>
/// Data folders private to the service user: folders 0700, files 0600. Another local user can then neither list a
/// data folder nor read a database, a key or an outbox in it, whatever the file's own mode. No-ops on Windows,
/// where a profile folder's ACL does the same.
/// </summary>
public static partial class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and missing parents, which keep the system's default) as 0700, or closes an existing one to 0700.</summary>
    public static string Folder(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return full;
        }
        Directory.CreateDirectory(full, FolderMode);
        System.IO.File.SetUnixFileMode(full, FolderMode);
        return full;
    }

    /// <summary>
    /// Closes a data folder left open by an older version: the folder and its sub-folders 0700, every file 0600.
    /// A symbolic link is left alone, so a planted link cannot make this change another file's mode.
    /// </summary>
    public static string Tighten(string folder)
    {
        var full = Folder(folder);
        if (OperatingSystem.IsWindows())
            return full;
        foreach (var entry in new DirectoryInfo(full).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null)
                continue;
            entry.UnixFileMode = entry is DirectoryInfo ? FolderMode : FileMode;
        }
        return full;
    }

    /// <summary>
    /// Creates an empty file 0600 where a database is about to be opened (SQLite takes an empty file as a new database,
    /// and gives its -journal and -wal files the database file's mode), or closes an existing one to 0600.
    /// </summary>
    public static string File(string path)
    {
        var full = Path.GetFullPath(path);
        Folder(Path.GetDirectoryName(full)!);
        if (OperatingSystem.IsWindows())
            return full;
        try
        {
            using var _ = new FileStream(full, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (System.IO.File.Exists(full))
        {
            System.IO.File.SetUnixFileMode(full, FileMode);
        }
        return full;
    }

    /// <summary>
    /// Makes every file and folder this process creates from now on private to its user (umask 077), whatever library
    /// creates it: a service node calls this first thing, so no journal, temp file or log of it is ever readable by others.
    /// </summary>
    public static void RestrictProcessUmask()
    {
        if (!OperatingSystem.IsWindows())
            _ = Umask(0x3F);
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
