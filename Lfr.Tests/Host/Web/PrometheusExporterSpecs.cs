using Akka.Cluster;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Host.Web;
using Lfr.Tests.Actors.Cluster;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Web;

public sealed class PrometheusExporterSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    [Fact]
    public async Task Scrape_should_export_the_cluster_gauges_of_a_running_node_and_Lfr_counters_as_totals()
    {
        using var exporter = new PrometheusExporter();
        await using var controlRoom = await LfrTestNode.StartControlRoomAsync();
        await AwaitAssertAsync(() => Assert.Equal(MemberStatus.Up, controlRoom.Cluster.SelfMember.Status), TimeSpan.FromSeconds(20));
        LfrTelemetry.WireOversized.Add(1, new KeyValuePair<string, object?>("type", "ExporterSpecMessage"));

        var text = exporter.Scrape();

        var node = controlRoom.Address.ToString();
        Assert.Contains("# TYPE lfr_cluster_members gauge", text);
        Assert.Contains($"lfr_cluster_members{{node=\"{node}\",role=\"control-room\",status=\"Up\"}} 1\n", text);
        Assert.Contains($"lfr_cluster_unreachable{{node=\"{node}\"}} 0\n", text);
        Assert.Contains("# TYPE lfr_wire_oversized counter", text);
        Assert.Contains("lfr_wire_oversized_total{type=\"ExporterSpecMessage\"} 1\n", text);
    }

    [Fact]
    public void Scrape_should_export_a_cameras_stage_latencies_while_it_runs()
    {
        using var exporter = new PrometheusExporter();
        var counters = new CameraCounters();
        foreach (var ms in Enumerable.Range(1, 100)) counters.Detect.Record(TimeSpan.FromMilliseconds(ms));
        counters.Alert.Record(TimeSpan.FromMilliseconds(250));

        using (PipelineGauges.Track(new CameraId("exporter-spec-cam"), counters))
        {
            var text = exporter.Scrape();

            Assert.Contains("# TYPE lfr_pipeline_latency_ms gauge", text);
            Assert.Contains("lfr_pipeline_latency_ms{camera=\"exporter-spec-cam\",quantile=\"0.5\",stage=\"detect\"} 50\n", text);
            Assert.Contains("lfr_pipeline_latency_ms{camera=\"exporter-spec-cam\",quantile=\"0.99\",stage=\"detect\"} 99\n", text);
            Assert.Contains("lfr_pipeline_latency_ms{camera=\"exporter-spec-cam\",quantile=\"0.99\",stage=\"alert\"} 250\n", text);
            // a stage with no sample yet has no figure, rather than a zero that looks fast
            Assert.DoesNotContain("camera=\"exporter-spec-cam\",quantile=\"0.5\",stage=\"match\"", text);
        }

        Assert.DoesNotContain("exporter-spec-cam", exporter.Scrape());
    }

    [Fact]
    public async Task Scrape_should_drop_the_gauges_of_a_node_that_has_stopped()
    {
        using var exporter = new PrometheusExporter();
        var controlRoom = await LfrTestNode.StartControlRoomAsync();
        var node = controlRoom.Address.ToString();
        await AwaitAssertAsync(() => Assert.Contains($"node=\"{node}\"", exporter.Scrape()), TimeSpan.FromSeconds(20));

        await controlRoom.DisposeAsync();

        Assert.DoesNotContain($"node=\"{node}\"", exporter.Scrape());
    }
}
