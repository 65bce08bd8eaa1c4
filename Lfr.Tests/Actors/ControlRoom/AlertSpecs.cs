using Akka.Actor;
using Akka.TestKit;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Alerts.AlertProtocol;
using Lfr.Vision.Files;

namespace Lfr.Tests.Actors.ControlRoom;

public sealed class AlertSpecs : ControlRoomSpec
{
    private static readonly DeploymentId D1 = new("d-1");
    private static readonly StaffId OperatorA = new("OP1");
    private static readonly StaffId OperatorB = new("OP2");
    private readonly TestProbe _officers;
    private readonly IActorRef _audit;
    private readonly IActorRef _watchlists;
    private readonly IActorRef _deployments;
    private readonly EncryptedImageStore _images;

    public AlertSpecs(ITestOutputHelper output) : base(output)
    {
        _officers = CreateTestProbe();
        _images = new EncryptedImageStore(Folder.File("images.db"), MasterKey.Default);
        _audit = Sys.ActorOf(AuditLogActor.Props(Clock), "audit");
        _deployments = Sys.ActorOf(DeploymentsActor.Props(new DeploymentSettings(), _audit, Clock));
        _watchlists = Sys.ActorOf(WatchlistAuthorityActor.Props(
            new WatchlistStore(Folder.File("watchlists.db"), MasterKey.Default), _images, new WatchlistSettings(), _deployments, _audit, Clock, FileImages.Engine));
        _watchlists.Tell(Build("wl-1", Entry("E1"), Entry("E2", WatchlistCategory.WantedWithPowerOfArrest), Entry("E3", WatchlistCategory.SexOffenderWithConditions)));
        ExpectMsg<WatchlistProtocol.WatchlistBuilt>();
        MakeLive(_deployments, D1, Plan(Morning, TimeSpan.FromHours(8)));
    }

    private IActorRef Desk(AlertSettings? settings = null, RetentionSettings? retention = null) =>
        Sys.ActorOf(AlertsActor.Props(settings ?? new AlertSettings(), retention ?? new RetentionSettings(), _images, _deployments, _watchlists, _officers, _audit, Clock));

    [Fact]
    public void AlertDesk_should_send_nothing_to_officers_until_an_operator_confirms()
    {
        var desk = Desk();
        desk.Tell(Candidate("a-1", "E1"));
        ExpectMsg<CandidateAccepted>(a => a.MergedInto == new AlertId("a-1"));
        _officers.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        AwaitAssert(() =>
        {
            desk.Tell(new GetAlert(D1, new AlertId("a-1")));
            Assert.NotNull(ExpectMsg<AlertView>().Record);
        });
        desk.Tell(new Confirm(D1, new AlertId("a-1"), OperatorA, [new OfficerId("PC1"), new OfficerId("PC2")]));
        var confirmed = ExpectMsg<AlertView>();
        Assert.Equal(AlertStatus.Confirmed, confirmed.Status);
        Assert.Equal(OperatorA, confirmed.Confirmations.Single().By);
        Assert.Equal(Morning, confirmed.Confirmations.Single().At);

        var tasking = _officers.ExpectMsg<OfficerProtocol.AssignTasking>().Tasking;
        Assert.Equal("Failed to appear: theft", tasking.Record!.Reason);
        Assert.Equal(confirmed.Captures.Single().Image, tasking.Captures.Single());
        Assert.NotNull(_images.Get(tasking.Record.FileImage));
        Assert.Equal(new OfficerId("PC2"), _officers.ExpectMsg<OfficerProtocol.AssignTasking>().Officer);

        desk.Tell(new Dismiss(D1, new AlertId("a-1"), OperatorB, DismissalReason.PoorImage));
        Assert.Contains("already been decided", ExpectMsg<Refused>().Reason);
    }

    [Fact]
    public void AlertDesk_should_store_nothing_from_a_deployment_that_is_not_live_or_outside_its_window_watchlist_or_threshold()
    {
        var desk = Desk();
        _deployments.Tell(new DeploymentProtocol.PlanDeployment(new DeploymentId("d-2"), Plan(Morning, TimeSpan.FromHours(8)), Sergeant));
        ExpectMsg<DeploymentState>();
        var before = _images.Count();

        desk.Tell(Candidate("a-1", "E1", deployment: "d-2"));
        Assert.Contains("not live", ExpectMsg<Refused>().Reason);
        desk.Tell(Candidate("a-2", "E1", at: Morning.AddHours(-1)));
        Assert.Contains("not live", ExpectMsg<Refused>().Reason);
        desk.Tell(Candidate("a-3", "E1", watchlist: "wl-old"));
        Assert.Contains("alerts on watchlist wl-1", ExpectMsg<Refused>().Reason);
        desk.Tell(Candidate("a-4", "E1") with { Likelihood = 0.59 });
        Assert.Contains("at 0.6 or more", ExpectMsg<Refused>().Reason);
        Assert.Equal(before, _images.Count());
        _officers.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void AlertDesk_should_still_acknowledge_a_resent_candidate_after_its_deployment_has_ended()
    {
        var desk = Desk();
        desk.Tell(Candidate("a-1", "E1"));
        ExpectMsg<CandidateAccepted>();
        _deployments.Tell(new DeploymentProtocol.EndDeployment(D1, Sergeant, "operation complete"));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Ended);

        // the desk hears of the end from the event stream; until then new candidates are still taken
        var attempt = 0;
        AwaitAssert(() =>
        {
            desk.Tell(Candidate($"late-{++attempt}", "E2", at: Morning.AddMinutes(5)));
            ExpectMsg<Refused>();
        });
        desk.Tell(Candidate("a-1", "E1"));
        ExpectMsg<CandidateAccepted>(a => a.MergedInto == new AlertId("a-1"));
    }

