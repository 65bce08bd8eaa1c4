using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using static Lfr.Actors.ControlRoom.Deployments.DeploymentProtocol;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// The deployment's decisions in plain C#, without an actor: what the authorisers must see and sign, what voids their
/// signatures, and everything that stops a deployment going live, each with its reason.
/// </summary>
public sealed class DeploymentStateSpecs
{
    private static readonly DateTimeOffset Morning = ControlRoomSpec.Morning;
    private static readonly DeploymentId Id = new("d-1");
    private static readonly DeploymentSettings Settings = new();
    private static readonly StaffId Inspector = new("I1");
    private static readonly Signatory Superintendent = new(new StaffId("S100"), "Superintendent");
    private static readonly Signatory Chief = new(new StaffId("C200"), "Chief Superintendent");

    private static DeploymentPlan Plan(DeploymentCase? @case = null) =>
        new(new Place("Lewisham High Street", 51.46, -0.01), new TimeWindow(Morning, Morning.AddHours(8)), ["van-1/cam-a"], "Warrants",
            new WatchlistId("wl-1"), Case: @case ?? Readiness.Case);

    private static DeploymentState Do(DeploymentState state, params IDeploymentCommand[] commands)
    {
        foreach (var command in commands)
        {
            var decision = state.Decide(command, Morning, Settings);
            Assert.True(decision.Refusal is null, $"{command.GetType().Name} refused: {decision.Refusal}");
            state = decision.State;
        }
        return state;
    }

    private static string Refusal(DeploymentState state, IDeploymentCommand command) =>
        state.Decide(command, Morning, Settings).Refusal ?? throw new InvalidOperationException($"{command.GetType().Name} was not refused");

    private static DeploymentState Composed(int court = 2, int wanted = 3, int sex = 1) =>
        Do(DeploymentState.NotPlanned(Id), new WatchlistComposed(Id, new WatchlistId("wl-1"), new CategoryCounts(court, wanted, sex)));

    private static DeploymentState Approved() =>
        Do(Composed(), new PlanDeployment(Id, Plan(), Inspector), new Authorise(Id, Superintendent), new Approve(Id, Chief));

    [Fact]
    public void A_plan_should_not_be_signed_until_its_legal_basis_necessity_alternatives_and_area_are_stated()
    {
        var draft = Do(Composed(), new PlanDeployment(Id, Plan(new DeploymentCase("Common law powers", " ", "", "South East BCU")), Inspector));

        var refusal = Refusal(draft, new Authorise(Id, Superintendent));
        Assert.Contains("why it is necessary and proportionate", refusal);
        Assert.Contains("the alternatives considered", refusal);
        Assert.DoesNotContain("legal basis", refusal);
    }

    [Fact]
    public void Signatures_should_record_the_watchlist_composition_the_signatories_saw()
    {
        var approved = Approved();
        Assert.Equal(6, approved.PlannedWatchlist!.Counts.Total);
        var authorised = Composed().Decide(new PlanDeployment(Id, Plan(), Inspector), Morning, Settings).State
            .Decide(new Authorise(Id, Superintendent), Morning, Settings);
        Assert.Contains("court-warrant=2;wanted-with-power-of-arrest=3;sex-offender-with-conditions=1;total=6", authorised.Audit.Single().Detail);
    }

    [Theory]
    [InlineData("place")]
    [InlineData("window")]
    [InlineData("watchlist")]
    [InlineData("threshold")]
    public void A_change_to_what_was_signed_should_void_the_signatures_visibly(string what)
    {
        var plan = Approved().Plan!;
        var changed = what switch
        {
            "place" => plan with { Place = plan.Place with { Name = "Catford Broadway" } },
            "window" => plan with { Window = plan.Window with { End = plan.Window.End.AddHours(2) } },
            "watchlist" => plan with { Watchlist = new WatchlistId("wl-2") },
            _ => plan with { Threshold = 0.65 },
        };

        var decision = Approved().Decide(new AmendPlan(Id, changed, Inspector), Morning, Settings);

        Assert.Null(decision.Refusal);
        Assert.Equal(DeploymentStatus.Draft, decision.State.Status);
        Assert.Empty(decision.State.Authorisations);
        Assert.Empty(decision.State.Approvals);
        var voided = Assert.Single(decision.State.Voided);
        Assert.Equal(DeploymentStatus.Approved, voided.Was);
        Assert.Contains(what, voided.Changes);
        Assert.Equal(AuditKind.ApprovalVoided, decision.Audit.Single().Kind);
    }

