using Lfr.Actors.Cluster;
using Lfr.Actors.ControlRoom;
using Lfr.Tests.Actors.ControlRoom;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>Akka's internals come embedded in Lfr.Actors, and a file in <c>hocon/</c> overrides only what it names.</summary>
public sealed class LfrHoconSpecs
{
    [Fact]
    public void A_nodes_hocon_should_come_from_the_assembly_with_an_operators_file_over_it()
    {
        using var folder = new TempFolder();
        var embedded = LfrHocon.Load(LfrRole.ControlRoom, folder.Path);
        Assert.Equal(2, embedded.GetInt($"{ControlRoomActors.StoreDispatcher}.dedicated-thread-pool.thread-count"));
        Assert.Equal(TimeSpan.FromSeconds(10), embedded.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));

        File.WriteAllText(folder.File("control-room.conf"), "lfr.control-room.store-dispatcher.dedicated-thread-pool.thread-count = 4");
        var overridden = LfrHocon.Load(LfrRole.ControlRoom, folder.Path);
        Assert.Equal(4, overridden.GetInt($"{ControlRoomActors.StoreDispatcher}.dedicated-thread-pool.thread-count"));
        Assert.Equal("ForkJoinDispatcher", overridden.GetString($"{ControlRoomActors.StoreDispatcher}.type"));
        Assert.Equal(TimeSpan.FromSeconds(10), overridden.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        // Lfr's own settings are configuration, not HOCON
        Assert.False(overridden.HasPath("lfr.live-view"));
    }
}
