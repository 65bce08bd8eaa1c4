using Lfr.Actors.Van;

namespace Lfr.Tests.Actors.Van;

/// <summary>The effective van settings: vision work has its own dispatcher, separate from the one heartbeats use.</summary>
public sealed class VanConfigSpecs() : Akka.TestKit.Xunit2.TestKit(VanConfig.Default)
{
    [Fact]
    public void Van_config_should_give_vision_work_its_own_two_thread_dispatcher()
    {
        var config = Sys.Settings.Config;
        Assert.Equal("ForkJoinDispatcher", config.GetString($"{VanConfig.VisionDispatcher}.type"));
        Assert.Equal(2, config.GetInt($"{VanConfig.VisionDispatcher}.dedicated-thread-pool.thread-count"));
        Assert.Equal("PinnedDispatcher", config.GetString($"{VanConfig.CameraDispatcher}.type"));
        Assert.True(Sys.Dispatchers.HasDispatcher(VanConfig.VisionDispatcher));
        Assert.NotSame(Sys.Dispatchers.Lookup(VanConfig.VisionDispatcher), Sys.Dispatchers.DefaultGlobalDispatcher);
    }
}