    [Fact]
    public void AlertDesk_should_make_one_alert_of_the_same_entry_on_two_cameras_within_a_minute_and_acknowledge_a_resent_candidate_again()
    {
        var desk = Desk();
        desk.Tell(Candidate("a-1", "E1", "van-1/cam-a", Morning));
        ExpectMsg<CandidateAccepted>();
        desk.Tell(Candidate("a-2", "E1", "van-1/cam-b", Morning.AddSeconds(40)));
        Assert.Equal(new CandidateAccepted(new AlertId("a-2"), new AlertId("a-1")), ExpectMsg<CandidateAccepted>());
        desk.Tell(Candidate("a-2", "E1", "van-1/cam-b", Morning.AddSeconds(40)));
        Assert.Equal(new CandidateAccepted(new AlertId("a-2"), new AlertId("a-1")), ExpectMsg<CandidateAccepted>());
        // two minutes later it is a new sighting
        desk.Tell(Candidate("a-3", "E1", "van-1/cam-a", Morning.AddMinutes(2)));
        ExpectMsg<CandidateAccepted>(a => a.MergedInto == new AlertId("a-3"));

        desk.Tell(new GetQueue(D1));
        var queue = ExpectMsg<Queue>().Alerts;
        Assert.Equal(2, queue.Count);
        var first = queue.Single(a => a.Id == new AlertId("a-1"));
        Assert.Equal(["van-1/cam-a", "van-1/cam-b"], first.Captures.Select(c => c.Camera));
    }

    [Fact]
    public void AlertDesk_should_order_its_queue_by_urgency_then_by_age()
    {
        var desk = Desk();
        desk.Tell(Candidate("a-1", "E3", category: WatchlistCategory.SexOffenderWithConditions, at: Morning));
        desk.Tell(Candidate("a-2", "E1", category: WatchlistCategory.CourtWarrant, at: Morning));
        Clock.Advance(TimeSpan.FromSeconds(5));
        desk.Tell(Candidate("a-3", "E2", category: WatchlistCategory.WantedWithPowerOfArrest, at: Morning.AddSeconds(5)));
        ReceiveN(3);

        desk.Tell(new GetQueue(D1));
        Assert.Equal(["a-3", "a-2", "a-1"], ExpectMsg<Queue>().Alerts.Select(a => a.Id.Value));
    }

    [Fact]
    public void AlertDesk_should_order_its_queue_by_the_urgency_the_force_configures()
    {
        // this force puts sex offenders breaching conditions first; the other categories keep their order
        var desk = Desk(Configured.ControlRoom("Lfr:ControlRoom:Alerts:UrgencyByCategory:SexOffenderWithConditions=0").Alerts);
        desk.Tell(Candidate("a-1", "E3", category: WatchlistCategory.SexOffenderWithConditions, at: Morning));
        desk.Tell(Candidate("a-2", "E1", category: WatchlistCategory.CourtWarrant, at: Morning));
        desk.Tell(Candidate("a-3", "E2", category: WatchlistCategory.WantedWithPowerOfArrest, at: Morning));
        ReceiveN(3);

        desk.Tell(new GetQueue(D1));
        Assert.Equal(["a-1", "a-3", "a-2"], ExpectMsg<Queue>().Alerts.Select(a => a.Id.Value));
    }

    [Fact]
    public void AlertDesk_should_join_a_sighting_to_the_alert_within_the_configured_merge_window_only()
    {
        var desk = Desk(Configured.ControlRoom("Lfr:ControlRoom:Alerts:MergeWindow=5m").Alerts);
        desk.Tell(Candidate("a-1", "E1", at: Morning));
        ExpectMsg<CandidateAccepted>(a => a.MergedInto == new AlertId("a-1"));
        // three minutes on: a new alert under the default minute, the same one under five
        Clock.Advance(TimeSpan.FromMinutes(3));
        desk.Tell(Candidate("a-2", "E1", at: Morning.AddMinutes(3)));
        ExpectMsg<CandidateAccepted>(a => a.MergedInto == new AlertId("a-1"));
        Clock.Advance(TimeSpan.FromMinutes(6));
        desk.Tell(Candidate("a-3", "E1", at: Morning.AddMinutes(9)));
        ExpectMsg<CandidateAccepted>(a => a.MergedInto == new AlertId("a-3"));
    }

