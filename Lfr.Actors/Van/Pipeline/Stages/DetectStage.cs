using Akka;
using Akka.Streams.Dsl;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Detection;

namespace Lfr.Actors.Van.Pipeline.Stages;

/// <summary>Detection where the camera's schedule says (<see cref="VanPipelineSettings.DetectorBudget"/>), its cost counted.</summary>
internal static class DetectStage
{
    public static Flow<CameraFrame, DetectedFrame, NotUsed> Create(VanPipelineContext context) =>
        PipelineStage.Create<CameraFrame, DetectedFrame>("detect", context.Log, () =>
        {
            var schedule = new DetectionSchedule(context.Settings.DetectorBudget);
            var counters = context.Counters;
            return PipelineStage.Timed(counters.Detect, (CameraFrame frame) => PipelineStage.DisposeOnThrow(frame, () =>
            {
                var (faces, cost) = context.Engine.Detect(frame.Image, schedule, frame.SourcePosition);
                counters.Detected(cost);
                counters.FrameProcessed(faces.Count);
                return new DetectedFrame(frame, faces);
            }));
        });
}
