using System.Globalization;
using System.Text.Json;
using Lfr.Vision.Files;

namespace Lfr.Actors.ControlRoom.Audit;

/// <summary>
/// The chain's head as exported at a deployment's end or daily: its sequence and MAC, when and why, signed under the
/// <see cref="AuditKey"/>. Kept outside the database (a file per export, and the deployment's return), it is what a
/// rewrite by someone who also holds the key cannot match: the entry at <see cref="Sequence"/> must still carry <see cref="Mac"/>.
/// </summary>
public sealed record ExportedHead(long Sequence, string Mac, DateTimeOffset At, string Reason, string Signature)
{
    public static ExportedHead Sign(AuditHead head, DateTimeOffset at, string reason, AuditKey key) =>
        new(head.Sequence, head.Hash, at, reason, key.Sign(Canonical(head.Sequence, head.Hash, at, reason)));

    public bool IsSignedBy(AuditKey key) => key.Verify(Canonical(Sequence, Mac, At, Reason), Signature);

    public override string ToString() => $"entry {Sequence} ({Reason}, {At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)";

    private static string Canonical(long sequence, string mac, DateTimeOffset at, string reason) =>
        string.Join('|', "lfr-audit-head/1", sequence.ToString(CultureInfo.InvariantCulture), mac, at.UtcTicks.ToString(CultureInfo.InvariantCulture), reason);
}

/// <summary>The heads folder: one JSON file per export, never overwritten, and the check of a trail against them.</summary>
public static class AuditHeads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes the head as a new file (0600) in <paramref name="folder"/> and returns its path.</summary>
    public static string Write(string folder, ExportedHead head)
    {
        PrivateFiles.Folder(folder);
        var name = $"audit-head-{head.At.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{head.Sequence}.json";
        var path = Path.Combine(folder, name);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, head, Json), overwrite: false, PrivateFiles.FileMode);
        return path;
    }

    /// <summary>Every head file in <paramref name="folder"/>, in sequence order; an unreadable file is listed with its problem.</summary>
    public static IReadOnlyList<(string File, ExportedHead? Head, string? Problem)> Read(string folder)
    {
        var heads = new List<(string, ExportedHead?, string?)>();
        foreach (var file in Directory.GetFiles(folder, "audit-head-*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var head = JsonSerializer.Deserialize<ExportedHead>(File.ReadAllText(file), Json);
                heads.Add(head is { Mac: not null, Reason: not null, Signature: not null } ? (file, head, null) : (file, null, "not an audit head"));
            }
            catch (JsonException e)
            {
                heads.Add((file, null, $"not an audit head ({e.Message})"));
            }
        }
        return heads.OrderBy(h => h.Item2?.Sequence ?? 0).ToList();
    }

    /// <summary>
    /// The trail's own chain under <paramref name="key"/> first, then each exported head: signed under the key, and its
    /// entry still there with the same MAC. A trail rewritten and re-MACed by a key holder passes the first check and fails
    /// the second, between the last head that agrees and the first that does not.
    /// </summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries, AuditKey key, IReadOnlyList<(string File, ExportedHead? Head, string? Problem)> heads)
    {
        var chain = AuditChain.Verify(entries, key);
        if (!chain.IsIntact)
            return chain;
        ExportedHead? agreed = null;
        foreach (var (file, head, problem) in heads)
        {
            var name = Path.GetFileName(file);
            if (head is null)
                return new AuditVerification(false, null, $"{name}: {problem}");
            if (!head.IsSignedBy(key))
                return new AuditVerification(false, head.Sequence, $"{name}: its signature does not match under this audit key (edited, or another key's)");
            var after = agreed is null ? "" : $", after entry {agreed.Sequence} (which agrees with the head of {agreed.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC)";
            if (head.Sequence > entries.Count)
                return AuditChain.Broken(entries.Count + 1,
                    $"the log ends at entry {entries.Count}, but the head exported {head} names entry {head.Sequence}: entries were cut off{after}");
            if (head.Sequence > 0 && entries[(int)head.Sequence - 1].Hash != head.Mac)
                return AuditChain.Broken((agreed?.Sequence ?? 0) + 1,
                    $"entry {head.Sequence} is not the one exported {head}: the log was rewritten at or before entry {head.Sequence}{after}");
            agreed = head;
        }
        return AuditVerification.Intact;
    }
}
