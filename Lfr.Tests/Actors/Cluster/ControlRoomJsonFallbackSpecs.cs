using Akka.Serialization;
using Lfr.Actors.Cluster;
using Lfr.Actors.ControlRoom.Deployments;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// The web's asks to a singleton on another control room, and the answers, go through Akka's JSON fallback with the
/// control room's HOCON: a list made by a collection expression must come back (it did not: the compiler's list type
/// cannot be built again, and the second control room's alert queue failed).
/// </summary>
public sealed class ControlRoomJsonFallbackSpecs() : Akka.TestKit.Xunit2.TestKit(LfrHocon.Load(LfrRole.ControlRoom))
{
    [Fact]
    public void JSON_fallback_should_bring_back_a_list_made_by_a_collection_expression()
    {
        IReadOnlyList<DeploymentId> open = [new("d-1"), new("d-2")];
        var message = new DeploymentProtocol.OpenDeployments(open);
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<NewtonSoftJsonSerializer>(serializer);

        var back = Assert.IsType<DeploymentProtocol.OpenDeployments>(serializer.FromBinary(serializer.ToBinary(message), typeof(DeploymentProtocol.OpenDeployments)));

        Assert.Equal(open, back.Deployments);
    }
}
