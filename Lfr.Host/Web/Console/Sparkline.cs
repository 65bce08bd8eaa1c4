using System.Globalization;
using System.Text;

namespace Lfr.Host.Web.Console;

/// <summary>
/// A small line chart as inline SVG (attributes only: the CSP allows no inline style or script), one polyline per
/// series over a shared time axis, with the latest value of each written beside it.
/// </summary>
public static class Sparkline
{
    public const int Width = 240;
    public const int Height = 48;

    public static string Svg(string id, string label, DateTimeOffset from, DateTimeOffset to, params (string Name, string Css, IReadOnlyList<(DateTimeOffset At, double? Value)> Points)[] series)
    {
        var inv = CultureInfo.InvariantCulture;
        var max = series.SelectMany(s => s.Points).Select(p => p.Value ?? 0).DefaultIfEmpty(0).Max();
        var top = max <= 0 ? 1 : max * 1.1;
        var span = Math.Max(1, (to - from).TotalSeconds);
        var svg = new StringBuilder();
        svg.Append(inv, $"""<svg class="spark" id="{WebPage.Encode(id)}" role="img" aria-label="{WebPage.Encode(label)}" viewBox="0 0 {Width} {Height}" width="{Width}" height="{Height}">""");
        svg.Append(inv, $"""<title>{WebPage.Encode(label)}, the last hour (max {max:0.#})</title>""");
        svg.Append(inv, $"""<line class="axis" x1="0" y1="{Height - 1}" x2="{Width}" y2="{Height - 1}"/>""");
        foreach (var (name, css, points) in series)
        {
            var drawn = points.Where(p => p.Value is not null)
                .Select(p => $"{(p.At - from).TotalSeconds / span * (Width - 40):0.#},{Height - 2 - p.Value!.Value / top * (Height - 6):0.#}")
                .ToList();
            if (drawn.Count == 1) drawn.Add(drawn[0]);
            if (drawn.Count > 0)
                svg.Append(inv, $"""<polyline class="{css}" data-series="{WebPage.Encode(name)}" data-points="{drawn.Count}" points="{string.Join(' ', drawn)}"/>""");
        }
        var last = series.Select(s => s.Points.LastOrDefault(p => p.Value is not null).Value).FirstOrDefault(v => v is not null);
        svg.Append(inv, $"""<text x="{Width - 38}" y="14" font-size="11">{(last is { } v ? v.ToString(v < 10 ? "0.0" : "0", inv) : "—")}</text>""");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
