using System.Text;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Vision.Watchlists;

/// <summary>Writes a watchlist file in format 1 (no file images), as earlier versions of <c>lfr watchlist build</c> did.</summary>
internal static class Format1File
{
    public static void Write(string path, IEnumerable<WatchlistEntry> entries, string modelSha256, DateTimeOffset created, WatchlistSigningKey key)
    {
        var list = entries.ToList();
        using var content = new MemoryStream();
        using (var w = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("LFRWLIST"u8);
            w.Write((ushort)1);
            w.Write(Convert.FromHexString(modelSha256));
            w.Write(created.ToUnixTimeMilliseconds());
            w.Write((byte)1);
            w.Write((ushort)WatchlistEntry.DefaultEmbeddingLength);
            w.Write(list.Count);
            foreach (var entry in list)
            {
                Text(w, entry.Id.Value);
                w.Write((byte)entry.Category);
                foreach (var value in entry.Embedding.Span) w.Write(value);
                foreach (var text in new[] { entry.Reason, entry.Source, entry.RecordedOn, entry.DisplayLabel }) Text(w, text);
            }
        }
        using var hmac = key.CreateHmac();
        hmac.AppendData(content.ToArray());
        File.WriteAllBytes(path, [.. content.ToArray(), .. "LFRSIG01"u8, .. hmac.GetHashAndReset()]);
    }

    private static void Text(BinaryWriter w, string? text)
    {
        var bytes = Encoding.UTF8.GetBytes(text ?? "");
        w.Write((ushort)bytes.Length);
        w.Write(bytes);
    }
}
