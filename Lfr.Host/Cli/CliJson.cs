using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lfr.Host.Cli;

public static class CliJson
{
    public static readonly JsonSerializerOptions Indented = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Output goes to terminals and files, never into HTML: keep '+' and quotes readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions Lines = new(Indented) { WriteIndented = false };

    public static void Write<T>(T value, bool indented = true) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(value, indented ? Indented : Lines));

    /// <summary>Rounds for output: figures in JSON are read by people too.</summary>
    public static float R(float v, int digits = 4) => MathF.Round(v, digits);
    public static double R(double v, int digits = 6) => Math.Round(v, digits);
}
