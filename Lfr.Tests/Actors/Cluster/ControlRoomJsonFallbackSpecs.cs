using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Serialization;
using Lfr.Actors.ControlRoom.Deployments;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// The web's asks to a singleton on another control room, and the answers, go through the allow-list JSON fallback with the
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
        Assert.IsType<AllowListJsonSerializer>(serializer);

        var back = Assert.IsType<DeploymentProtocol.OpenDeployments>(serializer.FromBinary(serializer.ToBinary(message), typeof(DeploymentProtocol.OpenDeployments)));

        Assert.Equal(open, back.Deployments);
    }

    [Fact]
    public void JSON_fallback_should_refuse_a_payload_that_names_a_type_outside_Lfr()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new DeploymentProtocol.OpenDeployments([]));
        // a gadget nested where a list of deployment ids belongs: never built
        var payload = """{"Deployments":{"$type":"System.IO.DirectoryInfo, System.Private.CoreLib","OriginalPath":"/tmp"}}"""u8.ToArray();

        Assert.ThrowsAny<Exception>(() => serializer.FromBinary(payload, typeof(DeploymentProtocol.OpenDeployments)));
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary("{}"u8.ToArray(), typeof(System.IO.DirectoryInfo)));
        Assert.ThrowsAny<Exception>(() => serializer.ToBinary(new System.IO.DirectoryInfo("/tmp")));
        var binder = new AllowListJsonSerializer.AllowListBinder();
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => binder.BindToType("System.Private.CoreLib", "System.IO.DirectoryInfo"));
        Assert.Equal(typeof(List<DeploymentId>), binder.BindToType("System.Private.CoreLib",
            "System.Collections.Generic.List`1[[Lfr.Actors.ControlRoom.Deployments.DeploymentId, Lfr.Actors]]"));
    }
}
