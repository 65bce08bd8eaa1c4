using Lfr.Actors.Cluster.Serialization;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using static Lfr.Actors.LiveView.LiveViewProtocol;

namespace Lfr.Actors.LiveView;

/// <summary>Binary codecs of the live view messages: a frame's JPEG goes as raw bytes (JSON would make it a third larger).</summary>
public static class LiveViewWireCodecs
{
    public static WireCodec SubscribeHealth { get; } = WireCodec.Binary<LiveViewProtocol.SubscribeHealth>((_, _) => { }, _ => LiveViewProtocol.SubscribeHealth.Instance);

    public static WireCodec WatchCamera { get; } = WireCodec.Binary<LiveViewProtocol.WatchCamera>(
        (w, m) => w.Write(m.Camera.Value),
        r => new LiveViewProtocol.WatchCamera(new CameraId(r.ReadString())));

    public static WireCodec Health { get; } = WireCodec.Binary<CameraHealthUpdate>(
        (w, m) =>
        {
            w.Write(m.Van);
            Write(w, m.Health);
        },
        r => new CameraHealthUpdate(r.ReadString(), ReadHealth(r)));

    public static WireCodec Frame { get; } = WireCodec.Binary<LiveFrame>(
        (w, m) =>
        {
            w.Write(m.Van);
            w.Write(m.Camera.Value);
            w.Write(m.Sequence);
            Write(w, m.CapturedAt);
            w.Write(m.Faces);
            w.Write(m.AlertFaces);
            w.Write(m.Dropped);
            w.Write(m.Jpeg.Length);
            w.Write(m.Jpeg);
        },
        r =>
        {
            var van = r.ReadString();
            var camera = new CameraId(r.ReadString());
            var sequence = r.ReadInt64();
            var capturedAt = ReadTime(r);
            var faces = r.ReadInt32();
            var alertFaces = r.ReadInt32();
            var dropped = r.ReadInt64();
            var length = r.ReadInt32();
            if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
                throw new InvalidDataException($"a frame of {length} bytes does not fit the message");
            return new LiveFrame(van, camera, sequence, capturedAt, r.ReadBytes(length), faces, alertFaces, dropped);
        });

    public static WireCodec RestartCamera { get; } = WireCodec.Binary<CameraSupervisorProtocol.RestartCamera>(
        (w, m) => w.Write(m.Camera.Value),
        r => new CameraSupervisorProtocol.RestartCamera(new CameraId(r.ReadString())));

    public static WireCodec RestartAnswer { get; } = WireCodec.Binary<CameraSupervisorProtocol.CameraRestartAnswer>(
        (w, m) =>
        {
            w.Write(m.Camera.Value);
            w.Write(m.Restarted);
            w.Write(m.Detail);
        },
        r => new CameraSupervisorProtocol.CameraRestartAnswer(new CameraId(r.ReadString()), r.ReadBoolean(), r.ReadString()));

    private static void Write(BinaryWriter w, CameraHealth h)
    {
        w.Write(h.Camera.Value);
        w.Write((byte)h.State);
        w.Write(h.FpsIn);
        w.Write(h.FpsProcessed);
        w.Write(h.FramesIn);
        w.Write(h.FramesDropped);
        w.Write(h.FramesProcessed);
        w.Write(h.Faces);
        w.Write(h.Tracks);
        w.Write(h.Alerts);
        w.Write(h.FramesAlive);
        w.Write(h.Restarts);
        w.Write(h.LastFrameAt.HasValue);
        if (h.LastFrameAt is { } at) Write(w, at);
        w.Write(h.LastError is not null);
        if (h.LastError is { } error) w.Write(error);
        // after the original fields: a hub of the previous version reads a health and ignores the rest
        w.Write(h.Latencies is not null);
        if (h.Latencies is { } l)
            foreach (var stage in (ReadOnlySpan<LatencySummary>)[l.Detect, l.TrackEmbed, l.Match, l.Alert])
            {
                w.Write(stage.P50Ms);
                w.Write(stage.P99Ms);
                w.Write(stage.Samples);
            }
        // after the latencies, likewise: a hub of the previous version stops reading before it
        w.Write(h.Detector is not null);
        if (h.Detector is { } d)
        {
            w.Write(d.Budget);
            w.Write(d.RunsPerFrame);
            w.Write(d.TileShare);
        }
    }

    private static CameraHealth ReadHealth(BinaryReader r)
    {
        var camera = new CameraId(r.ReadString());
        var state = (CameraState)r.ReadByte();
        if (!Enum.IsDefined(state)) throw new InvalidDataException($"unknown camera state {(byte)state}");
        var health = new CameraHealth(camera, state, r.ReadDouble(), r.ReadDouble(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(),
            r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadBoolean() ? ReadTime(r) : null, r.ReadBoolean() ? r.ReadString() : null);
        // a van of the previous version sends no latencies; one before the detector schedule, no detector load
        if (r.BaseStream.Position == r.BaseStream.Length) return health;
        if (r.ReadBoolean()) health = health with { Latencies = new PipelineLatencies(ReadLatency(r), ReadLatency(r), ReadLatency(r), ReadLatency(r)) };
        if (r.BaseStream.Position == r.BaseStream.Length || !r.ReadBoolean()) return health;
        return health with { Detector = new DetectorLoad(r.ReadInt32(), r.ReadDouble(), r.ReadDouble()) };
    }

    private static LatencySummary ReadLatency(BinaryReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadInt32());

    private static void Write(BinaryWriter w, DateTimeOffset at)
    {
        w.Write(at.UtcTicks);
        w.Write((short)at.Offset.TotalMinutes);
    }

    private static DateTimeOffset ReadTime(BinaryReader r)
    {
        var utcTicks = r.ReadInt64();
        var offset = TimeSpan.FromMinutes(r.ReadInt16());
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }
}