    [Fact]
    public void A_change_of_purpose_or_case_should_keep_the_signatures()
    {
        var plan = Approved().Plan!;
        var decision = Approved().Decide(new AmendPlan(Id, plan with { Purpose = "Warrants and recalls" }, Inspector), Morning, Settings);
        Assert.Equal(DeploymentStatus.Approved, decision.State.Status);
        Assert.Equal(AuditKind.PlanAmended, decision.Audit.Single().Kind);
    }

    [Fact]
    public void Any_threshold_change_before_going_live_should_void_the_signatures()
    {
        var raised = Do(Approved(), new ChangeThreshold(Id, 0.7, Inspector));
        Assert.Equal(DeploymentStatus.Draft, raised.Status);
        Assert.Contains("threshold 0.6 -> 0.7", Assert.Single(raised.Voided).Changes);
    }

    [Fact]
    public void A_watchlist_changed_after_signing_should_void_the_signatures_and_the_same_one_again_should_not()
    {
        var same = Do(Approved(), new WatchlistComposed(Id, new WatchlistId("wl-1"), new CategoryCounts(2, 3, 1)));
        Assert.Equal(DeploymentStatus.Approved, same.Status);

        var grown = Do(Approved(), new WatchlistComposed(Id, new WatchlistId("wl-1"), new CategoryCounts(2, 3, 2)));
        Assert.Equal(DeploymentStatus.Draft, grown.Status);
        Assert.Contains("7 entries", Assert.Single(grown.Voided).Changes);
        Assert.Equal(7, grown.PlannedWatchlist!.Counts.Total);
    }

    [Fact]
    public void Going_live_should_be_refused_with_every_missing_condition_named()
    {
        var approved = Do(DeploymentState.NotPlanned(Id), new PlanDeployment(Id, Plan(), Inspector), new Authorise(Id, Superintendent), new Approve(Id, Chief));

        var refusal = Refusal(approved, new GoLive(Id, Inspector));

        Assert.Contains("watchlist wl-1 has not been built for this deployment", refusal);
        Assert.Contains("1 operator(s) must be on duty; 0 is", refusal);
        Assert.Contains("at least 2 engagement officers must be on duty; 0 are", refusal);
        Assert.Contains("the signage checklist lists no approach", refusal);
    }

    [Fact]
    public void Going_live_should_need_an_operator_two_officers_and_a_confirmed_checklist_of_signs()
    {
        var state = Approved();
        Assert.Contains("give a photo or a reference", Refusal(state, new RecordSign(Id, "Rushey Green", " ", Inspector)));
        Assert.Contains("list each approach", Refusal(state, new ConfirmSignage(Id, Inspector)));

        state = Do(state, new RecordSign(Id, "Rushey Green", "IMG_2041", Inspector), new BookOn(Id, new StaffId("OP1"), CrewRole.Operator),
            new BookOn(Id, new StaffId("PC1"), CrewRole.Officer));
        var refusal = Refusal(state, new GoLive(Id, Inspector));
        Assert.Contains("at least 2 engagement officers must be on duty; 1 are", refusal);
        Assert.Contains("no officer has confirmed the signage", refusal);

        state = Do(state, new ConfirmSignage(Id, Inspector), new BookOn(Id, new StaffId("PC2"), CrewRole.Officer));
        // a sign added after the confirmation needs confirming again
        state = Do(state, new RecordSign(Id, "Catford Broadway", "sign LFR-02", Inspector));
        Assert.Contains("no officer has confirmed the signage", Refusal(state, new GoLive(Id, Inspector)));
        state = Do(state, new ConfirmSignage(Id, Inspector), new BookOff(Id, new StaffId("PC2")));
        Assert.Contains("1 are", Refusal(state, new GoLive(Id, Inspector)));

        state = Do(state, new BookOn(Id, new StaffId("PC2"), CrewRole.Officer), new GoLive(Id, Inspector));
        Assert.Equal(DeploymentStatus.Live, state.Status);
        Assert.Equal(["Rushey Green", "Catford Broadway"], state.Signs.Select(s => s.Approach));
    }

    [Fact]
    public void A_live_deployment_whose_plan_changes_should_go_back_to_draft()
    {
        var live = Do(Approved(), [.. Readiness.Commands(Id, Inspector), new GoLive(Id, Inspector)]);
        var moved = Do(live, new AmendPlan(Id, live.Plan! with { Place = live.Plan.Place with { Name = "Catford" } }, Inspector));
        Assert.Equal(DeploymentStatus.Draft, moved.Status);
        Assert.Equal(DeploymentStatus.Live, Assert.Single(moved.Voided).Was);
    }
}
