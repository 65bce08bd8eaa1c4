using System.Globalization;
using Akka.Actor;
using Lfr.Vision;
using Lfr.Vision.Evaluation;
using Lfr.Vision.Imaging;
using Lfr.Vision.Photos;
using Lfr.Vision.Watchlists;
using OpenCvSharp;
using static Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>
/// Turns a build's file images into embeddings with the same rule as <c>lfr watchlist build</c>: exactly one good face
/// (<see cref="SubjectRule.SingleGoodFace"/>), so an image below the quality floor (size, blur, pose) is refused with the
/// reason. An entry of several file images gets the mean of their embeddings as its template (as the command does) and
/// its images ordered the most typical first (<see cref="FileImageOrder"/>). It answers its parent with every
/// template, or with every image that has no usable face; never with part of them. It runs the models, so it lives on
/// the store dispatcher, apart from the default dispatcher that carries cluster heartbeats.
/// </summary>
public sealed class WatchlistEnrolmentActor : ReceiveActor
{
    public WatchlistEnrolmentActor(FaceEngine engine)
    {
        Receive<Enrol>(enrol => Sender.Tell(Run(engine, enrol)));
    }

    public static Props Props(FaceEngine engine) => Akka.Actor.Props.Create(() => new WatchlistEnrolmentActor(engine));

    /// <summary>The embeddings of <paramref name="images"/>, in order, or the problem of each image without one usable face.</summary>
    public static (float[][]? Embeddings, IReadOnlyList<EntryProblem> Problems) Embed(FaceEngine engine,
        IReadOnlyList<(Vision.Watchlists.WatchlistEntryId Entry, byte[] Image)> images)
    {
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
        });
        var found = problems.OfType<EntryProblem>().ToList();
        return found.Count == 0 ? (embeddings, []) : (null, found);
    }

    /// <summary>
    /// Each entry's template (the mean of its file images' embeddings) and the entry with its images the most typical
    /// first; or the problem of every image without one usable face ("file image 2 of 3: ..." for an entry of several).
    /// </summary>
    public static (IReadOnlyList<(WatchlistEntryDraft Entry, float[] Template)>? Enrolled, IReadOnlyList<EntryProblem> Problems) EnrolEntries(
        FaceEngine engine, IReadOnlyList<WatchlistEntryDraft> entries)
    {
        var images = entries.SelectMany(e => e.AllFileImages().Select((image, k) => (Entry: e, Index: k, Image: image))).ToList();
        // each image goes in under its place in this list, so a problem names the image, not only the entry
        var (embeddings, problems) = Embed(engine, [.. images.Select((image, i) => (new WatchlistEntryId(i.ToString(CultureInfo.InvariantCulture)), image.Image))]);
        if (embeddings is null)
            return (null, [.. problems.Select(p =>
            {
                var (entry, index, _) = images[int.Parse(p.Entry.Value, CultureInfo.InvariantCulture)];
                var count = entry.AllFileImages().Count;
                return new EntryProblem(entry.Id, count == 1 ? p.Reason : $"file image {index + 1} of {count}: {p.Reason}");
            })]);
        var enrolled = new List<(WatchlistEntryDraft, float[])>();
        var next = 0;
        foreach (var entry in entries)
        {
            var own = embeddings.Skip(next).Take(entry.AllFileImages().Count).ToList();
            next += own.Count;
            var template = OpenSetIdentification.Fuse(own.Select(e => (entry.Id.Value, e)).ToList(), GalleryFusion.Mean)[0].Embedding;
            var order = FileImageOrder.BestFirst(template, own);
            var all = entry.AllFileImages();
            enrolled.Add((entry with { FileImage = all[order[0]], MoreFileImages = [.. order.Skip(1).Select(k => all[k])] }, template));
            foreach (var embedding in own) Array.Clear(embedding);
        }
        return (enrolled, []);
    }

    private static object Run(FaceEngine engine, Enrol enrol)
    {
        var (enrolled, problems) = EnrolEntries(engine, enrol.Build.Entries);
        return enrolled is null
            ? new NotEnrolled(enrol.Build, enrol.ReplyTo, problems)
            : new Enrolled(enrol.Build with { Entries = [.. enrolled.Select(e => e.Entry)] }, enrol.ReplyTo,
                [.. enrolled.Select(e => e.Template)], engine.EmbeddingModelSha256);
    }

    internal sealed record Enrol(BuildWatchlist Build, IActorRef ReplyTo);

    internal sealed record Enrolled(BuildWatchlist Build, IActorRef ReplyTo, float[][] Embeddings, string ModelSha256);

    internal sealed record NotEnrolled(BuildWatchlist Build, IActorRef ReplyTo, IReadOnlyList<EntryProblem> Problems);
}
