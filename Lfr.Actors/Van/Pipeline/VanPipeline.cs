using System.Diagnostics;
using System.Numerics.Tensors;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Supervision;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Tracking;
using Lfr.Vision;
using Lfr.Vision.Detection;
using Lfr.Vision.Imaging;
using Lfr.Vision.Matching;
using Lfr.Vision.Quality;
using Lfr.Vision.Watchlists;
using OpenCvSharp;
using static Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Actors.Van.Pipeline;

/// <summary>What one camera's graph works with. The engine and the deployment are shared by all cameras of the van.</summary>
/// <param name="Time">The clock frames are stamped with at capture, so that capture to alert is measured on one clock.</param>
public sealed record VanPipelineContext(
    CameraId Camera, FaceEngine Engine, LiveDeployment Deployment, VanPipelineSettings Settings, CameraCounters Counters, ILoggingAdapter Log,
    TimeProvider Time);

/// <summary>One frame through the whole graph: the alerts it raised and, when one was due, its operator view.</summary>
public sealed record ProcessedFrame(CameraId Camera, long Sequence, DateTimeOffset CapturedAt, IReadOnlyList<AlertCandidate> Alerts, OperatorViewFrame? View);

/// <summary>
/// The per-camera recognition graph as blueprints (nothing runs until materialised):
/// <code>
/// hand-off (latest frame wins) -> gate (deployment live?) -> detect | track-embed | match -> operator-view -> alerts (acked), view (latest wins)
/// </code>
/// <c>|</c> marks an async boundary: detection of frame n+1 overlaps embedding and matching of frame n. Every heavy
/// stage runs on <see cref="VanConfig.VisionDispatcher"/>. Materialised with <see cref="MaterializerSettings"/>, buffers
/// between stages hold one element, so at most a handful of frames are alive whatever the input rate; a frame is disposed by whichever stage drops it, and by the
/// view stage otherwise. A stage that throws on a frame drops that frame (disposed, logged by type) and carries on.
/// </summary>
public static class VanPipeline
{
    private static readonly Attributes OnVisionDispatcher = ActorAttributes.CreateDispatcher(VanConfig.VisionDispatcher);

    /// <summary>
    /// Materialise camera graphs with these: one-element buffers everywhere, including the async boundaries between
    /// islands, which stage attributes do not reach (with the default of 16, some 30 frames queued behind a busy stage).
    /// </summary>
    public static ActorMaterializerSettings MaterializerSettings(ActorSystem system) =>
        ActorMaterializerSettings.Create(system).WithInputBuffer(1, 1);

    /// <summary>The whole graph for one camera: frames from <paramref name="handOff"/> to the alert sink and the view.</summary>
    public static IRunnableGraph<Task<Done>> ForCamera(FrameHandOff handOff, VanPipelineContext context, IActorRef alertSink,
        Sink<OperatorViewFrame, NotUsed>? view = null) =>
        ChannelSource.FromReader(handOff.Reader).Named("hand-off")
            .Via(Recognition(context))
            .ToMaterialized(Outputs(alertSink, view, context.Settings.AlertSinkTimeout), Keep.Right);

    /// <summary>Frames in, processed frames out. Every frame that enters is disposed inside.</summary>
    public static Flow<CameraFrame, ProcessedFrame, NotUsed> Recognition(VanPipelineContext context)
    {
        var resume = ActorAttributes.CreateSupervisionStrategy(SkipBadFrame(context.Log));
        return Flow.Create<CameraFrame>()
            .Where(frame => Live(frame, context)).Named("gate")
            .Via(Stage(Flow.Create<CameraFrame>().StatefulSelectMany(() => Detect(context)), "detect", resume))
            .Via(Stage(Flow.Create<DetectedFrame>().StatefulSelectMany(() => TrackAndEmbed(context)), "track-embed", resume))
            // the end marker lets match release the alerts it still holds when the stream completes
            .Via(Stage(Flow.Create<TrackedFrame>().Concat(Source.Single(TrackedFrame.End)).StatefulSelectMany(() => Match(context)), "match", resume))
            .Via(Flow.Create<MatchedFrame>().StatefulSelectMany(() => OperatorView(context))
                .WithAttributes(Attributes.CreateName("operator-view").And(OnVisionDispatcher).And(resume)));
    }

