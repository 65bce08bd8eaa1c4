using Lfr.Actors.Cluster.Credentials;
using Lfr.Actors.Console.Health;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Outbox;

namespace Lfr.Actors.Cluster.Serialization;

/// <summary>
/// Every message that crosses nodes, one line each: its manifest and its codec. A new <see cref="ILfrWireMessage"/>
/// is added here (and a sample to the tests' <c>WireSamples</c>), or the registry spec fails.
/// </summary>
public static class LfrWireMessages
{
    public static WireRegistry Registry { get; } = new(
    [
        ("node-health-report/1", WireCodec.Json(NodeHealthJson.Default.NodeHealthReport)),
        ("alert-candidate/1", AlertWireCodecs.Candidate),
        ("alert-stored/1", AlertWireCodecs.Stored),
        ("alert-refused/1", AlertWireCodecs.Refused),
        ("van-hello/1", AssignmentWireCodecs.Hello),
        ("assignment-offer/2", AssignmentWireCodecs.Offer),
        ("assignment-chunk/1", AssignmentWireCodecs.Chunk),
        ("assignment-loaded/1", AssignmentWireCodecs.Loaded),
        ("assignment-refused/1", AssignmentWireCodecs.Refused),
        ("drop-assignment/1", AssignmentWireCodecs.Drop),
        ("assignment-dropped/1", AssignmentWireCodecs.Dropped),
        ("live-view-subscribe-health/1", LiveViewWireCodecs.SubscribeHealth),
        ("live-view-watch-camera/1", LiveViewWireCodecs.WatchCamera),
        ("live-view-camera-health/1", LiveViewWireCodecs.Health),
        ("live-view-frame/1", LiveViewWireCodecs.Frame),
        ("prove-identity/1", NodeIdentityWireCodecs.Prove),
        ("identity-proof/1", NodeIdentityWireCodecs.Proof),
        ("camera-restart/1", LiveViewWireCodecs.RestartCamera),
        ("camera-restart-answer/1", LiveViewWireCodecs.RestartAnswer),
    ]);
}