    [Fact]
    public async Task AlertDesk_should_record_who_dismissed_why_and_who_viewed_or_exported_a_capture_kept_for_the_shorter_period()
    {
        // this force keeps a dismissed alert's captures 3 days
        var policy = Configured.ControlRoom("Lfr:ControlRoom:Retention:DismissedRetention=3d").Retention;
        var desk = Desk(retention: policy);
        var retention = Sys.ActorOf(RetentionActor.Props(_images, policy, _audit, Clock));
        desk.Tell(Candidate("a-1", "E1"));
        ExpectMsg<CandidateAccepted>();
        Clock.Advance(TimeSpan.FromMinutes(3));
        desk.Tell(new Dismiss(D1, new AlertId("a-1"), OperatorA, DismissalReason.LookalikeOrRelative));
        var dismissed = ExpectMsg<AlertView>();
        Assert.Equal(new Decision(OperatorA, Morning.AddMinutes(3)), dismissed.Dismissal);
        Assert.Equal(DismissalReason.LookalikeOrRelative, dismissed.DismissalReason);
        _officers.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        var capture = dismissed.Captures.Single().Image;
        desk.Tell(new ViewImage(D1, new AlertId("a-1"), capture, OperatorB));
        Assert.NotNull(ExpectMsg<ImageView>().Jpeg);
        desk.Tell(new ExportImage(D1, new AlertId("a-1"), capture, OperatorB, " "));
        Assert.Contains("purpose", ExpectMsg<Refused>().Reason);
        desk.Tell(new ExportImage(D1, new AlertId("a-1"), capture, OperatorB, "complaint IOPC/123"));
        Assert.NotNull(ExpectMsg<ImageView>().Jpeg);
        desk.Tell(new ViewImage(D1, new AlertId("a-2"), capture, OperatorB));
        ExpectMsg<Refused>();

        Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        retention.Tell(RetentionProtocol.PurgeNow.Instance);
        Assert.Equal(0, ExpectMsg<RetentionProtocol.Purged>().Images);

        // the hourly sweep deletes it once the dismissed period is over
        Clock.Advance(TimeSpan.FromHours(1));
        AwaitAssert(() => Assert.Null(_images.Get(capture)));
        desk.Tell(new ViewImage(D1, new AlertId("a-1"), capture, OperatorB));
        Assert.Null(ExpectMsg<ImageView>().Jpeg);

        var trail = await _audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), RemainingOrDefault);
        Assert.Contains(trail.Entries, e => e is { Kind: AuditKind.AlertDismissed, Who: "OP1", Detail: "reason=LookalikeOrRelative" });
        Assert.Equal(2, trail.Entries.Count(e => e is { Kind: AuditKind.ImageViewed, Who: "OP2" }));
        Assert.Contains(trail.Entries, e => e.Kind == AuditKind.ImageExported && e.Detail.EndsWith("purpose=complaint IOPC/123", StringComparison.Ordinal));
    }

    [Fact]
    public void AlertDesk_should_need_a_second_different_operator_to_confirm_in_two_person_mode()
    {
        var desk = Desk(Configured.ControlRoom("Lfr:ControlRoom:Alerts:TwoPersonConfirmation=true").Alerts);
        desk.Tell(Candidate("a-1", "E1"));
        ExpectMsg<CandidateAccepted>();
        AwaitAssert(() =>
        {
            desk.Tell(new GetAlert(D1, new AlertId("a-1")));
            Assert.NotNull(ExpectMsg<AlertView>().Record);
        });

        desk.Tell(new Confirm(D1, new AlertId("a-1"), OperatorA, [new OfficerId("PC1")]));
        ExpectMsg<AlertView>(a => a.Status == AlertStatus.AwaitingSecondConfirmation);
        desk.Tell(new Confirm(D1, new AlertId("a-1"), OperatorA, [new OfficerId("PC1")]));
        Assert.Contains("second, different operator", ExpectMsg<Refused>().Reason);
        _officers.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        desk.Tell(new Confirm(D1, new AlertId("a-1"), OperatorB, [new OfficerId("PC1")]));
        var confirmed = ExpectMsg<AlertView>(a => a.Status == AlertStatus.Confirmed);
        Assert.Equal([OperatorA, OperatorB], confirmed.Confirmations.Select(c => c.By));
        _officers.ExpectMsg<OfficerProtocol.AssignTasking>();
    }
}
