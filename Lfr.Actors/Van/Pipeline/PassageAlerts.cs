using Lfr.Vision.Watchlists;
using static Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Actors.Van.Pipeline;

/// <summary>
/// One camera's alert rules, one per passage. A passage's alert is raised by its first capture that reaches the
/// threshold, so that it goes out at once; another track of the same entry within <see cref="VanPipelineSettings.PassageGap"/>
/// of the last sighting is the same passage (the tracker lost and re-found the person), not a new alert. For
/// <see cref="VanPipelineSettings.ImprovementWindow"/> after the alert, the best capture that beats every earlier one by
/// <see cref="VanPipelineSettings.ImprovementMargin"/> is held and then sent as an improved capture: a candidate of its own
/// (a new id) with the passage's camera, first track and entry (<see cref="AlertCandidate.Passage"/>), which the control
/// room adds to the passage's alert. At most one per passage. A held capture is sent when the window closes, when its
/// track ends or when the stream ends (a camera that stalls or is stopped drains first); it is dropped (crop zeroed)
/// only when its deployment ends or its watchlist is wiped. Alerted tracks stay boxed in the operator view.
/// </summary>
/// <remarks>
/// Per frame: <see cref="Merge"/> for each pair the tracker folded, <see cref="Forget"/> with the deployment in force,
/// then for each face <see cref="Wants"/>, <see cref="Reached"/> for a capture at or over the threshold and
/// <see cref="Seen"/>, and last <see cref="EndOfFrame"/>. One stream's state: not thread-safe.
/// </remarks>
public sealed class PassageAlerts(VanPipelineSettings settings)
{
    // tracks that matched (alert raised or passage continued): boxed in the view, and no second alert for their passage
    private readonly Dictionary<TrackId, WatchlistEntryId> _alertedTracks = [];
    private readonly Dictionary<WatchlistEntryId, TimeSpan> _lastSeen = [];
    private readonly Dictionary<TrackId, Passage> _open = [];

    /// <summary>A face of this track is worth matching: its track has no alert yet, or its passage may still improve.</summary>
    public bool Wants(TrackId track) => !_alertedTracks.ContainsKey(track) || _open.ContainsKey(track);

    /// <summary>
    /// A capture of <paramref name="track"/> at <paramref name="at"/> whose best match, <paramref name="entry"/>, reached
    /// the threshold. Returns the alert when it opens a new passage. Otherwise, if it belongs to an open passage of the
    /// same entry (its track, or another track of the entry: the tracker split the passage) and is clearly better than
    /// every capture so far, it becomes the passage's held improvement. <paramref name="capture"/> makes the candidate
    /// (its crop), and is called only when one is kept.
    /// </summary>
    public AlertCandidate? Reached(TrackId track, WatchlistEntryId entry, float likelihood, TimeSpan at, Func<AlertCandidate> capture)
    {
        var newPassage = !_alertedTracks.ContainsKey(track) && !(_lastSeen.TryGetValue(entry, out var seen) && at - seen <= settings.PassageGap);
        _alertedTracks.TryAdd(track, entry);
        var passage = _open.TryGetValue(track, out var own) ? own : _open.Values.FirstOrDefault(p => p.Entry == entry);
        if (passage is not null)
        {
            if (passage.Entry != entry || likelihood < passage.Best + settings.ImprovementMargin) return null;
            passage.Hold(capture() with { Track = passage.Track });
            return null;
        }
        if (!newPassage) return null;
        var alert = capture();
        _open[track] = new Passage(alert, at + settings.ImprovementWindow);
        return alert;
    }

    /// <summary>A face of <paramref name="track"/> was in the frame at <paramref name="at"/>: true when it is an alerted face (shown boxed).</summary>
    public bool Seen(TrackId track, TimeSpan at)
    {
        if (!_alertedTracks.TryGetValue(track, out var entry)) return false;
        _lastSeen[entry] = at;
        return true;
    }

    /// <summary>The tracker folded <paramref name="from"/> into <paramref name="into"/>: one passage, one improvement at most.</summary>
    public IReadOnlyList<AlertCandidate> Merge(TrackId from, TrackId into)
    {
        if (_alertedTracks.Remove(from, out var entry)) _alertedTracks[into] = entry;
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

    /// <summary>After the frame's faces: <paramref name="ended"/> tracks are over, and the passages due close with their held improvements.</summary>
    public IReadOnlyList<AlertCandidate> EndOfFrame(TimeSpan at, IReadOnlyList<TrackId> ended)
    {
        foreach (var track in ended) _alertedTracks.Remove(track);
        foreach (var stale in _lastSeen.Where(kv => at - kv.Value > settings.PassageGap).Select(kv => kv.Key).ToList())
            _lastSeen.Remove(stale);
        return _open.Count == 0 ? [] : Close(_open.Where(p => p.Value.Closes <= at || ended.Contains(p.Key)).Select(p => p.Key).ToList());
    }

    /// <summary>The stream ended: every held improvement, if its deployment is still the one in force.</summary>
    public IReadOnlyList<AlertCandidate> ReleaseAll(DeploymentSnapshot? deployment)
    {
        Forget(deployment);
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
