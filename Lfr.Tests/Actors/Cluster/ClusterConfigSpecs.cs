using Akka.Cluster.SBR;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Serialization;
using Lfr.Actors.Console.Health;
using Microsoft.Extensions.DependencyInjection;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>The effective settings of a node of each role, as <c>lfr node</c> builds it: what the HOCON and hosting add up to.</summary>
public sealed class ClusterConfigSpecs
{
    // nothing listens there: the node keeps trying to join, which is all a config check needs
    private const string UnusedSeed = "akka.tcp://lfr@127.0.0.1:1";

    [Theory]
    [InlineData(LfrRole.Van)]
    [InlineData(LfrRole.ControlRoom)]
    [InlineData(LfrRole.Console)]
    public async Task A_node_of_each_role_should_run_with_the_frame_limit_the_serializer_and_the_split_brain_resolver(LfrRole role)
    {
        await using var node = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = role,
            Port = 0,
            Seeds = role == LfrRole.ControlRoom ? [] : [UnusedSeed],
        });
        var config = node.System.Settings.Config;

        Assert.Equal(128_000, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal([role.Name()], config.GetStringList("akka.cluster.roles"));

        Assert.Equal(typeof(SplitBrainResolverProvider), Type.GetType(config.GetString("akka.cluster.downing-provider-class")));
        Assert.Equal("keep-oldest", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.True(config.GetBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
        Assert.Equal("", config.GetString("akka.cluster.split-brain-resolver.keep-oldest.role", ""));
        Assert.Equal(TimeSpan.FromSeconds(10), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(TimeSpan.FromSeconds(4), config.GetTimeSpan("akka.cluster.down-removal-margin"));
        Assert.True(config.GetBoolean("akka.cluster.run-coordinated-shutdown-when-down"));

        var serializer = Assert.IsType<LfrMessageSerializer>(node.System.Serialization.FindSerializerForType(typeof(NodeHealthProtocol.NodeHealthReport)));
        Assert.Equal(128_000 - LfrMessageSerializer.EnvelopeReserveBytes, serializer.MaxPayloadBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("lfr.cluster.health-report-interval"));

        // untrusted mode, selections only to the paths other nodes need, and a JSON fallback for Lfr's own types only
        Assert.True(config.GetBoolean("akka.remote.untrusted-mode"));
        Assert.Contains("/user/van-dispatch", config.GetStringList("akka.remote.trusted-selection-paths"));
        Assert.DoesNotContain("/user/van-assignment", config.GetStringList("akka.remote.trusted-selection-paths"));
        var fallback = node.System.Serialization.FindSerializerForType(typeof(UnboundMessage));
        Assert.IsType<AllowListJsonSerializer>(fallback);
        Assert.Equal(1, fallback.Identifier);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => fallback.ToBinary(new UnboundMessage("x")));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => fallback.FromBinary("{\"Text\":\"x\"}"u8.ToArray(), typeof(UnboundMessage)));
    }

    /// <summary>A message no serializer binding names: Akka would have sent it as JSON with its type name.</summary>
    private sealed record UnboundMessage(string Text);

    [Fact]
    public async Task A_van_should_have_the_vision_dispatcher_for_ONNX_and_OpenCV_work()
    {
        await using var van = await LfrTestNode.StartAsync(new LfrNodeSettings { Role = LfrRole.Van, Port = 0, Seeds = [UnusedSeed] });

        Assert.True(van.System.Dispatchers.HasDispatcher("lfr.van.vision-dispatcher"));
        Assert.NotSame(van.System.Dispatchers.DefaultGlobalDispatcher, van.System.Dispatchers.Lookup("lfr.van.vision-dispatcher"));
    }

    [Fact]
    public async Task A_console_should_run_the_health_monitor_where_reporters_address_it()
    {
        await using var console = await LfrTestNode.StartAsync(new LfrNodeSettings { Role = LfrRole.Console, Port = 0, Seeds = [UnusedSeed] });

        var monitor = await console.Registry.GetAsync<NodeHealthMonitor>();
        Assert.Equal($"/user/{NodeHealthMonitor.Name}", monitor.Path.ToStringWithoutAddress());
    }

    [Fact]
    public void A_role_extension_should_refuse_settings_of_another_role()
    {
        var akka = new AkkaConfigurationBuilder(new ServiceCollection(), "lfr");
        var settings = new LfrNodeSettings { Role = LfrRole.Console, Seeds = [UnusedSeed] };

        var e = Assert.Throws<ArgumentException>(() => akka.WithLfrVan(settings));

        Assert.Contains("settings for a console node", e.Message);
    }
}
