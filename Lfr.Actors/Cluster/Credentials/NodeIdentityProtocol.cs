using System.Collections.Concurrent;
using Akka.Actor;

namespace Lfr.Actors.Cluster.Credentials;

/// <summary>How a member proves to each other member the identity its certificate states (<see cref="NodeIdentityActor"/>).</summary>
public static class NodeIdentityProtocol
{
    public interface INodeIdentityMessage;

    /// <summary>To a member's <c>/user/node-identity</c>: sign this nonce with the key of your certificate.</summary>
    public sealed record ProveIdentity(byte[] Nonce) : INodeIdentityMessage, ILfrWireMessage;

    /// <summary>
    /// The answer: the member's certificate (DER) and its signature over the nonce, the prover's own address and the
    /// asker's address (<see cref="NodeIdentityActor.Challenge"/>), so that a proof made for one member is worth nothing
    /// to another that relays it.
    /// </summary>
    public sealed record IdentityProof(byte[] Nonce, byte[] Certificate, byte[] Signature) : INodeIdentityMessage, ILfrWireMessage
    {
        public override string ToString() => $"IdentityProof({Certificate.Length} B certificate)";
    }
}

/// <summary>
/// Which member is who, as each proved with its certificate: the one place the actors that take messages from vans
/// (the dispatch of assignments, the live view hub, the health monitor) ask whether a sender may act as the van or role
/// it says it is. Without TLS (a node bound to loopback only) there are no credentials and every claim stands.
/// </summary>
public sealed class PeerIdentities : IExtension
{
    private readonly ConcurrentDictionary<Address, NodeIdentity> _proven = new();
    private readonly Address _self;

    public PeerIdentities(ExtendedActorSystem system) => _self = system.Provider.DefaultAddress;

    /// <summary>True once the node runs with the force CA: from then on only proven identities count.</summary>
    public bool Required { get; private set; }

    public static PeerIdentities Get(ActorSystem system) => system.WithExtension<PeerIdentities, PeerIdentitiesProvider>();

    /// <summary>
    /// Whether the sender at <paramref name="address"/> may act as <paramref name="role"/> (and, when given, as the node
    /// named <paramref name="name"/>): this node's own actors may; a member only as its certificate states.
    /// </summary>
    public bool Allows(Address address, LfrRole role, string? name = null)
    {
        if (!Required || address.HasLocalScope || address == _self) return true;
        return _proven.TryGetValue(address, out var identity) && identity.Role == role && (name is null || identity.Name == name);
    }

    public NodeIdentity? Of(Address address) => _proven.GetValueOrDefault(address);

    internal void Require() => Required = true;

    internal void Bind(Address address, NodeIdentity identity) => _proven[address] = identity;

    internal void Forget(Address address) => _proven.TryRemove(address, out _);
}

public sealed class PeerIdentitiesProvider : ExtensionIdProvider<PeerIdentities>
{
    public override PeerIdentities CreateExtension(ExtendedActorSystem system) => new(system);
}
