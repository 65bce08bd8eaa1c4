using Akka.Actor;
using Akka.Event;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Vision;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>
/// The control room's watchlists: builds them, hands them to the vans of their deployment, answers what an
/// operator needs about an entry, and wipes them (memory, database rows, encrypted file images) every day at the
/// configured time and when their deployment ends. Each wipe is checked afterwards and recorded with its counts;
/// only the manifest (entry ids, counts) and the subject-access rows stay. On start it first wipes any watchlist that a
/// daily wipe should already have removed, e.g. while this node was down. A watchlist is handed only to a van
/// of its own deployment while that deployment is live.
/// </summary>
public sealed partial class WatchlistAuthorityActor : ReceiveActor
{
    private readonly WatchlistStore _store;
    private readonly SubjectAccessStore _subjects;
    private readonly EncryptedImageStore _images;
    private readonly WatchlistSettings _settings;
    private readonly IActorRef _deployments;
    private readonly IActorRef _audit;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Dictionary<WatchlistId, List<WatchlistRecord>> _held = [];

    /// <summary>Loads and changes waiting for their deployment's state, which decides whether they are allowed.</summary>
    private readonly Dictionary<DeploymentId, List<(IWatchlistMessage Message, IActorRef ReplyTo)>> _pending = [];

    /// <summary>Enrolments in progress, by watchlist: entries done and in all.</summary>
    private readonly Dictionary<WatchlistId, (int Done, int Total)> _progress = [];
    private ITimer? _dailyWipe;

    /// <summary>Builds whose file images are being enrolled (on this actor's dispatcher, the store's): their ids are taken.</summary>
    private readonly HashSet<WatchlistId> _building = [];
    private readonly FaceEngine? _engine;
    private readonly WatchlistSigningKey? _key;
    private IActorRef? _enrolment;

    /// <param name="engine">Turns file images into embeddings; without it, watchlists can be imported but not built.</param>
    /// <param name="key">Verifies imported watchlist files; without it, none can be imported.</param>
    public WatchlistAuthorityActor(WatchlistStore store, SubjectAccessStore subjects, EncryptedImageStore images, WatchlistSettings settings, IActorRef deployments,
        IActorRef audit, TimeProvider time, FaceEngine? engine, WatchlistSigningKey? key)
    {
        _engine = engine;
        _key = key;
        _deployments = deployments;
        _store = store;
        _subjects = subjects;
        _images = images;
        _settings = settings;
        _audit = audit;
        _time = time;

        Receive<BuildWatchlist>(Handle);
        Receive<ImportWatchlist>(Handle);
        Receive<WatchlistEnrolmentActor.Enrolled>(Handle);
        Receive<WatchlistEnrolmentActor.NotEnrolled>(Handle);
        Receive<WatchlistEnrolmentActor.Progress>(p => _progress[p.Watchlist] = (p.Done, p.Total));
        Receive<GetBuildProgress>(g => Sender.Tell(_progress.TryGetValue(g.Watchlist, out var p)
            ? new BuildProgress(g.Watchlist, p.Done, p.Total) : new BuildProgress(g.Watchlist, 0, 0)));
        Receive<AddEntries>(Handle);
        Receive<RemoveEntry>(Handle);
        Receive<GetEntries>(g => Sender.Tell(_held.TryGetValue(g.Watchlist, out var records)
            ? new Entries(g.Watchlist, records.ToArray()) : new Refused($"watchlist {g.Watchlist} is not held: it was wiped or never built")));
        Receive<LoadWatchlist>(Handle);
        Receive<DeploymentState>(Handle);
        Receive<DescribeEntry>(d => Sender.Tell(new EntryDescription(d.Watchlist, d.Entry,
            _held.TryGetValue(d.Watchlist, out var records) ? records.Find(r => r.Id == d.Entry) : null)));
        Receive<WipeWatchlist>(w => Sender.Tell(Wipe(w.Watchlist, w.By, w.Reason)));
        Receive<DeploymentProtocol.DeploymentEnded>(e => Wipe(e.Watchlist, StaffId.System, $"deployment {e.Deployment} ended"));
        Receive<DailyWipeDue>(_ =>
        {
            WipeAll("daily wipe");
            _subjects.Purge(_time.GetUtcNow() - _settings.SubjectAccessKeepFor);
            ArmDailyWipe();
        });
        Receive<GetManifest>(g => Sender.Tell(new ManifestResult(g.Watchlist, _store.Manifest(g.Watchlist))));
        Receive<FindSubject>(Handle);
    }

