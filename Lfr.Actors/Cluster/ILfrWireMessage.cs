namespace Lfr.Actors.Cluster;

/// <summary>
/// Marks a message that crosses nodes. HOCON binds it to <see cref="Serialization.LfrMessageSerializer"/>, which
/// serializes only what <see cref="Serialization.LfrWireMessages"/> registers: a type that implements this marker
/// and is not registered fails at its first send, and fails the registry spec long before that.
/// </summary>
public interface ILfrWireMessage;
