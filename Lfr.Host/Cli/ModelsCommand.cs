using Lfr.Vision.Matching;
using Lfr.Vision.Models;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr models verify [--json]</c>: the face models this node would load (the built-in faceplugin set, or a force's own
/// named by <c>LFR_MODEL_SET</c>), each checked against its SHA-256, and the calibration for the embedder. Exit 0 when
/// all is well, 3 when a model or the calibration is missing or refused (one line says which and why).
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
        var input = models.EmbedderInput;
        if (json)
            CliJson.Write(new
            {
                modelSet = Environment.GetEnvironmentVariable(ModelSet.Variable),
                models = models.All.OrderBy(m => m.Name).Select(m => new { name = m.Name, path = m.Path, sha256 = m.Sha256, builtIn = m.BuiltIn, verified = true }),
                embedderInput = new { input.InputSize, colour = input.Colour.ToString().ToLowerInvariant(), input.Mean, input.Std, input.EmbeddingSize },
                calibration = calibration is null ? null : new { embedderSha256 = calibration.ModelSha256, cosineAt0_6 = CliJson.R(calibration.CosineAt(0.6f)), impostorComparisons = calibration.Comparisons.Impostor },
                calibrationError,
            });
        else
        {
            foreach (var m in models.All.OrderBy(m => m.Name))
                Console.WriteLine($"{m.Name,-12} ok  {m.Sha256}  {m.Path}{(m.BuiltIn ? "" : "  (the model set's)")}");
            Console.WriteLine($"embedder input {input.InputSize}x{input.InputSize} {input.Colour.ToString().ToUpperInvariant()}, (v - {input.Mean}) / {input.Std}, {input.EmbeddingSize} values");
            Console.WriteLine(calibration is not null
                ? $"calibration ok  for embedder {calibration.ModelSha256[..12]}: 0.6 = cosine {calibration.CosineAt(0.6f):0.000}, fitted on {calibration.Comparisons.Impostor:N0} impostor comparisons"
                : $"calibration refused: {calibrationError}");
        }
        return calibrationError is null ? 0 : 3;
    }
}
