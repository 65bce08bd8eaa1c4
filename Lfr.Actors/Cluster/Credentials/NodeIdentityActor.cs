using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using static Lfr.Actors.Cluster.Credentials.NodeIdentityProtocol;

namespace Lfr.Actors.Cluster.Credentials;

/// <summary>
/// Binds every other member to the identity its certificate states, at <c>/user/node-identity</c> on every node that runs
/// TLS. Akka.Remote shows no peer certificate per message, so each member is asked to sign a fresh nonce, with its own
/// and the asker's address, using its certificate's key; the certificate must chain to the force CA and the member's
/// cluster roles must be the one role it states. A proven member is recorded in <see cref="PeerIdentities"/>; a member
/// whose proof fails, or that gives none within <see cref="ProofDeadline"/>, is downed and logged. It also answers the
/// other members' challenges with this node's own certificate.
/// </summary>
public sealed class NodeIdentityActor : ReceiveActor, IWithTimers
{
    public const string Name = "node-identity";

    /// <summary>How long a member has to prove its identity before it is downed.</summary>
    public static readonly TimeSpan ProofDeadline = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan AskEvery = TimeSpan.FromSeconds(2);

    private readonly X509Certificate2 _certificate;
    private readonly ForceCa _ca;
    private readonly PeerIdentities _identities = PeerIdentities.Get(Context.System);
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, Pending> _pending = [];

    public NodeIdentityActor(X509Certificate2 certificate, ForceCa ca)
    {
        _certificate = certificate;
        _ca = ca;

        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            var member = e.Member;
            if (member.Address == _cluster.SelfAddress) return;
            if (e is ClusterEvent.MemberRemoved)
            {
                _pending.Remove(member.Address);
                _identities.Forget(member.Address);
            }
            else if (_identities.Of(member.Address) is null && !_pending.ContainsKey(member.Address) && member.Status is MemberStatus.Joining
                         or MemberStatus.WeaklyUp or MemberStatus.Up)
            {
                _pending[member.Address] = new Pending(member, RandomNumberGenerator.GetBytes(32), DateTime.UtcNow);
                Ask(_pending[member.Address]);
            }
        });
        Receive<ProveIdentity>(prove => Sender.Tell(new IdentityProof(prove.Nonce, _certificate.RawData,
            Sign(Challenge(prove.Nonce, _cluster.SelfAddress, Sender.Path.Address)))));
        Receive<IdentityProof>(Check);
        Receive<AskAgain>(_ =>
        {
            foreach (var pending in _pending.Values.ToList())
            {
                if (DateTime.UtcNow - pending.Since < ProofDeadline) Ask(pending);
                else Refuse(pending.Member, $"no proof of identity within {ProofDeadline.TotalSeconds:0} s");
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(X509Certificate2 certificate, ForceCa ca) => Akka.Actor.Props.Create(() => new NodeIdentityActor(certificate, ca));

    /// <summary>What a member signs: the nonce, its own address and the asker's.</summary>
    public static byte[] Challenge(byte[] nonce, Address prover, Address asker)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes("lfr-node-identity/1\n"), .. nonce, .. Encoding.UTF8.GetBytes($"\n{prover}\n{asker}")];
        return SHA256.HashData(signed);
    }

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer(nameof(AskAgain), AskAgain.Instance, AskEvery);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Ask(Pending pending) =>
        Context.ActorSelection(new RootActorPath(pending.Member.Address) / "user" / Name).Tell(new ProveIdentity(pending.Nonce));

    private void Check(IdentityProof proof)
    {
        var address = Sender.Path.Address;
        if (!_pending.TryGetValue(address, out var pending) || !proof.Nonce.AsSpan().SequenceEqual(pending.Nonce)) return;
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(proof.Certificate);
        }
        catch (CryptographicException e)
        {
            Refuse(pending.Member, $"its certificate cannot be read ({e.Message})");
            return;
        }
        using (certificate)
        {
            var (identity, problem) = _ca.Check(certificate);
            if (identity is null)
            {
                Refuse(pending.Member, problem!);
                return;
            }
            if (!Verify(certificate, Challenge(pending.Nonce, address, _cluster.SelfAddress), proof.Signature))
            {
                Refuse(pending.Member, $"its proof is not signed with the key of the certificate it sent ({identity})");
                return;
            }
            var claimed = pending.Member.Roles.Where(r => LfrRoles.All.Contains(r)).ToList();
            if (claimed.Count != 1 || claimed[0] != identity.Role.Name())
            {
                Refuse(pending.Member, $"it joined as {string.Join(", ", claimed)}, but its certificate makes it a {identity}");
                return;
            }
            _pending.Remove(address);
            _identities.Bind(address, identity);
            _log.Info("Member {Address} proved it is {Identity}", address, identity);
        }
    }

    private void Refuse(Member member, string reason)
    {
        _pending.Remove(member.Address);
        _log.Error("Member {Address} downed: {Reason}", member.Address, reason);
        _cluster.Down(member.Address);
    }

    private byte[] Sign(byte[] digest)
    {
        using var ecdsa = _certificate.GetECDsaPrivateKey();
        if (ecdsa is not null) return ecdsa.SignHash(digest);
        using var rsa = _certificate.GetRSAPrivateKey()!;
        return rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static bool Verify(X509Certificate2 certificate, byte[] digest, byte[] signature)
    {
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is not null) return ecdsa.VerifyHash(digest, signature);
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private sealed record Pending(Member Member, byte[] Nonce, DateTime Since);

    private sealed class AskAgain
    {
        public static readonly AskAgain Instance = new();
        private AskAgain() { }
    }
}
