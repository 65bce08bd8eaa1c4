using Lfr.Vision.Models;

namespace Lfr.Vision.Matching;

/// <summary>
/// The calibration shipped with Lfr: <c>calibration.json</c> beside this file, fitted by
/// <c>lfr eval --calibrate --manifest ../shared/data/lfw-dev/all.csv</c> and embedded in the assembly.
/// <c>LFR_CALIBRATION</c> points at another file (a force's own fit); otherwise the calibration the model set
/// (<c>LFR_MODEL_SET</c>) names. A calibration belongs to one embedder: one fitted for another is refused.
/// </summary>
public static class CalibrationStore
{
    public const string Variable = "LFR_CALIBRATION";
    private const string Resource = "Lfr.Vision.calibration.json";

    /// <summary>The calibration for the embedding model in use; refuses one fitted for another model.</summary>
    public static LikelihoodCalibration ForModel(string modelSha256)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path)
            return LikelihoodCalibration.Load(path, modelSha256);
        if (ModelSet.FromEnvironment() is { Calibration: { } own } set)
            return LikelihoodCalibration.Load(set.Resolve(own), modelSha256);
        using var stream = typeof(CalibrationStore).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidDataException("the built-in calibration is missing from Lfr.Vision");
        return LikelihoodCalibration.Load(stream, "built-in calibration.json", modelSha256);
    }
}
