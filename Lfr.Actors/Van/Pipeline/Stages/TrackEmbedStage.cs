using Akka;
using Akka.Streams.Dsl;
using Lfr.Actors.Van.Tracking;
using Lfr.Vision;
using Lfr.Vision.Detection;
using Lfr.Vision.Quality;
using OpenCvSharp;

namespace Lfr.Actors.Van.Pipeline.Stages;

/// <summary>
/// Faces into tracks; the faces worth an embedding (each track's <see cref="EmbedBudget"/>, the quality gate) embedded
/// together, as many at once as the engine's parallelism allows; then re-identification in face order, which folds a
/// lost track whose person is back into the older one.
/// </summary>
internal static class TrackEmbedStage
{
    public static Flow<DetectedFrame, TrackedFrame, NotUsed> Create(VanPipelineContext context) =>
        PipelineStage.Create<DetectedFrame, TrackedFrame>("track-embed", context.Log, () =>
        {
            var tracker = new FaceTracker(context.Settings.Tracker);
            var budgets = new Dictionary<TrackId, EmbedBudget>();
            return PipelineStage.Timed(context.Counters.TrackEmbed, (DetectedFrame detected) =>
                PipelineStage.DisposeOnThrow(detected.Frame, () => Track(detected, tracker, budgets, context)));
        });

    private static TrackedFrame Track(DetectedFrame detected, FaceTracker tracker, Dictionary<TrackId, EmbedBudget> budgets, VanPipelineContext context)
    {
        var frame = detected.Frame;
        var at = frame.SourcePosition;
        var update = tracker.Update(at, detected.Faces);
        context.Counters.TracksStarted(update.Started);
        foreach (var ended in update.Ended) budgets.Remove(ended);

        var count = update.Faces.Count;
        var aligned = new Mat?[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                var (track, face) = update.Faces[i];
                var budget = budgets.TryGetValue(track, out var b) ? b : budgets[track] = new EmbedBudget();
                if (!budget.Exhausted(context.Settings) && face.Landmarks is not null)
                    aligned[i] = AlignIfWorth(frame.Image, face, budget, at, context);
            }
            var chosen = Enumerable.Range(0, count).Where(i => aligned[i] is not null).ToList();
            var embedded = context.Engine.Embed(chosen.Select(i => aligned[i]!).ToList());
            var embeddings = new float[]?[count];
            for (var k = 0; k < chosen.Count; k++) embeddings[chosen[k]] = embedded[k];

            var merged = new List<(TrackId From, TrackId Into)>();
            var observations = new FaceObservation[count];
            for (var i = 0; i < count; i++)
            {
                var (track, face) = update.Faces[i];
                var embedding = embeddings[i];
                if (embedding is not null && tracker.Reidentify(track, embedding) is var same && same != track)
                {
                    // the person of a lost track is back: keep the older track, its budget and its alert state
                    budgets.Remove(track);
                    merged.Add((track, same));
                    track = same;
                }
                observations[i] = new FaceObservation(track, face, embedding);
            }
            return new TrackedFrame(frame, observations, update.Ended, merged);
        }
        finally
        {
            foreach (var crop in aligned) crop?.Dispose();
        }
    }

    /// <summary>The aligned crop when the face passes the quality gate and its track's budget wants it (counted as embedded); else null.</summary>
    private static Mat? AlignIfWorth(Mat image, DetectedFace face, EmbedBudget budget, TimeSpan at, VanPipelineContext context)
    {
        var aligned = FaceEngine.Align(image, face);
        var quality = FaceQuality.Measure(face, aligned);
        var score = Score(quality);
        if (context.Engine.Options.Quality.Reject(quality) is not null || !budget.Wants(score, at, context.Settings))
        {
            aligned.Dispose();
            return null;
        }
        budget.Embedded(score, at);
        return aligned;
    }

    /// <summary>Bigger and more frontal is better: what makes one capture of a passage worth an embedding over another.</summary>
    private static float Score(FaceQuality q) => q.FaceWidth * (1 - 0.5f * Math.Min(1, Math.Abs(q.Yaw))) * (1 - Math.Min(1, Math.Abs(q.Pitch)));

    /// <summary>How many embeddings a track has had and how good its best face was.</summary>
    private sealed class EmbedBudget
    {
        private int _count;
        private float _best;
        private TimeSpan _last;

        public bool Exhausted(VanPipelineSettings settings) => _count >= settings.MaxEmbedsPerTrack;

        public bool Wants(float score, TimeSpan at, VanPipelineSettings settings) =>
            _count == 0 || score > _best * settings.BetterFaceFactor || at - _last >= settings.ReEmbedInterval;

        public void Embedded(float score, TimeSpan at)
        {
            _count++;
            _best = Math.Max(_best, score);
            _last = at;
        }
    }
}
