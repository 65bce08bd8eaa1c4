using Lfr.Actors.Cluster.Serialization;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.Van.Outbox.OutboxProtocol;

namespace Lfr.Actors.Van.Outbox;

/// <summary>
/// Binary codecs of the alert messages between a van and the control room. The crop is written as raw bytes (JSON would
/// write it as base64, a third larger); the outbox stores a candidate in the same encoding, so what it redelivers after a
/// restart is byte for byte what it would have sent.
/// </summary>
public static class AlertWireCodecs
{
    public static WireCodec Candidate { get; } = WireCodec.Binary<AlertProtocol.AlertCandidate>(Write, ReadCandidate);

    public static WireCodec Stored { get; } = WireCodec.Binary<AlertStored>(
        (w, m) => w.Write(m.Id.Value.ToByteArray()),
        r => new AlertStored(ReadId(r)));

    public static WireCodec Refused { get; } = WireCodec.Binary<AlertRefused>(
        (w, m) =>
        {
            w.Write(m.Id.Value.ToByteArray());
            w.Write(m.Reason);
        },
        r => new AlertRefused(ReadId(r), r.ReadString()));

    private static void Write(BinaryWriter w, AlertProtocol.AlertCandidate c)
    {
        w.Write(c.Id.Value.ToByteArray());
        w.Write(c.Deployment.Value);
        w.Write(c.Camera.Value);
        w.Write(c.Track.Value);
        w.Write(c.EntryId.Value);
        w.Write((byte)c.Category);
        w.Write(c.Likelihood);
        w.Write(c.ModelSha256);
        w.Write(c.CalibrationVersion);
        w.Write(c.CapturedAt.UtcTicks);
        w.Write((short)c.CapturedAt.Offset.TotalMinutes);
        w.Write(c.SourcePosition.Ticks);
        w.Write(c.FaceJpeg.Length);
        w.Write(c.FaceJpeg);
    }

    private static AlertProtocol.AlertCandidate ReadCandidate(BinaryReader r)
    {
        var id = ReadId(r);
        var deployment = new DeploymentId(r.ReadString());
        var camera = new CameraId(r.ReadString());
        var track = new TrackId(r.ReadInt64());
        var entry = new WatchlistEntryId(r.ReadString());
        var category = (WatchlistCategory)r.ReadByte();
        if (!Enum.IsDefined(category)) throw new InvalidDataException($"unknown watchlist category {(byte)category}");
        var likelihood = r.ReadSingle();
        var model = r.ReadString();
        var calibration = r.ReadString();
        var utcTicks = r.ReadInt64();
        var offset = TimeSpan.FromMinutes(r.ReadInt16());
        var capturedAt = new DateTimeOffset(utcTicks + offset.Ticks, offset);
        var position = TimeSpan.FromTicks(r.ReadInt64());
        var length = r.ReadInt32();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"a crop of {length} bytes does not fit the message");
        return new AlertProtocol.AlertCandidate(id, deployment, camera, track, entry, category, likelihood, model, calibration,
            capturedAt, position, r.ReadBytes(length));
    }

    private static AlertId ReadId(BinaryReader r) => new(new Guid(r.ReadBytes(16)));
}
