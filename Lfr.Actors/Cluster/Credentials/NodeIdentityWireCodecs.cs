using Lfr.Actors.Cluster.Serialization;
using static Lfr.Actors.Cluster.Credentials.NodeIdentityProtocol;

namespace Lfr.Actors.Cluster.Credentials;

/// <summary>The identity challenge and proof on the wire; every length is checked against the bytes left.</summary>
public static class NodeIdentityWireCodecs
{
    /// <summary>A node certificate is well under 2 KB; anything much larger is not one.</summary>
    private const int MaxBytes = 16 * 1024;

    public static WireCodec Prove { get; } = WireCodec.Binary<ProveIdentity>((w, m) => WriteBytes(w, m.Nonce), r => new ProveIdentity(ReadBytes(r)));

    public static WireCodec Proof { get; } = WireCodec.Binary<IdentityProof>(
        (w, m) =>
        {
            WriteBytes(w, m.Nonce);
            WriteBytes(w, m.Certificate);
            WriteBytes(w, m.Signature);
        },
        r => new IdentityProof(ReadBytes(r), ReadBytes(r), ReadBytes(r)));

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > MaxBytes || count > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"a field of {count} bytes does not fit the message");
        return r.ReadBytes(count);
    }
}
