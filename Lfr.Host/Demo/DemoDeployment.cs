using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;

namespace Lfr.Host.Demo;

/// <summary>
/// Puts the demo's deployment in place through the control room's own commands, as its users would: the watchlist
/// manager builds the day's watchlist from file images, an inspector plans the deployment, the Superintendent
/// authorises it, the BCU Chief Superintendent approves it, an officer confirms the signage, the operator starts it,
/// and the engagement officers come on duty. A walkthrough stops at the plan (Draft) for a visitor to do the rest.
/// A data folder that already holds a demo deployment still open goes on with it.
/// </summary>
public static class DemoDeployment
{
    /// <summary>The demo deployment's id, kept in the data folder so that a second run resumes it (an id, nothing about anyone).</summary>
    public const string IdFile = "demo-deployment";

    public static readonly Place Place = new("Catford Broadway, Lewisham", 51.4452, -0.0209);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromHours(8);

    /// <summary>The deployment, and whether it was resumed from an earlier run.</summary>
    public sealed record Prepared(DeploymentState State, bool Resumed);

    /// <param name="cameras">The van's cameras the plan names (<c>VAN/CAMERA</c>); null: the demo's scene cameras.</param>
    public static async Task<Prepared> PrepareAsync(IActorRegistry registry, string dataFolder, DemoCast cast, DemoStaff staff, bool walkthrough,
        TimeProvider time, IReadOnlyList<Actors.Van.CameraId>? cameras = null)
    {
        var deployments = registry.Get<DeploymentsActor>();
        var idFile = Path.Combine(dataFolder, IdFile);
        var now = time.GetUtcNow();

        if (File.Exists(idFile))
        {
            var earlier = await Expect<DeploymentState>(deployments.Ask(new DeploymentProtocol.GetDeployment(new DeploymentId(File.ReadAllText(idFile).Trim())), Timeout));
            if (earlier is { Plan: { } plan, Status: not (DeploymentStatus.NotPlanned or DeploymentStatus.Ended) } && plan.Window.End > now)
            {
                await OnDutyAsync(registry, staff, earlier.Id);
                return new Prepared(earlier, Resumed: true);
            }
        }

        var id = new DeploymentId($"demo-{now:yyyyMMdd-HHmmss}");
        var watchlist = new WatchlistId($"{id.Value}-wl");
        await Expect<WatchlistProtocol.WatchlistBuilt>(registry.Get<WatchlistAuthorityActor>().Ask(new WatchlistProtocol.BuildWatchlist(
            watchlist, DateOnly.FromDateTime(now.UtcDateTime), id, staff.WatchlistManager.Staff, Drafts(cast, staff)), Timeout));

        // the window opens a minute ago so that the plan is valid at once, and closes within the working day
        var newPlan = new DeploymentPlan(Place, new TimeWindow(now.AddMinutes(-1), now + Window), [.. (cameras ?? DemoScene.Cameras).Select(c => c.Value)],
            "Locate people wanted on warrant, wanted for robbery, or in breach of sex-offender conditions (demo)", watchlist, Case: Case);
        var state = await Expect<DeploymentState>(deployments.Ask(new DeploymentProtocol.PlanDeployment(id, newPlan, staff.Operator.Staff), Timeout));
        await File.WriteAllTextAsync(idFile, id.Value);

        if (!walkthrough)
        {
            await Expect<DeploymentState>(deployments.Ask(new DeploymentProtocol.Authorise(id, Signatory(staff.Superintendent)), Timeout));
            await Expect<DeploymentState>(deployments.Ask(new DeploymentProtocol.Approve(id, Signatory(staff.ChiefSuperintendent)), Timeout));
            var signer = new StaffId(staff.Officers.First().Value);
            foreach (var (approach, sign) in Signs)
                await Expect<DeploymentState>(deployments.Ask(new DeploymentProtocol.RecordSign(id, approach, sign, signer), Timeout));
            await Expect<DeploymentState>(deployments.Ask(new DeploymentProtocol.ConfirmSignage(id, signer), Timeout));
            await Expect<DeploymentState>(deployments.Ask(new DeploymentProtocol.BookOn(id, staff.Operator.Staff, CrewRole.Operator), Timeout));
            await OnDutyAsync(registry, staff, id);
            state = await Expect<DeploymentState>(deployments.Ask(new DeploymentProtocol.GoLive(id, staff.Operator.Staff), Timeout));
        }
        else
            await OnDutyAsync(registry, staff, id);
        return new Prepared(state, Resumed: false);
    }

    private static List<WatchlistEntryDraft> Drafts(DemoCast cast, DemoStaff staff) =>
        cast.Watchlist.Select((suspect, i) =>
        {
            var (reason, source) = DemoCast.Record(suspect.Category);
            // an opaque id: the cast's label is a person's name or a photo's file name, which must not reach the journal
            return new WatchlistEntryDraft(WatchlistEntryId.New(), suspect.Category, reason, source, new DateOnly(2026, 1, 5).AddDays(7 * i),
                staff.WatchlistManager.Staff, $"PNC/26/{100231 + i}", File.ReadAllBytes(suspect.FileImage));
        }).ToList();

    /// <summary>The engagement officers on duty, on their handsets and for the deployment.</summary>
    private static async Task OnDutyAsync(IActorRegistry registry, DemoStaff staff, DeploymentId deployment)
    {
        foreach (var officer in staff.Officers)
        {
            await Expect<OfficerState>(registry.Get<OfficersActor>().Ask(new OfficerProtocol.GoOnDuty(officer), Timeout));
            await Expect<DeploymentState>(registry.Get<DeploymentsActor>().Ask(
                new DeploymentProtocol.BookOn(deployment, new StaffId(officer.Value), CrewRole.Officer), Timeout));
        }
    }

    /// <summary>The case the demo's signatories read (a real one is the force's own words).</summary>
    public static readonly DeploymentCase Case = new(
        "Common law policing powers; Data Protection Act 2018 s.35 (sensitive processing, strictly necessary for law enforcement); the force's LFR policy",
        "Robberies and warrant backlog in the town centre; a watchlist of six, limited to the offences named, for one working day in a marked zone",
        "High-visibility patrols and CCTV review continue; they have not located the people wanted",
        "South East BCU (Lewisham)");

    /// <summary>Each approach to the zone and its sign's reference.</summary>
    private static readonly (string Approach, string Sign)[] Signs =
    [
        ("Rushey Green, from the north", "sign LFR-01, photo IMG_2041"),
        ("Catford Broadway, from the east", "sign LFR-02, photo IMG_2042"),
    ];

    private static Signatory Signatory(DemoUser user) => new(user.Staff, user.Rank!);

    /// <summary>The control room answers a command it does not carry out with its reason; the demo cannot go on without it.</summary>
    private static async Task<T> Expect<T>(Task<object> reply) => (await reply) switch
    {
        T answer => answer,
        DeploymentProtocol.Refused refused => throw new DemoException($"the control room refused: {refused.Reason}"),
        WatchlistProtocol.Refused refused => throw new DemoException($"the control room refused the watchlist: {refused.Reason}"),
        WatchlistProtocol.EnrolmentRefused refused => throw new DemoException($"the control room could not enrol the watchlist: {refused.Reason}"),
        OfficerProtocol.Refused refused => throw new DemoException($"the control room refused officer {refused.Officer}: {refused.Reason}"),
        var other => throw new DemoException($"the control room answered {other.GetType().Name}, not {typeof(T).Name}"),
    };
}
