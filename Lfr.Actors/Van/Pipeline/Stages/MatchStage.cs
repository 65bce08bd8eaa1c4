using Akka;
using Akka.Streams.Dsl;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Detection;
using Lfr.Vision.Imaging;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;
using OpenCvSharp;
using static Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Actors.Van.Pipeline.Stages;

/// <summary>
/// Each embedded face against the deployment's watchlist (its own embedding, and its track's views together), the
/// camera's <see cref="PassageAlerts"/> deciding what is an alert; every embedding zeroed once matched. After the last
/// frame (<see cref="TrackedFrame.End"/>) the improvements still held go out.
/// </summary>
internal static class MatchStage
{
    public static Flow<TrackedFrame, MatchedFrame, NotUsed> Create(VanPipelineContext context) =>
        // the end marker lets match release the alerts it still holds when the stream completes
        PipelineStage.Create<TrackedFrame, MatchedFrame>("match", context.Log, Flow.Create<TrackedFrame>().Concat(Source.Single(TrackedFrame.End)), () =>
        {
            var passages = new PassageAlerts(context.Settings);
            var templates = new TrackTemplates();
            var match = PipelineStage.Timed(context.Counters.Match, (TrackedFrame tracked) =>
                PipelineStage.DisposeOnThrow(tracked.Frame!, () => Match(tracked, tracked.Frame!, passages, templates, context)));
            return tracked => tracked.Frame is null ? new MatchedFrame(null, [], passages.ReleaseAll(context.Deployment.Current)) : match(tracked);
        });

    private static MatchedFrame Match(TrackedFrame tracked, CameraFrame frame, PassageAlerts passages, TrackTemplates templates, VanPipelineContext context)
    {
        var at = frame.SourcePosition;
        var alerts = new List<AlertCandidate>();
        foreach (var (from, into) in tracked.Merged)
        {
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
            if (passages.Wants(face.Track) && face.Embedding is { } embedding && deployment is not null && deployment.Watchlist.Count > 0)
            {
                var best = BestMatch(face, embedding, deployment.Watchlist, templates);
                var likelihood = context.Settings.Likelihood[best.Cosine];
                if (likelihood >= deployment.Threshold
                    && passages.Reached(face.Track, best.EntryId, likelihood, at, () => Candidate(frame, face, deployment, best, likelihood, context)) is { } raised)
                {
                    context.Counters.AlertRaised();
                    context.Counters.Alert.Record(context.Time.GetUtcNow() - frame.CapturedAt);
                    alerts.Add(raised);
                }
            }
            // matched: the embedding has served its purpose and is zeroed, whatever the outcome
            if (face.Embedding is not null) Array.Clear(face.Embedding);
            faces[i] = new ViewFace(face.Face.Box, passages.Seen(face.Track, at));
        }
        foreach (var ended in tracked.Ended) templates.End(ended);
        alerts.AddRange(passages.EndOfFrame(at, tracked.Ended));
        return new MatchedFrame(frame, faces, alerts);
    }

    private static WatchlistCandidate BestMatch(FaceObservation face, float[] embedding, WatchlistIndex watchlist, TrackTemplates templates)
    {
        var best = watchlist.Search(embedding, 1)[0];
        // the track's views together may resemble the enrolled photo more than this one alone
        if (templates.Add(face.Track, embedding) is { } template)
        {
            var fused = watchlist.Search(template, 1)[0];
            Array.Clear(template);
            if (fused.Cosine > best.Cosine) best = fused;
        }
        return best;
    }

    private static AlertCandidate Candidate(CameraFrame frame, FaceObservation face, DeploymentSnapshot deployment, WatchlistCandidate match,
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
}
