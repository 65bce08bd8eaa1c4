using Akka.Actor;
using Lfr.Vision;
using Lfr.Vision.Imaging;
using Lfr.Vision.Photos;
using OpenCvSharp;
using static Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>
/// Turns a build's file images into embeddings with the same rule as <c>lfr watchlist build</c>: exactly one good face
/// (<see cref="SubjectRule.SingleGoodFace"/>). It answers its parent with every embedding, or with every entry that
/// has no usable face; never with part of them. It runs the models, so it lives on the store dispatcher, apart from
/// the default dispatcher that carries cluster heartbeats.
/// </summary>
public sealed class WatchlistEnrolmentActor : ReceiveActor
{
    public WatchlistEnrolmentActor(FaceEngine engine)
    {
        Receive<Enrol>(enrol =>
        {
            var parent = Sender;
            var watchlist = enrol.Build.Watchlist;
            var total = enrol.Build.Entries.Count;
            // about a hundred reports per build, told from the enrolling threads (Tell is thread-safe)
            var every = Math.Max(1, total / 100);
            parent.Tell(Run(engine, enrol, done =>
            {
                if (done % every == 0 || done == total) parent.Tell(new Progress(watchlist, done, total));
            }));
        });
    }

    public static Props Props(FaceEngine engine) => Akka.Actor.Props.Create(() => new WatchlistEnrolmentActor(engine));

    /// <summary>The embeddings of <paramref name="images"/>, in order, or the problem of each image without one usable face.</summary>
    public static (float[][]? Embeddings, IReadOnlyList<EntryProblem> Problems) Embed(FaceEngine engine,
        IReadOnlyList<(Vision.Watchlists.WatchlistEntryId Entry, byte[] Image)> images, Action<int>? progress = null)
    {
        var done = 0;
        var embeddings = new float[images.Count][];
        var problems = new EntryProblem?[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, engine.Options.Parallelism) }, i =>
        {
            var (entry, image) = images[i];
            using var decoded = SafeImageDecoder.Decode(image);
            if (!decoded.IsSuccess)
            {
                problems[i] = new EntryProblem(entry, "the file image cannot be read: " + decoded.Error!.Reason);
                return;
            }
            try
            {
                var subject = SubjectFace.From(engine, decoded.Image!, entry.Value, SubjectRule.SingleGoodFace);
                if (subject.Ok) embeddings[i] = subject.Embedding!;
                else problems[i] = new EntryProblem(entry, subject.Error!);
            }
            catch (OpenCVException e)
            {
                problems[i] = new EntryProblem(entry, "the file image cannot be processed: " + e.Message);
            }
            finally
            {
                progress?.Invoke(Interlocked.Increment(ref done));
            }
        });
        var found = problems.OfType<EntryProblem>().ToList();
        return found.Count == 0 ? (embeddings, []) : (null, found);
    }

    private static object Run(FaceEngine engine, Enrol enrol, Action<int> progress)
    {
        var (embeddings, problems) = Embed(engine, enrol.Build.Entries.Select(e => (e.Id, e.FileImage)).ToList(), progress);
        return embeddings is null
            ? new NotEnrolled(enrol.Build, enrol.ReplyTo, problems)
            : new Enrolled(enrol.Build, enrol.ReplyTo, embeddings, engine.EmbeddingModelSha256, enrol.Adding);
    }

    /// <param name="Adding">Entries for a watchlist already built (<see cref="AddEntries"/>), not a new one.</param>
    internal sealed record Enrol(BuildWatchlist Build, IActorRef ReplyTo, bool Adding = false);

    internal sealed record Progress(WatchlistId Watchlist, int Done, int Total);

    internal sealed record Enrolled(BuildWatchlist Build, IActorRef ReplyTo, float[][] Embeddings, string ModelSha256, bool Adding);

    internal sealed record NotEnrolled(BuildWatchlist Build, IActorRef ReplyTo, IReadOnlyList<EntryProblem> Problems);
}