    /// <summary>
    /// Alerts go to <paramref name="alertSink"/> one at a time, each waiting for its <see cref="AlertAccepted"/>, and
    /// the frame that raised an alert is done only once the alert is accepted: a slow sink holds the whole graph, so the
    /// hand-off drops (and counts) frames instead of anything queueing. View frames never wait: a slow viewer misses frames.
    /// </summary>
    public static Sink<ProcessedFrame, Task<Done>> Outputs(IActorRef alertSink, Sink<OperatorViewFrame, NotUsed>? view, TimeSpan timeout)
    {
        var flow = Flow.Create<ProcessedFrame>();
        if (view is not null)
            flow = flow.AlsoTo(Flow.Create<ProcessedFrame>()
                .Where(p => p.View is not null).Select(p => p.View!)
                .Buffer(1, OverflowStrategy.DropHead)
                .To(view).Named("view-out"));
        return flow
            .SelectAsync(1, processed => Deliver(processed.Alerts, alertSink, timeout))
            .Named("alert-out")
            .ToMaterialized(Sink.Ignore<Done>(), Keep.Right);
    }

    /// <summary>Hands a frame's alerts to the sink one by one; the frame counts as delivered when the last is accepted.</summary>
    private static async Task<Done> Deliver(IReadOnlyList<AlertCandidate> alerts, IActorRef sink, TimeSpan timeout)
    {
        foreach (var alert in alerts)
            await sink.Ask<AlertAccepted>(alert, timeout);
        return Done.Instance;
    }

    private static Flow<TIn, TOut, NotUsed> Stage<TIn, TOut>(Flow<TIn, TOut, NotUsed> flow, string name, Attributes resume) =>
        flow.WithAttributes(Attributes.CreateName(name).And(OnVisionDispatcher).And(resume)).Async();

    private static Akka.Streams.Supervision.Decider SkipBadFrame(ILoggingAdapter log) => error =>
    {
        // the type only: a message could carry a path or a value derived from a face
        log.Warning("Frame skipped: a pipeline stage threw {ErrorType}", error.GetType().Name);
        return Akka.Streams.Supervision.Directive.Resume;
    };

    private static bool Live(CameraFrame frame, VanPipelineContext context)
    {
        if (context.Deployment.Current is not null) return true;
        frame.Dispose();
        return false;
    }

    /// <summary>Detection where the camera's schedule says (<see cref="VanPipelineSettings.DetectorBudget"/>), its cost counted.</summary>
    private static Func<CameraFrame, IEnumerable<DetectedFrame>> Detect(VanPipelineContext context)
    {
        var schedule = new DetectionSchedule(context.Settings.DetectorBudget);
        return frame =>
        {
            try
            {
                var start = Stopwatch.GetTimestamp();
                var (faces, cost) = context.Engine.Detect(frame.Image, schedule, frame.SourcePosition);
                context.Counters.Detect.Since(start);
                context.Counters.Detected(cost);
                context.Counters.FrameProcessed(faces.Count);
                return [new DetectedFrame(frame, faces)];
            }
            catch
            {
                frame.Dispose();
                throw;
            }
        };
    }

