using System.Globalization;
using System.Text;

namespace Lfr.Vision.Evaluation;

/// <summary>DET curves of open-set sweeps as SVG: FNIR (1 - TPIR) against FPIR on a log axis, one line per series.</summary>
public static class DetCurve
{
    private static readonly string[] Colours = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037"];

    public static string Svg(IReadOnlyList<OpenSetPoint> sweep, float threshold, string title) =>
        Svg([("all searches", sweep)], threshold, title);

    public static string Svg(IReadOnlyList<(string Name, IReadOnlyList<OpenSetPoint> Sweep)> series, float threshold, string title)
    {
        const int w = 640, h = 420, left = 70, right = 20, top = 40, bottom = 60;
        const double minLog = -5, maxLog = 0;
        var inv = CultureInfo.InvariantCulture;
        double X(double fpir) => left + (Math.Log10(Math.Max(fpir, 1e-5)) - minLog) / (maxLog - minLog) * (w - left - right);
        double Y(double fnir) => top + (1 - fnir) * (h - top - bottom);

        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(inv, $"<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/><text x=\"{left}\" y=\"24\" font-size=\"14\">{Escape(title)}</text>");
        for (var e = (int)minLog; e <= (int)maxLog; e++)
        {
            var x = X(Math.Pow(10, e));
            svg.Append(inv, $"<line x1=\"{x:0.0}\" y1=\"{top}\" x2=\"{x:0.0}\" y2=\"{h - bottom}\" stroke=\"#ddd\"/><text x=\"{x - 12:0.0}\" y=\"{h - bottom + 18}\">1e{e}</text>");
        }
        for (var f = 0; f <= 10; f += 2)
        {
            var y = Y(f / 10.0);
            svg.Append(inv, $"<line x1=\"{left}\" y1=\"{y:0.0}\" x2=\"{w - right}\" y2=\"{y:0.0}\" stroke=\"#ddd\"/><text x=\"{left - 34}\" y=\"{y + 4:0.0}\">{f / 10.0:0.0}</text>");
        }
        svg.Append(inv, $"<text x=\"{w / 2 - 60}\" y=\"{h - 16}\">FPIR (log scale)</text><text x=\"14\" y=\"{h / 2}\" transform=\"rotate(-90 14 {h / 2})\">FNIR = 1 - TPIR</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var (name, sweep) = series[s];
            var colour = Colours[s % Colours.Length];
            var points = string.Join(" ", sweep.OrderBy(p => p.Threshold).Select(p => $"{X(p.Fpir).ToString("0.0", inv)},{Y(1 - p.Tpir).ToString("0.0", inv)}"));
            svg.Append(inv, $"<polyline class=\"det\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points}\"><title>{Escape(name)}</title></polyline>");
            if (series.Count > 1)
                svg.Append(inv, $"<line x1=\"{w - right - 150}\" y1=\"{top + 14 + 16 * s}\" x2=\"{w - right - 130}\" y2=\"{top + 14 + 16 * s}\" stroke=\"{colour}\" stroke-width=\"3\"/><text x=\"{w - right - 124}\" y=\"{top + 18 + 16 * s}\">{Escape(name)}</text>");
            if (sweep.MinBy(p => Math.Abs(p.Threshold - threshold)) is { } at)
            {
                svg.Append(inv, $"<circle cx=\"{X(at.Fpir):0.0}\" cy=\"{Y(1 - at.Tpir):0.0}\" r=\"5\" fill=\"{colour}\"/>");
                if (series.Count == 1)
                    svg.Append(inv, $"<text x=\"{X(at.Fpir) + 8:0.0}\" y=\"{Y(1 - at.Tpir) - 8:0.0}\">threshold {threshold:0.00}: TPIR {at.Tpir:0.000}, FPIR {at.Fpir:0.0000}</text>");
            }
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
