using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Lfr.Host.Web;

/// <summary>An uploaded file, held in memory only.</summary>
public sealed record UploadedFile(string Field, string FileName, byte[] Bytes);

/// <summary>
/// A multipart/form-data upload read straight from the request body into memory, with explicit caps, never to disk:
/// ASP.NET's <c>ReadFormAsync</c> buffers any file over 64 KB into the system temp folder (<c>ASPNETCORE_*.tmp</c>), where
/// a file image would outlive its watchlist's wipe. A part over its cap, too many parts or too much in all is refused
/// as soon as it shows, before it is buffered.
/// </summary>
public sealed class UploadForm
{
    private const int MaxParts = 20_000;
    private const int MaxFieldBytes = 4 * 1024;
    private const int MaxHeaderBytes = 16 * 1024;

    private readonly Dictionary<string, string> _fields;

    private UploadForm(Dictionary<string, string> fields, List<UploadedFile> files)
    {
        _fields = fields;
        Files = files;
    }

    public IReadOnlyList<UploadedFile> Files { get; }

    /// <summary>A field's value, trimmed; empty when absent.</summary>
    public string this[string name] => _fields.TryGetValue(name, out var value) ? value : "";

    /// <param name="maxFileBytes">The cap on each file.</param>
    /// <param name="maxTotalBytes">The cap on the whole body.</param>
    /// <param name="largeFile">A file field capped only by <paramref name="maxTotalBytes"/> (e.g. a zip of many images).</param>
    public static async Task<UploadForm> ReadAsync(HttpRequest request, int maxFileBytes, long maxTotalBytes, string? largeFile = null)
    {
        if (request.ContentLength > maxTotalBytes)
            throw new BadInputException($"an upload may hold {maxTotalBytes / (1024 * 1024)} MB at most");
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            throw new BadInputException("upload as multipart/form-data");

        var largeCap = (int)Math.Min(int.MaxValue - 1, maxTotalBytes);
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = MaxHeaderBytes, BodyLengthLimit = largeFile is null ? maxFileBytes : largeCap };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<UploadedFile>();
        long total = 0;
        var parts = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted) is { } section)
            {
                if (++parts > MaxParts) throw new BadInputException($"an upload may hold {MaxParts} parts at most");
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    throw new BadInputException("every part of the upload needs a form-data Content-Disposition");
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                var isFile = disposition.IsFileDisposition();
                var cap = !isFile ? MaxFieldBytes : name == largeFile ? largeCap : maxFileBytes;
                var bytes = await ReadCappedAsync(section.Body, cap, name, request.HttpContext.RequestAborted);
                total += bytes.Length;
                if (total > maxTotalBytes) throw new BadInputException($"an upload may hold {maxTotalBytes / (1024 * 1024)} MB at most");
                if (isFile)
                    files.Add(new UploadedFile(name, HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "", bytes));
                else
                    fields[name] = Encoding.UTF8.GetString(bytes).Trim();
            }
        }
        catch (InvalidDataException e)
        {
            // the reader's own caps (header or part length) and a malformed body
            throw new BadInputException($"the upload is malformed or a part is too large (a file may hold {maxFileBytes / 1024} KB at most): {e.Message}");
        }

        return new UploadForm(fields, files);
    }

    /// <summary>Reads a part into memory, refusing it as soon as it passes its cap.</summary>
    private static async Task<byte[]> ReadCappedAsync(Stream body, int cap, string name, CancellationToken cancel)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, cancel)) > 0)
        {
            if (memory.Length + read > cap) throw new BadInputException($"'{name}': a part may hold {cap / 1024} KB at most");
            memory.Write(buffer, 0, read);
        }
        return memory.ToArray();
    }
}
