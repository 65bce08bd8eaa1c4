using Lfr.Actors.Van;
using Lfr.Actors.Van.Tracking;
using Lfr.Vision.Detection;

namespace Lfr.Tests.Actors.Van;

public sealed class FaceTrackerSpecs
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Tracker_should_keep_two_people_walking_past_each_other_on_their_own_tracks()
    {
        var tracker = new FaceTracker();
        var ids = new HashSet<TrackId>();
        TrackId? left = null;
        for (var i = 0; i < 30; i++)
        {
            // 60 px faces moving 25 px a frame, in opposite directions, in two lanes
            var update = tracker.Update(Frame * i, [Face(100 + 25 * i, 100), Face(900 - 25 * i, 180)]);
            foreach (var f in update.Faces) ids.Add(f.Track);
            left ??= update.Faces[0].Track;
            Assert.Equal(left, update.Faces[0].Track);
        }
        Assert.Equal(2, ids.Count);
    }

    [Fact]
    public void Tracker_should_end_a_passage_once_the_face_is_gone_for_longer_than_max_lost()
    {
        var tracker = new FaceTracker(new TrackerSettings { MaxLost = TimeSpan.FromSeconds(1) });
        var first = tracker.Update(TimeSpan.Zero, [Face(100, 100)]).Faces[0].Track;
        Assert.Empty(tracker.Update(TimeSpan.FromSeconds(0.9), []).Ended);
        var later = tracker.Update(TimeSpan.FromSeconds(1.2), []);
        Assert.Equal([first], later.Ended);
        Assert.Equal(0, tracker.LiveTracks);
    }

    [Fact]
    public void Tracker_should_fold_a_new_track_into_a_lost_one_when_the_embedding_says_same_person()
    {
        var tracker = new FaceTracker();
        var person = Unit(1);
        var stranger = Unit(2);
        var first = tracker.Update(TimeSpan.Zero, [Face(100, 100)]).Faces[0].Track;
        Assert.Equal(first, tracker.Reidentify(first, person));

        // seen again far away (occluded in between): a new track by position, the same person by embedding
        var again = tracker.Update(TimeSpan.FromSeconds(0.5), [Face(600, 100)]).Faces[0].Track;
        Assert.NotEqual(first, again);
        Assert.Equal(first, tracker.Reidentify(again, person));
        Assert.Equal(1, tracker.LiveTracks);

        var other = tracker.Update(TimeSpan.FromSeconds(0.6), [Face(600, 100), Face(200, 300)]).Faces[1].Track;
        Assert.Equal(other, tracker.Reidentify(other, stranger));
    }

    private static DetectedFace Face(float x, float y) => new(new FaceBox(x, y, 60, 70), 0.99f);

    private static float[] Unit(int axis)
    {
        var v = new float[512];
        v[axis] = 1;
        return v;
    }
}
