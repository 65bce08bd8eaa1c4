using System.Security.Cryptography;

namespace Lfr.Vision.Files;

/// <summary>A key file: base64 of random bytes, 0600 from its creation on, in a 0700 folder.</summary>
internal static class SecretFile
{
    /// <summary>The base64 in the file; a new random key of <paramref name="bytes"/> bytes when the file does not exist yet.</summary>
    public static string ReadOrCreate(string path, int bytes) => ReadOrCreate(path, bytes, out _);

    public static string ReadOrCreate(string path, int bytes, out bool created)
    {
        created = false;
        if (File.Exists(path))
            return File.ReadAllText(path);
        var base64 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
        PrivateFiles.Folder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            // mode 600 from creation on, so the key is never readable by others, not even briefly
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                writer.WriteLine(base64);
            }, overwrite: false, PrivateFiles.FileMode);
            created = true;
            return base64;
        }
        catch (IOException) when (File.Exists(path))
        {
            // another process created it first: use theirs, so both use the same key
            return File.ReadAllText(path);
        }
    }
}
