using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Lfr.Actors.Telemetry;

namespace Lfr.Host.Web;

/// <summary>
/// Writes the instruments of <see cref="LfrTelemetry.Meter"/> in the Prometheus text format (version 0.0.4): counters
/// as <c>NAME_total</c>, up-down counters and gauges as gauges, histograms as a summary's <c>_sum</c> and <c>_count</c>.
/// Small on purpose: one node's few dozen series, scraped every few seconds.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Instrument, Dictionary<string, Series>> _series = [];

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LfrTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        _ = LfrTelemetry.Meter; // creates the meter's instruments, so they are published to the listener
    }

    public string Scrape()
    {
        lock (_lock)
        {
            // observable instruments report their current values now; series they no longer report disappear
            foreach (var (instrument, series) in _series)
                if (instrument.IsObservable) series.Clear();
            _listener.RecordObservableInstruments();

            var text = new StringBuilder();
            foreach (var (instrument, series) in _series.OrderBy(e => e.Key.Name, StringComparer.Ordinal))
            {
                if (series.Count == 0) continue;
                var kind = Kind(instrument);
                var name = instrument.Name.Replace('.', '_').Replace('-', '_');
                var sampleName = kind == "counter" ? name + "_total" : name;
                if (instrument.Description is { Length: > 0 } help) text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
                foreach (var (labels, s) in series.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    if (kind == "summary")
                    {
                        Sample(text, name + "_sum", labels, s.Value);
                        Sample(text, name + "_count", labels, s.Count);
                    }
                    else
                    {
                        Sample(text, sampleName, labels, s.Value);
                    }
                }
            }
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_lock)
        {
            if (!_series.TryGetValue(instrument, out var series)) _series[instrument] = series = new(StringComparer.Ordinal);
            var s = series.GetValueOrDefault(labels);
            // a gauge or an observable counter reports its current value; a counter or histogram reports increments
            series[labels] = instrument switch
            {
                Counter<int> or Counter<long> or Counter<double> or UpDownCounter<int> or UpDownCounter<long> or UpDownCounter<double>
                    or Histogram<int> or Histogram<long> or Histogram<double> => new Series(s.Value + value, s.Count + 1),
                _ => new Series(value, 1),
            };
        }
    }

    private static string Kind(Instrument instrument) => instrument switch
    {
        Counter<int> or Counter<long> or Counter<double> or ObservableCounter<int> or ObservableCounter<long> or ObservableCounter<double> => "counter",
        Histogram<int> or Histogram<long> or Histogram<double> => "summary",
        _ => "gauge",
    };

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
            pairs.Add($"{key.Replace('.', '_').Replace('-', '_')}=\"{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")}\"");
        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    private readonly record struct Series(double Value, long Count);
}
