using System.Numerics.Tensors;
using Lfr.Vision.Detection;
using OpenCvSharp;

namespace Lfr.Actors.Van.Tracking;

public sealed record TrackerSettings
{
    /// <summary>A face overlapping a track's last box by at least this IoU continues the track.</summary>
    public float MinIoU { get; init; } = 0.3f;

    /// <summary>
    /// A track missed for a while (a dropped frame, a turned head) may still be picked up by position: a face whose
    /// centre is within this many of the track's box widths, at a similar size.
    /// </summary>
    public float MaxCentreShift { get; init; } = 1f;

    /// <summary>How long a track survives without a detection before its passage is over.</summary>
    public TimeSpan MaxLost { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Cosine at which a new track's first embedding shows it is a lost track's person again.</summary>
    public float ReIdMinCosine { get; init; } = 0.5f;
}

/// <summary>A detected face assigned to a track in one frame.</summary>
public readonly record struct TrackedFace(TrackId Track, DetectedFace Face);

/// <summary>One frame's tracking result: every face with its track, the tracks started and the passages that ended.</summary>
public sealed record TrackerUpdate(IReadOnlyList<TrackedFace> Faces, int Started, IReadOnlyList<TrackId> Ended);

/// <summary>
/// Follows faces across the frames of one camera so that a person's passage is one track: greedy IoU association
/// against where each track is predicted to be (its last box moved by its smoothed velocity, so a face that moves half
/// its width per frame is still followed), a position fallback for a track missed for a few frames, and embedding re-identification that
/// folds a new track into a lost one when the same face comes back (<see cref="Reidentify"/>).
/// Holds each live track's latest embedding (in memory only, for re-identification) and zeroes it when the track ends.
/// Not thread-safe: one tracker per camera graph.
/// </summary>
public sealed class FaceTracker(TrackerSettings? settings = null)
{
    private readonly TrackerSettings _settings = settings ?? new TrackerSettings();
    private readonly List<Track> _tracks = [];
    private long _nextId;

    public int LiveTracks => _tracks.Count;

    public TrackerUpdate Update(TimeSpan at, IReadOnlyList<DetectedFace> faces)
    {
        var ended = new List<TrackId>();
        for (var i = _tracks.Count - 1; i >= 0; i--)
        {
            if (at - _tracks[i].LastSeen <= _settings.MaxLost) continue;
            ended.Add(_tracks[i].Id);
            _tracks[i].Forget();
            _tracks.RemoveAt(i);
        }

        var pairs = new List<(float Score, int Track, int Face)>();
        for (var t = 0; t < _tracks.Count; t++)
        for (var f = 0; f < faces.Count; f++)
        {
            var score = Affinity(_tracks[t].PredictedAt(at), faces[f].Box);
            if (score > 0) pairs.Add((score, t, f));
        }
        pairs.Sort((a, b) => b.Score.CompareTo(a.Score));

        var assigned = new TrackId?[faces.Count];
        var taken = new bool[_tracks.Count];
        foreach (var (_, t, f) in pairs)
        {
            if (taken[t] || assigned[f] is not null) continue;
            taken[t] = true;
            assigned[f] = _tracks[t].Id;
            _tracks[t].See(faces[f].Box, at);
        }

        var started = 0;
        var result = new TrackedFace[faces.Count];
        for (var f = 0; f < faces.Count; f++)
        {
            if (assigned[f] is not { } id)
            {
                var track = new Track(new TrackId(++_nextId), faces[f].Box, at);
                _tracks.Add(track);
                id = track.Id;
                started++;
            }
            result[f] = new TrackedFace(id, faces[f]);
        }
        return new TrackerUpdate(result, started, ended);
    }

    /// <summary>
    /// Records a track's latest embedding. A track that had none yet is compared with the tracks not seen in this
    /// frame: when one is the same person, the new track is folded into it and that (older) id is returned, so the
    /// passage stays one track. Otherwise returns <paramref name="track"/>.
    /// </summary>
    public TrackId Reidentify(TrackId track, ReadOnlySpan<float> embedding)
    {
        var current = _tracks.Find(t => t.Id == track) ?? throw new ArgumentException($"unknown track {track}", nameof(track));
        if (current.Embedding is null)
        {
            Track? best = null;
            var bestCosine = _settings.ReIdMinCosine;
            foreach (var lost in _tracks)
            {
                if (lost == current || lost.Embedding is null || lost.LastSeen >= current.LastSeen) continue;
                var cosine = TensorPrimitives.Dot(lost.Embedding, embedding);
                if (cosine < bestCosine) continue;
                bestCosine = cosine;
                best = lost;
            }
            if (best is not null)
            {
                best.See(current.Box, current.LastSeen);
                current.Forget();
                _tracks.Remove(current);
                current = best;
            }
        }
        current.Remember(embedding);
        return current.Id;
    }

    private float Affinity(FaceBox track, FaceBox face)
    {
        var iou = track.IoU(face);
        if (iou >= _settings.MinIoU) return 1 + iou;
        var sizeRatio = face.Width / Math.Max(1f, track.Width);
        if (sizeRatio is < 0.67f or > 1.5f) return 0;
        var shift = (float)Math.Sqrt(Math.Pow(track.Center.X - face.Center.X, 2) + Math.Pow(track.Center.Y - face.Center.Y, 2)) / Math.Max(1f, track.Width);
        // below every IoU match, nearer is better
        return shift <= _settings.MaxCentreShift ? 1 - shift / _settings.MaxCentreShift * 0.99f : 0;
    }

    private sealed class Track(TrackId id, FaceBox box, TimeSpan seen)
    {
        private readonly MovingBox _motion = new(box, seen);

        public TrackId Id { get; } = id;
        public FaceBox Box => _motion.Box;
        public TimeSpan LastSeen => _motion.Seen;
        public float[]? Embedding { get; private set; }

        public FaceBox PredictedAt(TimeSpan at) => _motion.PredictedAt(at);

        public void See(FaceBox box, TimeSpan at) => _motion.See(box, at);

        public void Remember(ReadOnlySpan<float> embedding)
        {
            Embedding ??= new float[embedding.Length];
            embedding.CopyTo(Embedding);
        }

        public void Forget()
        {
            if (Embedding is not null) Array.Clear(Embedding);
            Embedding = null;
        }
    }
}