    public static Props Props(WatchlistStore store, SubjectAccessStore subjects, EncryptedImageStore images, WatchlistSettings settings,
        IActorRef deployments, IActorRef audit, TimeProvider time, FaceEngine? engine = null, WatchlistSigningKey? key = null) =>
        Akka.Actor.Props.Create(() => new WatchlistAuthorityActor(store, subjects, images, settings, deployments, audit, time, engine, key));

    protected override void PreStart()
    {
        if (_engine is not null)
            _enrolment = Context.ActorOf(WatchlistEnrolmentActor.Props(_engine).WithDispatcher(Context.Props.Dispatcher), "enrolment");
        _held = _store.LoadUnwiped();
        var lastDailyWipe = Schedule.Last(_time.GetUtcNow());
        foreach (var watchlist in _held.Keys.ToList())
            if (_store.BuiltAt(watchlist) is { } builtAt && builtAt < lastDailyWipe)
                Wipe(watchlist, StaffId.System, "missed daily wipe, wiped on start");
        Context.System.EventStream.Subscribe(Self, typeof(DeploymentProtocol.DeploymentEnded));
        ArmDailyWipe();
    }

    protected override void PostStop()
    {
        _dailyWipe?.Dispose();
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void Handle(BuildWatchlist build)
    {
        if (Validate(build) is { } problem)
        {
            Sender.Tell(new Refused(problem));
            return;
        }

        if (_enrolment is null)
        {
            Sender.Tell(new Refused("this control room has no face models loaded, so it cannot turn file images into embeddings"));
            return;
        }

        _building.Add(build.Watchlist);
        _progress[build.Watchlist] = (0, build.Entries.Count);
        _enrolment.Tell(new WatchlistEnrolmentActor.Enrol(build, Sender));
    }

    private void Handle(WatchlistEnrolmentActor.Enrolled enrolled)
    {
        _building.Remove(enrolled.Build.Watchlist);
        _progress.Remove(enrolled.Build.Watchlist);
        var build = enrolled.Build;
        if (enrolled.Adding)
        {
            StoreAdded(build, enrolled.Embeddings, enrolled.ReplyTo);
            return;
        }

        Store(build.Watchlist, build.ForDate, build.Deployment, build.BuiltBy, build.Entries, enrolled.Embeddings, enrolled.ModelSha256,
            enrolled.ReplyTo, "built");
    }

    private void Handle(WatchlistEnrolmentActor.NotEnrolled refused)
    {
        _building.Remove(refused.Build.Watchlist);
        _progress.Remove(refused.Build.Watchlist);
        _log.Warning("Watchlist {Watchlist} not built: {Count} file images without one usable face", refused.Build.Watchlist, refused.Problems.Count);
        refused.ReplyTo.Tell(new EnrolmentRefused(refused.Build.Watchlist, refused.Problems));
    }

    private static string[] Markers(IReadOnlyList<string>? markers) =>
        (markers ?? []).Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Stores a whole watchlist at once: the file images encrypted, the entries with their embeddings, the manifest.</summary>
    private void Store(WatchlistId watchlist, DateOnly forDate, DeploymentId? deployment, StaffId by, IReadOnlyList<WatchlistEntryDraft> drafts,
        float[][] embeddings, string modelSha256, IActorRef replyTo, string how)
    {
        var entries = Records(drafts, embeddings);
        _images.PutMany(ImageKind.FileImage, ImageOwner(watchlist), entries.SelectMany(e => e.Record.AllFileImages().Zip(e.Images)), purgeAfter: null);
        _store.Add(watchlist, forDate, deployment, _time.GetUtcNow(), modelSha256, entries.Select(e => (e.Record, e.Embedding)).ToList());
        _subjects.Add(watchlist, forDate, deployment, _time.GetUtcNow(), entries.Select(e => (e.Record.Id, e.Record.Category, e.SubjectReference)));
        _held[watchlist] = entries.Select(e => e.Record).ToList();
        foreach (var embedding in embeddings)
            Array.Clear(embedding);

        var counts = CategoryCounts.Of(drafts.Select(e => e.Category));
        _audit.Tell(new AuditProtocol.Record(AuditKind.WatchlistBuilt, by.Value, deployment?.Value, watchlist.Value,
            $"entries={counts.Total};{counts}" + (how == "built" ? "" : $";{how}")));
        // before the answer, so that whoever built it finds the deployment knowing its watchlist
        if (deployment is { } forDeployment)
            _deployments.Tell(new DeploymentProtocol.WatchlistComposed(forDeployment, watchlist, counts));
        replyTo.Tell(new WatchlistBuilt(watchlist, counts));
    }

    /// <summary>Each entry's record with a new reference for every file image, and those images in the same order.</summary>
    private static List<(WatchlistRecord Record, string SubjectReference, IReadOnlyList<byte[]> Images, float[] Embedding)> Records(
        IReadOnlyList<WatchlistEntryDraft> drafts, float[][] embeddings) =>
        drafts.Select((draft, i) =>
            (new WatchlistRecord(draft.Id, draft.Category, draft.Reason, draft.Source, draft.SourceDate, draft.AddedBy, ImageRef.New("file"),
                Markers(draft.WarningMarkers), [.. (draft.MoreFileImages ?? []).Select(_ => ImageRef.New("file"))]),
                draft.SubjectReference, draft.AllFileImages(), embeddings[i])).ToList();

    private string? Validate(BuildWatchlist build)
    {
        if (string.IsNullOrWhiteSpace(build.Watchlist.Value))
            return "a watchlist needs an id";
        if (_store.Manifest(build.Watchlist) is not null || _building.Contains(build.Watchlist))
            return $"watchlist {build.Watchlist} was already built; build a new one for another day";
        return build.Entries.Count == 0 ? "a watchlist needs at least one entry" : ValidateEntries(build.Entries);
    }

    private static string? ValidateEntries(IReadOnlyList<WatchlistEntryDraft> entries)
    {
        foreach (var entry in entries)
        {
            if (string.IsNullOrWhiteSpace(entry.Id.Value))
                return "every entry needs an id";
            if (!Enum.IsDefined(entry.Category))
                return $"entry {entry.Id}: unknown category {entry.Category}";
            if (string.IsNullOrWhiteSpace(entry.Reason))
                return $"entry {entry.Id}: the reason (warrant, offence or condition) is missing";
            if (string.IsNullOrWhiteSpace(entry.Source))
                return $"entry {entry.Id}: the image's source is missing";
            if (string.IsNullOrWhiteSpace(entry.SubjectReference))
                return $"entry {entry.Id}: the subject reference is missing";
            if (entry.AllFileImages().Any(i => i.Length == 0))
                return $"entry {entry.Id}: the file image is missing";
            if (entry.AllFileImages().Count > WatchlistEntry.MaxFileImages)
                return $"entry {entry.Id}: {entry.AllFileImages().Count} file images, at most {WatchlistEntry.MaxFileImages}";
        }

        var duplicate = entries.GroupBy(e => e.Id).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"entry {duplicate.Key} appears more than once";
    }

    private void Handle(LoadWatchlist load)
    {
        if (!_held.ContainsKey(load.Watchlist))
        {
            Sender.Tell(new LoadRefused(load.Watchlist, load.Node, $"watchlist {load.Watchlist} is not held: it was wiped or never built"));
            return;
        }

        if (_store.Manifest(load.Watchlist)?.Deployment is not { } deployment)
        {
            Sender.Tell(new LoadRefused(load.Watchlist, load.Node, $"watchlist {load.Watchlist} was not built for a deployment, so no van may load it"));
            return;
        }

        AwaitDeployment(deployment, load);
    }

    /// <summary>Asks for the deployment's state once, however many messages wait for it.</summary>
    private void AwaitDeployment(DeploymentId deployment, IWatchlistMessage message)
    {
        if (!_pending.TryGetValue(deployment, out var pending))
        {
            _pending[deployment] = pending = [];
            _deployments.Tell(new DeploymentProtocol.GetDeployment(deployment));
        }

        pending.Add((message, Sender));
    }

    private void Handle(DeploymentState deployment)
    {
        if (!_pending.Remove(deployment.Id, out var pending))
            return;
        foreach (var (message, replyTo) in pending)
        {
            if (message is not LoadWatchlist load)
                Change(message, deployment, replyTo);
            else if (!_held.TryGetValue(load.Watchlist, out var records))
                replyTo.Tell(new LoadRefused(load.Watchlist, load.Node, $"watchlist {load.Watchlist} is not held: it was wiped or never built"));
            else if (deployment.Status != DeploymentStatus.Live || deployment.Plan!.Watchlist != load.Watchlist)
                replyTo.Tell(new LoadRefused(load.Watchlist, load.Node, $"deployment {deployment.Id} is not live with watchlist {load.Watchlist}"));
            else if (!deployment.Plan.Vans.Contains(load.Node, StringComparer.Ordinal))
                replyTo.Tell(new LoadRefused(load.Watchlist, load.Node, $"{load.Node} is not a van of deployment {deployment.Id}"));
            else
            {
                _audit.Tell(new AuditProtocol.Record(AuditKind.WatchlistLoaded, StaffId.System.Value, deployment.Id.Value, load.Watchlist.Value,
                    $"node={load.Node};entries={records.Count}"));
                replyTo.Tell(new WatchlistContents(load.Watchlist, load.Node, deployment.Id, _store.Model(load.Watchlist) ?? "",
                    records.ToArray(), _store.Embeddings(load.Watchlist), Schedule));
            }
        }
    }

    private WatchlistWiped Wipe(WatchlistId watchlist, StaffId by, string reason)
    {
        var now = _time.GetUtcNow();
        var owner = ImageOwner(watchlist);
        _held.Remove(watchlist);
        var images = _images.DeleteOwner(owner);
        var entries = _store.DeleteEntries(watchlist, now);
        // checked from the stores, not from what the deletes reported
        var verified = !_held.ContainsKey(watchlist) && _store.CountEntries(watchlist) == 0 && _images.Count(owner) == 0;
        _subjects.Wiped(watchlist, now);

        Context.System.EventStream.Publish(new WatchlistWipeOrdered(watchlist, now));
        _audit.Tell(new AuditProtocol.Record(AuditKind.WatchlistWiped, by.Value, _store.Manifest(watchlist)?.Deployment?.Value, watchlist.Value,
            $"entries={entries};images={images};verified={verified.ToString().ToLowerInvariant()};reason={reason}"));
        if (verified)
            _log.Info("Watchlist {Watchlist} wiped ({Reason}): {Entries} entries, {Images} images", watchlist, reason, entries, images);
        else
            _log.Error("Watchlist {Watchlist} wipe could not be verified: rows or images remain", watchlist);
        return new WatchlistWiped(watchlist, entries, images, verified);
    }

    private void WipeAll(string reason)
    {
        foreach (var watchlist in _held.Keys.ToList())
            Wipe(watchlist, StaffId.System, reason);
    }

    private DailyWipeSchedule Schedule => _settings.Schedule;

    private void ArmDailyWipe()
    {
        _dailyWipe?.Dispose();
        var self = Self;
        _dailyWipe = _time.CreateTimer(_ => self.Tell(DailyWipeDue.Instance), null,
            Schedule.Next(_time.GetUtcNow()) - _time.GetUtcNow(), Timeout.InfiniteTimeSpan);
    }

    private static string ImageOwner(WatchlistId watchlist) => "watchlist:" + watchlist.Value;

    private sealed class DailyWipeDue
    {
        public static readonly DailyWipeDue Instance = new();
        private DailyWipeDue() { }
    }
}
