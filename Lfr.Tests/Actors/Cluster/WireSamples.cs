using Lfr.Actors.Cluster.Credentials;
using Akka.Cluster;
using Lfr.Actors.Cluster;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Outbox;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.Console.Health.NodeHealthProtocol;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// One realistic instance of every <see cref="ILfrWireMessage"/>, for the registry spec's round trip. A new wire message
/// adds its sample here; fill every field with a value that differs from its default, so a lost field shows.
/// </summary>
public static class WireSamples
{
    public static IReadOnlyList<ILfrWireMessage> All { get; } =
    [
        new NodeHealthReport(
            LfrRole.Van,
            "akka.tcp://lfr@10.20.0.7:41234",
            MemberStatus.Up,
            TimeSpan.FromMinutes(93.5),
            new DateTimeOffset(2026, 11, 26, 7, 15, 0, TimeSpan.Zero),
            new Dictionary<string, long> { ["members"] = 14, ["unreachable"] = 1, ["gc-heap-bytes"] = 81_234_567 }),
        Candidate(jpegBytes: 5_000),
        new OutboxProtocol.AlertStored(new AlertId(Guid.Parse("4b1d0c9e-2f6a-4e8b-9c3d-7a5e1f2b8c4d"))),
        new OutboxProtocol.AlertRefused(new AlertId(Guid.Parse("0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f")), "deployment d-7 is Ended"),
        new AssignmentProtocol.VanHello("van-3"),
        new AssignmentProtocol.AssignmentOffer(Transfer, new DateTimeOffset(2026, 11, 26, 7, 14, 0, TimeSpan.Zero), "van-3", new DeploymentId("catford-2026-11-26"), 0.64f,
            new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.Zero), new TimeOnly(23, 0), "Europe/London", "wl-2026-11-26", "3f1c9b2e7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c",
            17_000, 709, Enumerable.Range(0, 64).Select(i => (byte)(i * 13 + 1)).ToArray()),
        FullChunk(),
        new AssignmentProtocol.AssignmentLoaded(Transfer, "van-3", 17_000),
        new AssignmentProtocol.AssignmentRefused(Transfer, "van-3", "16,998 entries arrived, 17,000 were announced"),
        new AssignmentProtocol.DropAssignment("wl-2026-11-26", "daily wipe"),
        new AssignmentProtocol.AssignmentDropped("van-3", "wl-2026-11-26", 17_000),
        LiveViewProtocol.SubscribeHealth.Instance,
        new LiveViewProtocol.WatchCamera(new CameraId("cam-b")),
        new CameraSupervisorProtocol.RestartCamera(new CameraId("cam-broken")),
        new CameraSupervisorProtocol.CameraRestartAnswer(new CameraId("cam-broken"), false, "it is reconnecting by itself"),
        new LiveViewProtocol.CameraHealthUpdate("van-07", Health(lastError: "no frame for 5 s")),
        new LiveViewProtocol.CameraHealthUpdate("van-07", Health(lastError: null) with { LastFrameAt = null, State = CameraState.Starting, Latencies = null, Detector = null }),
        Frame(jpegBytes: 20_000),
        new NodeIdentityProtocol.ProveIdentity(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()),
        new NodeIdentityProtocol.IdentityProof(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            Enumerable.Range(0, 600).Select(i => (byte)(i * 7)).ToArray(), Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray()),
    ];

    private static Guid Transfer => Guid.Parse("7c6d5e4f-3a2b-4c1d-9e8f-0a1b2c3d4e5f");

    /// <summary>A chunk as large as the control room sends: <see cref="AssignmentProtocol.EntriesPerChunk"/> entries with ids of the longest kind.</summary>
    public static AssignmentProtocol.AssignmentChunk FullChunk() => new(Transfer, 708,
        Enumerable.Range(0, AssignmentProtocol.EntriesPerChunk).Select(i => new AssignmentProtocol.AssignedEntry(
            new WatchlistEntryId($"PNC/24/{118_000 + i}/{new string('x', 100)}"), (WatchlistCategory)(1 + i % 3),
            Enumerable.Range(0, WatchlistEntry.DefaultEmbeddingLength).Select(k => (k * 37 + i) % 101 / 101f - 0.5f).ToArray())).ToArray());

    public static CameraHealth Health(string? lastError) => new(
        new CameraId("cam-b"), CameraState.Reconnecting, 24.8, 11.5, 90_211, 41_007, 49_204, 3_318, 412, 3, 4, 2,
        new DateTimeOffset(2026, 11, 26, 7, 15, 2, 500, TimeSpan.FromHours(1)), lastError,
        new PipelineLatencies(new LatencySummary(31.5, 48.25, 256), new LatencySummary(12, 40.5, 256), new LatencySummary(0.4, 1.1, 256), new LatencySummary(95, 180, 7)),
        new DetectorLoad(5, 4.6, 0.317));

    /// <summary>A live view frame with <paramref name="jpegBytes"/> bytes of picture (not a real JPEG: the codec carries bytes as they are).</summary>
    public static LiveViewProtocol.LiveFrame Frame(int jpegBytes) => new(
        "van-07", new CameraId("cam-b"), 81_337, new DateTimeOffset(2026, 11, 26, 7, 15, 3, 250, TimeSpan.FromHours(1)),
        Enumerable.Range(0, jpegBytes).Select(i => (byte)(i * 13 + 5)).ToArray(), 7, 1, 4_021);

    /// <summary>A van's alert with a crop of <paramref name="jpegBytes"/> bytes (not a real JPEG: the codec carries bytes as they are).</summary>
    public static AlertProtocol.AlertCandidate Candidate(int jpegBytes) => new(
        new AlertId(Guid.Parse("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")),
        new DeploymentId("catford-2026-11-26"),
        new CameraId("van-3/cam-b"),
        new TrackId(4_211),
        new WatchlistEntryId("PNC/24/118832"),
        WatchlistCategory.SexOffenderWithConditions,
        0.8725f,
        "3f1c9b2e7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c",
        "cal-2026-10",
        new DateTimeOffset(2026, 11, 26, 7, 15, 3, 250, TimeSpan.FromHours(1)),
        TimeSpan.FromSeconds(4_021.5),
        Enumerable.Range(0, jpegBytes).Select(i => (byte)(i * 31 + 7)).ToArray());
}
