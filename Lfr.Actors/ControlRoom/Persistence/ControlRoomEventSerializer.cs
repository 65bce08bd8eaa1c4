using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;

namespace Lfr.Actors.ControlRoom.Persistence;

/// <summary>Every event (and snapshot) the control room writes to its journal and snapshot store.</summary>
internal interface IControlRoomEvent;

/// <summary>
/// Writes the control room's journal events as System.Text.Json under fixed, short manifests, so that renaming or
/// moving a class does not orphan the journal, and no type name from the database is ever instantiated. (The
/// default Newtonsoft serializer could not read back a collection-expression list, and trusts type names it reads.)
/// </summary>
public sealed class ControlRoomEventSerializer : SerializerWithStringManifest
{
    public const int Id = 1201;

    /// <summary>The manifest of each event type; a manifest, once written to a journal, never changes meaning.</summary>
    internal static readonly IReadOnlyDictionary<string, Type> Types = new Dictionary<string, Type>
    {
        ["deployments.opened"] = typeof(DeploymentsActor.Opened),
        ["deployments.closed"] = typeof(DeploymentsActor.Closed),
        ["deployment.planned"] = typeof(DeploymentActor.Planned),
        ["deployment.signage-confirmed"] = typeof(DeploymentActor.SignageConfirmed),
        ["deployment.authorised"] = typeof(DeploymentActor.Authorised),
        ["deployment.approved"] = typeof(DeploymentActor.Approved),
        ["deployment.went-live"] = typeof(DeploymentActor.WentLive),
        ["deployment.ended"] = typeof(DeploymentActor.Ended),
        ["deployment.threshold-changed"] = typeof(DeploymentActor.ThresholdChanged),
        ["deployment.faces-counted"] = typeof(DeploymentActor.FacesCounted),
        ["deployment.plan-amended"] = typeof(DeploymentActor.PlanAmended),
        ["deployment.sign-recorded"] = typeof(DeploymentActor.SignRecorded),
        ["deployment.sign-removed"] = typeof(DeploymentActor.SignRemoved),
        ["deployment.crew-booked-on"] = typeof(DeploymentActor.CrewBookedOn),
        ["deployment.crew-booked-off"] = typeof(DeploymentActor.CrewBookedOff),
        ["deployment.watchlist-composed"] = typeof(DeploymentActor.WatchlistComposedEvent),
        ["alert.raised"] = typeof(AlertDeskActor.Raised),
        ["alert.capture-added"] = typeof(AlertDeskActor.CaptureAdded),
        ["alert.confirmed-once"] = typeof(AlertDeskActor.ConfirmedOnce),
        ["alert.confirmed"] = typeof(AlertDeskActor.Confirmed),
        ["alert.dismissed"] = typeof(AlertDeskActor.Dismissed),
        ["alert.outcome-recorded"] = typeof(AlertDeskActor.OutcomeRecorded),
        ["alert.taskings-added"] = typeof(AlertDeskActor.TaskingsAdded),
        ["alert.tasking-cancelled"] = typeof(AlertDeskActor.TaskingCancelled),
        ["officers.registered"] = typeof(OfficersActor.Registered),
        ["officers.retired"] = typeof(OfficersActor.Retired),
        ["officer.duty-changed"] = typeof(OfficerActor.DutyChanged),
        ["officer.availability-changed"] = typeof(OfficerActor.AvailabilityChanged),
        ["officer.assigned"] = typeof(OfficerActor.Assigned),
        ["officer.acknowledged"] = typeof(OfficerActor.Acknowledged),
        ["officer.escalated"] = typeof(OfficerActor.Escalated),
        ["officer.completed"] = typeof(OfficerActor.Completed),
        ["officer.stood-down"] = typeof(OfficerActor.StoodDown),
        ["officer.stand-down-received"] = typeof(OfficerActor.StandDownCleared),
        ["officer.sighting-added"] = typeof(OfficerActor.SightingRecorded),
        ["audit.entry"] = typeof(AuditEntry),
        ["audit.head"] = typeof(AuditHead),
    };

    private static readonly Dictionary<Type, string> Manifests = Types.ToDictionary(t => t.Value, t => t.Key);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public ControlRoomEventSerializer(ExtendedActorSystem system) : base(system) { }

    public override int Identifier => Id;

    /// <summary>The HOCON that binds the control room's events to this serializer.</summary>
    internal const string Hocon = """
        akka.actor {
          serializers.lfr-control-room = "Lfr.Actors.ControlRoom.Persistence.ControlRoomEventSerializer, Lfr.Actors"
          serialization-bindings { "Lfr.Actors.ControlRoom.Persistence.IControlRoomEvent, Lfr.Actors" = lfr-control-room }
          serialization-identifiers { "Lfr.Actors.ControlRoom.Persistence.ControlRoomEventSerializer, Lfr.Actors" = 1201 }
        }
        """;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType()} has no control-room journal manifest", nameof(o));

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new ArgumentException($"empty {manifest} event", nameof(bytes))
            : throw new ArgumentException($"unknown control-room journal manifest '{manifest}'", nameof(manifest));
}
