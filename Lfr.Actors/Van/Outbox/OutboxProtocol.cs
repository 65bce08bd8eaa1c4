using Akka.Actor;
using Lfr.Actors.Cluster;

namespace Lfr.Actors.Van.Outbox;

/// <summary>The van's alert outbox and the control room's answers to it.</summary>
public static class OutboxProtocol
{
    public interface IOutboxMessage;

    /// <summary>From the control room: the alert is persisted there; the van deletes its copy.</summary>
    public sealed record AlertStored(AlertId Id) : IOutboxMessage, ILfrWireMessage;

    /// <summary>
    /// From the control room: the alert will never be stored (its deployment is not live, the threshold or watchlist
    /// differ); the van deletes its copy too, since keeping a capture nobody may store serves no one.
    /// </summary>
    public sealed record AlertRefused(AlertId Id, string Reason) : IOutboxMessage, ILfrWireMessage;

    public sealed record GetOutboxStatus : IOutboxMessage
    {
        public static GetOutboxStatus Instance { get; } = new();
        private GetOutboxStatus() { }
    }

    /// <summary>Alerts persisted on the van and not yet stored at the control room; where they are being sent (null: nowhere).</summary>
    public sealed record OutboxStatus(int Pending, Address? ControlRoom) : IOutboxMessage;
}
