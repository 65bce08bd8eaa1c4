using Lfr.Vision;
using Lfr.Vision.Matching;
using Lfr.Vision.Models;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr models verify [--json]</c>: the face models this node would load (the built-in faceplugin set, or a force's own
/// named by <c>LFR_MODEL_SET</c>), each checked against its SHA-256 and run once with its settings (input size, colour
/// order, mean/std, tensor names, embedding size), and the calibration for the embedder. Exit 0 when all is well, 3
/// when a model or the calibration is missing or refused (one line says which and why).
/// </summary>
public static class ModelsCommand
{
    public static int Run(CliArgs args)
    {
        if (args.Positional.Count == 0 || args.Positional[0] != "verify")
            throw new CliException("usage: lfr models verify [--json]");
        var json = args.Flag("json");
        args.RejectUnknown();

        var models = ModelFiles.Locate();
        string? runError = null;
        try
        {
            using var engine = FaceEngine.Load(models);
        }
        catch (ModelException e)
        {
            runError = e.Message;
        }
        var embedder = models[ModelFiles.Embedder];
        string? calibrationError = null;
        LikelihoodCalibration? calibration = null;
        try
        {
            calibration = CalibrationStore.ForModel(embedder.Sha256);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ModelException)
        {
            calibrationError = e.Message;
        }
        var (input, detector, landmarks) = (models.EmbedderInput, models.DetectorInput, models.LandmarksInput);
        if (json)
            CliJson.Write(new
            {
                modelSet = Environment.GetEnvironmentVariable(ModelSet.Variable),
                models = models.All.OrderBy(m => m.Name).Select(m => new { name = m.Name, path = m.Path, sha256 = m.Sha256, builtIn = m.BuiltIn, verified = true }),
                detectorInput = new { detector.Width, detector.Height, colour = Name(detector.Colour), detector.Mean, detector.Std },
                landmarksInput = new { landmarks.InputSize, colour = Name(landmarks.Colour), landmarks.Mean, landmarks.Std },
                embedderInput = new { input.InputSize, colour = Name(input.Colour), input.Mean, input.Std, input.EmbeddingSize },
                runError,
                calibration = calibration is null ? null : new { embedderSha256 = calibration.ModelSha256, cosineAt0_6 = CliJson.R(calibration.CosineAt(0.6f)), impostorComparisons = calibration.Comparisons.Impostor },
                calibrationError,
            });
        else
        {
            foreach (var m in models.All.OrderBy(m => m.Name))
                Console.WriteLine($"{m.Name,-12} ok  {m.Sha256}  {m.Path}{(m.BuiltIn ? "" : "  (the model set's)")}");
            Console.WriteLine($"detector input {detector.Width}x{detector.Height} {Name(detector.Colour)}, (v - {detector.Mean}) / {detector.Std}");
            Console.WriteLine($"landmarks input {landmarks.InputSize}x{landmarks.InputSize} {Name(landmarks.Colour)}, (v - {landmarks.Mean}) / {landmarks.Std}");
            Console.WriteLine($"embedder input {input.InputSize}x{input.InputSize} {Name(input.Colour)}, (v - {input.Mean}) / {input.Std}, {input.EmbeddingSize} values");
            Console.WriteLine(runError is null ? "each model ran once with its settings" : $"models refused: {runError}");
            Console.WriteLine(calibration is not null
                ? $"calibration ok  for embedder {calibration.ModelSha256[..12]}: 0.6 = cosine {calibration.CosineAt(0.6f):0.000}, fitted on {calibration.Comparisons.Impostor:N0} impostor comparisons"
                : $"calibration refused: {calibrationError}");
        }
        return calibrationError is null && runError is null ? 0 : 3;
    }

    private static string Name(ColourOrder colour) => colour.ToString().ToLowerInvariant();
}
