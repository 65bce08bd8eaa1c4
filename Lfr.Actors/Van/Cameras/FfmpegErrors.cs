namespace Lfr.Actors.Van.Cameras;

/// <summary>What ffmpeg's last words about a camera mean to its owner: refused credentials, a wrong path, nobody there...</summary>
internal static class FfmpegErrors
{
    // the first rule whose text appears in ffmpeg's output wins; the more specific first
    private static readonly (string[] Says, string Means)[] Rules =
    [
        (["401 Unauthorized", "authorization failed"], "the camera refused the credentials (401 Unauthorized): check the user name and password in its address"),
        (["403 Forbidden"], "the camera refused access (403 Forbidden): the user may not view this stream"),
        (["404 Not Found"], "the camera has no stream at this path (404 Not Found): check the path of its address"),
        (["Connection refused"], "nothing answers at this address (connection refused): check the host and port, or the camera is down"),
        (["Failed to resolve hostname", "Name or service not known"], "the camera's host name does not resolve"),
        (["No route to host", "Network is unreachable"], "the camera cannot be reached (no route to host)"),
        (["Connection timed out", "timed out"], "the camera did not answer in time"),
        (["Connection reset by peer"], "the camera closed the connection"),
        (["Decoder (codec", "no decoder found", "Unsupported codec", "Could not find codec parameters"],
            "the stream's video codec is not supported by this ffmpeg"),
        (["does not contain any stream", "Stream map '0:v:0' matches no streams"], "the stream carries no video"),
        (["Invalid data found when processing input"], "the stream is not video that ffmpeg can read (invalid data)"),
        (["failed to execute"], $"{FfmpegSource.Program} is not installed (scripts/setup.sh installs it)"),
    ];

    /// <param name="lines">ffmpeg's last lines on stderr, already scrubbed of credentials.</param>
    public static string Describe(IReadOnlyList<string> lines, int exitCode, string fallback)
    {
        foreach (var (says, means) in Rules)
            if (lines.Any(line => says.Any(s => line.Contains(s, StringComparison.OrdinalIgnoreCase))))
                return means;
        var last = lines.LastOrDefault(l => l.Length > 0);
        return last is null
            ? $"{fallback} ({FfmpegSource.Program} exited with code {exitCode})"
            : $"{fallback} ({FfmpegSource.Program} exited with code {exitCode}: {Truncate(last)})";
    }

    private static string Truncate(string line) => line.Length <= 200 ? line : line[..200] + "...";
}
