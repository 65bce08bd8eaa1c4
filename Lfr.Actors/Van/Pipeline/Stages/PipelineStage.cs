using System.Diagnostics;
using Akka;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Lfr.Actors.Van.Cameras;

namespace Lfr.Actors.Van.Pipeline.Stages;

/// <summary>
/// What every stage of a camera's graph shares: a name, the vision dispatcher, a bad frame skipped (disposed, logged by
/// type) instead of failing the graph, its time recorded as a pass-through around its body, and one dispose-on-throw.
/// </summary>
internal static class PipelineStage
{
    private static readonly Attributes OnVisionDispatcher = ActorAttributes.CreateDispatcher(VanConfig.VisionDispatcher);

    /// <summary>
    /// A stage of one element out per element in. <paramref name="body"/> is called once per materialisation, so the
    /// state it closes over (a tracker, open passages) belongs to one run of one camera's graph.
    /// </summary>
    public static Flow<TIn, TOut, NotUsed> Create<TIn, TOut>(string name, ILoggingAdapter log, Func<Func<TIn, TOut>> body) =>
        Create(name, log, Flow.Create<TIn>(), body);

    /// <summary>As <see cref="Create{TIn,TOut}(string,ILoggingAdapter,Func{Func{TIn,TOut}})"/>, after <paramref name="before"/> inside the same stage.</summary>
    public static Flow<TIn, TOut, NotUsed> Create<TIn, TOut>(string name, ILoggingAdapter log, Flow<TIn, TIn, NotUsed> before, Func<Func<TIn, TOut>> body) =>
        before.StatefulSelectMany<TIn, TIn, TOut, NotUsed>(() =>
            {
                var one = body();
                return element => [one(element)];
            })
            .WithAttributes(Attributes.CreateName(name).And(OnVisionDispatcher).And(ActorAttributes.CreateSupervisionStrategy(SkipBadFrame(log))));

    /// <summary><paramref name="body"/> unchanged, its time per element recorded in <paramref name="window"/> (not when it throws).</summary>
    public static Func<TIn, TOut> Timed<TIn, TOut>(LatencyWindow window, Func<TIn, TOut> body) => element =>
    {
        var start = Stopwatch.GetTimestamp();
        var result = body(element);
        window.Since(start);
        return result;
    };

    /// <summary>A stage's work on a frame it owns: if the work throws, the frame is disposed before the stage skips it.</summary>
    public static T DisposeOnThrow<T>(CameraFrame frame, Func<T> work)
    {
        try
        {
            return work();
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    private static Akka.Streams.Supervision.Decider SkipBadFrame(ILoggingAdapter log) => error =>
    {
        // the type only: a message could carry a path or a value derived from a face
        log.Warning("Frame skipped: a pipeline stage threw {ErrorType}", error.GetType().Name);
        return Akka.Streams.Supervision.Directive.Resume;
    };
}