    private static Func<DetectedFrame, IEnumerable<TrackedFrame>> TrackAndEmbed(VanPipelineContext context)
    {
        var settings = context.Settings;
        var tracker = new FaceTracker(settings.Tracker);
        var budgets = new Dictionary<TrackId, EmbedBudget>();
        return detected =>
        {
            var frame = detected.Frame;
            var start = Stopwatch.GetTimestamp();
            try
            {
                var at = frame.SourcePosition;
                var update = tracker.Update(at, detected.Faces);
                context.Counters.TracksStarted(update.Started);
                foreach (var ended in update.Ended) budgets.Remove(ended);

                // which faces are worth an embedding (each track's budget), then those embedded together, as many at
                // once as the engine's parallelism allows, then re-identification in face order as before
                var count = update.Faces.Count;
                var aligned = new Mat?[count];
                try
                {
                    for (var i = 0; i < count; i++)
                    {
                        var (track, face) = update.Faces[i];
                        var budget = budgets.TryGetValue(track, out var b) ? b : budgets[track] = new EmbedBudget();
                        if (!budget.Exhausted(settings) && face.Landmarks is not null)
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
                    context.Counters.TrackEmbed.Since(start);
                    return [new TrackedFrame(frame, observations, update.Ended, merged)];
                }
                finally
                {
                    foreach (var crop in aligned) crop?.Dispose();
                }
            }
            catch
            {
                frame.Dispose();
                throw;
            }
        };
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

    private static Func<TrackedFrame, IEnumerable<MatchedFrame>> Match(VanPipelineContext context)
    {
        var settings = context.Settings;
        // tracks that matched (alert held or raised): boxed in the view, and no second alert for their passage
        var alertedTracks = new Dictionary<TrackId, WatchlistEntryId>();
        var lastSeenAlerted = new Dictionary<WatchlistEntryId, TimeSpan>();
        var passages = new PassageAlerts(context);
        var templates = new TrackTemplates();
        return tracked =>
        {
            if (tracked.Frame is null) return [new MatchedFrame(null, [], passages.ReleaseAll())];
            var frame = tracked.Frame;
            var start = Stopwatch.GetTimestamp();
            try
            {
                var at = frame.SourcePosition;
                var alerts = new List<AlertCandidate>();
                foreach (var (from, into) in tracked.Merged)
                {
                    if (alertedTracks.Remove(from, out var entry)) alertedTracks[into] = entry;
                    alerts.AddRange(passages.Merge(from, into));
                    templates.Merge(from, into);
                }

                var faces = new ViewFace[tracked.Faces.Length];
                // read once per frame: a swap or a wipe applies from the next frame on, never halfway through one
                var deployment = context.Deployment.Current;
                passages.Forget(deployment);
                for (var i = 0; i < faces.Length; i++)
                {
                    var face = tracked.Faces[i];
                    if ((!alertedTracks.ContainsKey(face.Track) || passages.Open(face.Track)) && face.Embedding is { } embedding
                        && deployment is not null && deployment.Watchlist.Count > 0)
                    {
                        var best = deployment.Watchlist.Search(embedding, 1)[0];
                        // the track's views together may resemble the enrolled photo more than this one alone
                        if (templates.Add(face.Track, embedding) is { } template)
                        {
                            var fused = deployment.Watchlist.Search(template, 1)[0];
                            Array.Clear(template);
                            if (fused.Cosine > best.Cosine) best = fused;
                        }
                        var likelihood = settings.Likelihood[best.Cosine];
                        if (likelihood >= deployment.Threshold)
                        {
                            var newPassage = !alertedTracks.ContainsKey(face.Track)
                                             && !(lastSeenAlerted.TryGetValue(best.EntryId, out var seen) && at - seen <= settings.PassageGap);
                            alertedTracks.TryAdd(face.Track, best.EntryId);
                            if (passages.Offer(frame, face, deployment, best, likelihood, at, newPassage) is { } raised) alerts.Add(raised);
                        }
                    }
                    // matched: the embedding has served its purpose and is zeroed, whatever the outcome
                    if (face.Embedding is not null) Array.Clear(face.Embedding);
                    var alerted = alertedTracks.TryGetValue(face.Track, out var alertEntry);
                    if (alerted) lastSeenAlerted[alertEntry] = at;
                    faces[i] = new ViewFace(face.Face.Box, alerted);
                }
                foreach (var ended in tracked.Ended)
                {
                    alertedTracks.Remove(ended);
                    templates.End(ended);
                }
                foreach (var stale in lastSeenAlerted.Where(kv => at - kv.Value > settings.PassageGap).Select(kv => kv.Key).ToList())
                    lastSeenAlerted.Remove(stale);
                alerts.AddRange(passages.ReleaseDue(at, tracked.Ended));
                context.Counters.Match.Since(start);
                return [new MatchedFrame(frame, faces, alerts)];
            }
            catch
            {
                frame.Dispose();
                throw;
            }
        };
    }

    private static AlertCandidate Alert(CameraFrame frame, FaceObservation face, DeploymentSnapshot deployment, WatchlistCandidate match,
        float likelihood, VanPipelineContext context)
    {
        // the face with some context around it, as an operator would want to compare it with the file image
        var box = face.Face.Box;
        var margin = 0.4f * Math.Max(box.Width, box.Height);
        var region = new FaceBox(box.X - margin, box.Y - margin, box.Width + 2 * margin, box.Height + 2 * margin)
            .ToRect(frame.Image.Width, frame.Image.Height);
        using var crop = new Mat(frame.Image, region);
        var jpeg = JpegEncoder.EncodeUnder(crop, context.Settings.MaxCropBytes);
        return new AlertCandidate(AlertId.New(), deployment.Deployment, frame.Camera, face.Track, match.EntryId, match.Category, likelihood,
            context.Engine.EmbeddingModelSha256, context.Settings.Likelihood.Version, frame.CapturedAt, frame.SourcePosition, jpeg);
    }

    private static Func<MatchedFrame, IEnumerable<ProcessedFrame>> OperatorView(VanPipelineContext context)
    {
        var settings = context.Settings;
        var interval = settings.View?.FrameInterval ?? TimeSpan.MaxValue;
        TimeSpan? last = null;
        (long Sequence, DateTimeOffset CapturedAt) latest = default;
        return matched =>
        {
            if (matched.Frame is null) return [new ProcessedFrame(context.Camera, latest.Sequence, latest.CapturedAt, matched.Alerts, null)];
            using var frame = matched.Frame;
            latest = (frame.Sequence, frame.CapturedAt);
            OperatorViewFrame? view = null;
            var at = frame.SourcePosition;
            if (interval != TimeSpan.MaxValue && (last is null || at - last >= interval || at < last))
            {
                last = at;
                view = Render(frame, matched.Faces, settings.View!.Width, settings.ViewSceneBlocks, settings.View.MaxFrameBytes);
            }
            return [new ProcessedFrame(frame.Camera, frame.Sequence, frame.CapturedAt, matched.Alerts, view)];
        };
    }

    /// <summary>
    /// The operator's picture: shrunk, every face that is not an alert pixelated, and with <paramref name="sceneBlocks"/>
    /// the whole scene but the alert faces too (a face the detector missed included); alert faces boxed in red.
    /// </summary>
    internal static OperatorViewFrame Render(CameraFrame frame, IReadOnlyList<ViewFace> faces, int width, int sceneBlocks, int maxBytes)
    {
        var scale = Math.Min(1f, (float)width / frame.Image.Width);
        using var view = scale < 1
            ? frame.Image.Resize(new Size(width, (int)Math.Round(frame.Image.Height * scale)), interpolation: InterpolationFlags.Area)
            : frame.Image.Clone();
        var boxes = faces.Select(f => (f.Alert, Rect: f.Box.Scale(scale).ToRect(view.Width, view.Height))).ToList();
        var alertBoxes = boxes.Where(b => b.Alert).Select(b => b.Rect).ToList();
        if (sceneBlocks > 0) Pixelation.PixelateAllBut(view, alertBoxes, sceneBlocks);
        foreach (var (alert, rect) in boxes)
            if (!alert) Pixelation.Pixelate(view, rect);
        // boxes last, so that no pixelation of a neighbour paints over an alert face
        foreach (var rect in alertBoxes)
            Cv2.Rectangle(view, rect, Scalar.Red, 2);
        var alerts = alertBoxes.Count;
        var jpeg = JpegEncoder.EncodeUnder(view, maxBytes);
        return new OperatorViewFrame(frame.Camera, frame.Sequence, frame.CapturedAt, jpeg, faces.Count, alerts);
    }

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

    private sealed record DetectedFrame(CameraFrame Frame, IReadOnlyList<DetectedFace> Faces);

    private sealed record FaceObservation(TrackId Track, DetectedFace Face, float[]? Embedding);

    /// <param name="Frame">Null only in <see cref="End"/>.</param>
    private sealed record TrackedFrame(CameraFrame? Frame, FaceObservation[] Faces, IReadOnlyList<TrackId> Ended, IReadOnlyList<(TrackId From, TrackId Into)> Merged)
    {
        /// <summary>After the last frame: no picture, only the cue to release what is held.</summary>
        public static readonly TrackedFrame End = new(null, [], [], []);
    }

    internal readonly record struct ViewFace(FaceBox Box, bool Alert);

    /// <param name="Frame">Null after the last frame, when only the alerts still held come out.</param>
    private sealed record MatchedFrame(CameraFrame? Frame, IReadOnlyList<ViewFace> Faces, IReadOnlyList<AlertCandidate> Alerts);

    /// <summary>
    /// Per live track, the sum of the embeddings of its captures that were matched. Their mean, re-normalised, is matched
    /// beside each capture's own embedding and the better of the two counts: several views of one passage together
    /// resemble the enrolled photo more often than any single view does (on lfw-dev passages of three photos, 77 of 100
    /// enrolled walkers reach 0.6 against 72 for the best single photo, with no false alert in either). In memory only;
    /// zeroed when the track ends, like the tracker's own embedding.
    /// </summary>
    private sealed class TrackTemplates
    {
        private readonly Dictionary<TrackId, Template> _tracks = [];
        private float[] _mean = [];

        /// <summary>Adds a capture's embedding to its track; the track's mean (a buffer zeroed by the caller after use) once it holds two or more.</summary>
        public float[]? Add(TrackId track, float[] embedding)
        {
            if (!_tracks.TryGetValue(track, out var template)) _tracks[track] = template = new Template(embedding.Length);
            template.Add(embedding);
            if (template.Count < 2) return null;
            if (_mean.Length != embedding.Length) _mean = new float[embedding.Length];
            TensorPrimitives.Divide(template.Sum, TensorPrimitives.Norm(template.Sum), _mean);
            return _mean;
        }

        public void Merge(TrackId from, TrackId into)
        {
            if (!_tracks.Remove(from, out var moved)) return;
            if (_tracks.TryGetValue(into, out var kept))
            {
                kept.Absorb(moved);
                moved.Forget();
            }
            else
            {
                _tracks[into] = moved;
            }
        }

        public void End(TrackId track)
        {
            if (_tracks.Remove(track, out var template)) template.Forget();
        }

        private sealed class Template(int dimensions)
        {
            public float[] Sum { get; } = new float[dimensions];
            public int Count { get; private set; }

            public void Add(float[] embedding)
            {
                TensorPrimitives.Add(Sum, embedding, Sum);
                Count++;
            }

            public void Absorb(Template other)
            {
                TensorPrimitives.Add(Sum, other.Sum, Sum);
                Count += other.Count;
            }

            public void Forget() => Array.Clear(Sum);
        }
    }

    /// <summary>
    /// One alert per passage, raised by the passage's first capture that reaches the threshold, so that it goes out at
    /// once; for <see cref="VanPipelineSettings.ImprovementWindow"/> after it, the best capture that beats every earlier
    /// one by <see cref="VanPipelineSettings.ImprovementMargin"/> is held and then sent as an improved capture: a candidate
    /// of its own (a new id) with the passage's camera, first track and entry (<see cref="AlertCandidate.Passage"/>),
    /// which the control room adds to the passage's alert. At most one per passage. A held capture is sent when the
    /// window closes, when its track ends or when the stream ends (a camera that stalls or is stopped drains first);
    /// it is dropped (crop zeroed) only when its deployment ends or its watchlist is wiped.
    /// </summary>
    private sealed class PassageAlerts(VanPipelineContext context)
    {
        private readonly Dictionary<TrackId, Passage> _open = [];

        /// <summary>The track's passage may still improve its alert.</summary>
        public bool Open(TrackId track) => _open.ContainsKey(track);

        /// <summary>
        /// A capture that reached the threshold: the alert when it opens a new passage; otherwise, if it belongs to an
        /// open passage of the same entry (its track, or another track of the entry: the tracker split the passage) and
        /// is clearly better than every capture so far, it becomes the passage's held improvement.
        /// </summary>
        public AlertCandidate? Offer(CameraFrame frame, FaceObservation face, DeploymentSnapshot deployment, WatchlistCandidate match,
            float likelihood, TimeSpan at, bool newPassage)
        {
            var passage = _open.TryGetValue(face.Track, out var own) ? own : _open.Values.FirstOrDefault(p => p.Entry == match.EntryId);
            if (passage is not null)
            {
                if (passage.Entry != match.EntryId || likelihood < passage.Best + context.Settings.ImprovementMargin) return null;
                passage.Hold(Alert(frame, face, deployment, match, likelihood, context) with { Track = passage.Track });
                return null;
            }
            if (!newPassage) return null;
            var alert = Alert(frame, face, deployment, match, likelihood, context);
            _open[face.Track] = new Passage(alert, at + context.Settings.ImprovementWindow);
            context.Counters.AlertRaised();
            context.Counters.Alert.Record(context.Time.GetUtcNow() - frame.CapturedAt);
            return alert;
        }

        /// <summary>The tracker folded <paramref name="from"/> into <paramref name="into"/>: one passage, one improvement at most.</summary>
        public IReadOnlyList<AlertCandidate> Merge(TrackId from, TrackId into)
        {
            if (!_open.Remove(from, out var moved)) return [];
            if (!_open.TryGetValue(into, out var kept))
            {
                _open[into] = moved;
                return [];
            }
            if (moved.Entry == kept.Entry)
            {
                kept.Absorb(moved);
                return [];
            }
            // two passages of different people on one track: the folded one is over
            return moved.Pending is { } pending ? [pending] : [];
        }

        /// <summary>Drops the held captures of a deployment that is no longer live, or of a wiped watchlist.</summary>
        public void Forget(DeploymentSnapshot? deployment)
        {
            foreach (var (track, passage) in _open.ToList())
            {
                if (deployment is not null && deployment.Watchlist.Count > 0 && passage.Deployment == deployment.Deployment) continue;
                passage.Discard();
                _open.Remove(track);
            }
        }

        /// <summary>Closes the passages whose window is over or whose track ended: their held improvements.</summary>
        public IReadOnlyList<AlertCandidate> ReleaseDue(TimeSpan at, IReadOnlyList<TrackId> ended) =>
            _open.Count == 0 ? [] : Close(_open.Where(p => p.Value.Closes <= at || ended.Contains(p.Key)).Select(p => p.Key).ToList());

        /// <summary>The stream ended: every held improvement, if its deployment is still live.</summary>
        public IReadOnlyList<AlertCandidate> ReleaseAll()
        {
            Forget(context.Deployment.Current);
            return Close(_open.Keys.ToList());
        }

        private List<AlertCandidate> Close(List<TrackId> tracks)
        {
            var improvements = new List<AlertCandidate>();
            foreach (var track in tracks)
            {
                _open.Remove(track, out var passage);
                if (passage!.Pending is { } pending) improvements.Add(pending);
            }
            return improvements;
        }

        /// <summary>An alert already sent, and the capture that may still improve it. Holds no image but that capture's.</summary>
        private sealed class Passage(AlertCandidate alert, TimeSpan closes)
        {
            public DeploymentId Deployment { get; } = alert.Deployment;
            public WatchlistEntryId Entry { get; } = alert.EntryId;
            public TrackId Track { get; } = alert.Track;
            public float Best { get; private set; } = alert.Likelihood;
            public TimeSpan Closes { get; private set; } = closes;
            public AlertCandidate? Pending { get; private set; }

            public void Hold(AlertCandidate better)
            {
                Discard();
                Pending = better;
                Best = better.Likelihood;
            }

            public void Absorb(Passage other)
            {
                if (other.Pending is { } theirs && theirs.Likelihood > (Pending?.Likelihood ?? Best)) Hold(theirs with { Track = Track });
                else other.Discard();
                Best = Math.Max(Best, other.Best);
                if (other.Closes < Closes) Closes = other.Closes;
            }

            public void Discard()
            {
                if (Pending is not null) Array.Clear(Pending.FaceJpeg);
                Pending = null;
            }
        }
    }
}
