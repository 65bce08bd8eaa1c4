using Lfr.Actors.Van;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>One alert per passage and its one improved capture, decided without models, frames or an actor system.</summary>
public sealed class PassageAlertsSpecs
{
    private static readonly VanPipelineSettings Settings = new() { Likelihood = new LikelihoodMap("spec", c => c) };
    private static readonly WatchlistEntryId Wanted = new("wanted-1");
    private static readonly DeploymentSnapshot Live = Snapshot(entries: 1);
    private readonly PassageAlerts _passages = new(Settings);

    [Fact]
    public void A_passage_should_raise_its_alert_at_its_first_capture_over_the_threshold_and_no_second()
    {
        var alert = Capture(Track(1), 0.70f, Seconds(0));
        Assert.NotNull(alert);
        Assert.True(_passages.Seen(Track(1), Seconds(0)), "an alerted face stays boxed in the view");

        // the same capture quality again: no second alert, and nothing held
        Assert.Null(Capture(Track(1), 0.70f, Seconds(0.1)));
        Assert.Empty(_passages.EndOfFrame(Seconds(1), []));
        Assert.False(_passages.Wants(Track(1)), "a track whose passage is over is not matched again");
        Assert.False(_passages.Seen(Track(2), Seconds(1)), "a face with no alert is not shown");
    }

    [Fact]
    public void A_clearly_better_capture_should_follow_the_alert_as_one_improvement_when_the_window_closes()
    {
        var alert = Capture(Track(1), 0.70f, Seconds(0))!;
        // within the margin: not better enough
        Assert.Null(Capture(Track(1), 0.72f, Seconds(0.1)));
        Assert.Null(Capture(Track(1), 0.80f, Seconds(0.2)));
        var replaced = _lastCapture!;
        Assert.Null(Capture(Track(1), 0.85f, Seconds(0.3)));
        Assert.All(replaced.FaceJpeg, b => Assert.Equal(0, b));
        Assert.True(_passages.Wants(Track(1)), "an open passage is still matched");
        Assert.Empty(_passages.EndOfFrame(Seconds(0.4), []));

        var improvement = Assert.Single(_passages.EndOfFrame(Seconds(0.5), []));
        Assert.Equal(alert.Passage, improvement.Passage);
        Assert.NotEqual(alert.Id, improvement.Id);
        Assert.Equal(0.85f, improvement.Likelihood);
        // the passage is closed: a still better capture changes nothing
        Assert.False(_passages.Wants(Track(1)));
        Assert.Empty(_passages.EndOfFrame(Seconds(1), []));
    }

    [Fact]
    public void Another_track_of_the_entry_should_be_the_same_passage_within_the_gap_and_a_new_one_after_it()
    {
        Assert.NotNull(Capture(Track(1), 0.70f, Seconds(0)));
        _passages.Seen(Track(1), Seconds(1));
        _passages.EndOfFrame(Seconds(1), [Track(1)]);

        // the tracker lost the person and found them again as track 2
        Assert.Null(Capture(Track(2), 0.70f, Seconds(5)));
        Assert.True(_passages.Seen(Track(2), Seconds(5)), "the re-found face is boxed as the alert's");
        _passages.EndOfFrame(Seconds(5), [Track(2)]);

        // long after the last sighting: a new passage
        _passages.EndOfFrame(Seconds(16), []);
        var second = Capture(Track(3), 0.70f, Seconds(16));
        Assert.NotNull(second);
    }

    [Fact]
    public void A_held_capture_should_go_out_when_its_track_ends_or_the_stream_does()
    {
        Capture(Track(1), 0.70f, Seconds(0));
        Capture(Track(1), 0.90f, Seconds(0.1));
        Assert.Single(_passages.EndOfFrame(Seconds(0.2), [Track(1)]));

        Capture(Track(2), 0.70f, Seconds(20));
        Capture(Track(2), 0.90f, Seconds(20.1));
        Assert.Single(_passages.ReleaseAll(Live));
    }

    [Fact]
    public void A_held_capture_should_be_dropped_and_zeroed_when_the_watchlist_is_wiped_or_the_deployment_ends()
    {
        Capture(Track(1), 0.70f, Seconds(0));
        Capture(Track(1), 0.90f, Seconds(0.1));
        var held = _lastCapture!;
        _passages.Forget(Snapshot(entries: 0));
        Assert.All(held.FaceJpeg, b => Assert.Equal(0, b));
        Assert.Empty(_passages.ReleaseAll(Live));

        Capture(Track(2), 0.70f, Seconds(20));
        Capture(Track(2), 0.90f, Seconds(20.1));
        Assert.Empty(_passages.ReleaseAll(null));
    }

    [Fact]
    public void Two_tracks_folded_into_one_should_keep_one_passage_and_its_best_capture()
    {
        // the tracker split one person into tracks 1 and 2, then re-identified 2 as 1
        var alert = Capture(Track(1), 0.70f, Seconds(0))!;
        Assert.Null(Capture(Track(2), 0.80f, Seconds(0.1)));
        Assert.Empty(_passages.Merge(Track(2), Track(1)));
        Assert.Null(Capture(Track(1), 0.75f, Seconds(0.2)));

        var improvement = Assert.Single(_passages.EndOfFrame(Seconds(0.6), []));
        Assert.Equal(alert.Passage, improvement.Passage);
        Assert.Equal(0.80f, improvement.Likelihood);
    }

    private AlertCandidate? _lastCapture;

    private AlertCandidate? Capture(TrackId track, float likelihood, TimeSpan at) =>
        _passages.Reached(track, Wanted, likelihood, at, () => _lastCapture = new AlertCandidate(AlertId.New(), Live.Deployment, new CameraId("cam-a"),
            track, Wanted, WatchlistCategory.CourtWarrant, likelihood, "model", "spec", DateTimeOffset.UnixEpoch + at, at, [1, 2, 3]));

    private static TrackId Track(long id) => new(id);

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    private static DeploymentSnapshot Snapshot(int entries)
    {
        var embedding = new float[WatchlistEntry.DefaultEmbeddingLength];
        embedding[0] = 1;
        var list = Enumerable.Range(0, entries).Select(_ => new WatchlistEntry(Wanted, WatchlistCategory.CourtWarrant, embedding)).ToList();
        return new DeploymentSnapshot(new DeploymentId("spec"), 0.6f, WatchlistIndex.Build(list, VectorStorage.Float32));
    }
}
