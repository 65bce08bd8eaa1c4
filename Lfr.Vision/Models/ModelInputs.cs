namespace Lfr.Vision.Models;

/// <summary>The order of the colour planes a model takes; <see cref="Grey"/> is one plane (the landmark model's).</summary>
public enum ColourOrder
{
    Bgr,
    Rgb,
    Grey,
}

/// <summary>
/// How the detector wants its input and gives its output: the image (or a tile of it) in a
/// <see cref="Width"/>x<see cref="Height"/> window, planes in <see cref="Colour"/> order, each value
/// (v − <see cref="Mean"/>) / <see cref="Std"/>; out come <see cref="ScoresName"/> (background, face per prior) and
/// <see cref="BoxesName"/> (x1, y1, x2, y2 per prior, normalised to the window), as the Ultra-Light-Fast-Generic-Face-Detector
/// family gives them (its 640x480 version is a larger input of the same kind). The defaults are fr_detect's.
/// </summary>
public sealed record DetectorInput
{
    public int Width { get; init; } = 320;
    public int Height { get; init; } = 240;
    public ColourOrder Colour { get; init; } = ColourOrder.Rgb;
    public float Mean { get; init; } = 127;
    public float Std { get; init; } = 128;
    public string InputName { get; init; } = "input";
    public string ScoresName { get; init; } = "scores";
    public string BoxesName { get; init; } = "boxes";
}

/// <summary>
/// How the landmark model wants its input and gives its output: the square around the face box resized to
/// <see cref="InputSize"/>, in <see cref="Colour"/> (grey: one plane), each value (v − <see cref="Mean"/>) / <see cref="Std"/>;
/// out come 68 or 5 points (x, y normalised to the square; 5 in the order left eye, right eye, nose, mouth left,
/// mouth right). The defaults are fr_landmark's.
/// </summary>
public sealed record LandmarksInput
{
    public int InputSize { get; init; } = 64;
    public ColourOrder Colour { get; init; } = ColourOrder.Grey;
    public float Mean { get; init; }
    public float Std { get; init; } = 256;
    public string InputName { get; init; } = "input";
    public string OutputName { get; init; } = "output";
}

/// <summary>
/// How the embedder wants its input and gives its output: the aligned face resized to <see cref="InputSize"/> square,
/// planes in <see cref="Colour"/> order, each value (v − <see cref="Mean"/>) / <see cref="Std"/>; the output a vector
/// of <see cref="EmbeddingSize"/> (watchlists, the index and the wire carry whatever size it is). The defaults are fr_feature's.
/// </summary>
public sealed record EmbedderInput
{
    public int InputSize { get; init; } = 112;
    public ColourOrder Colour { get; init; } = ColourOrder.Bgr;
    public float Mean { get; init; } = 127;
    public float Std { get; init; } = 128;
    public int EmbeddingSize { get; init; } = 512;
    public string InputName { get; init; } = "input";
    public string OutputName { get; init; } = "output";
}
