using Akka.Actor;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Retention;
using static Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>
/// The watchlist manager's changes after the build (entries added or removed while the deployment has not gone live, each
/// audited by opaque id) and subject access.
/// </summary>
public sealed partial class WatchlistAuthorityActor
{
    private void Handle(AddEntries add)
    {
        if (!_held.ContainsKey(add.Watchlist))
            Sender.Tell(new Refused($"watchlist {add.Watchlist} is not held: it was wiped or never built"));
        else if (add.Entries.Count == 0)
            Sender.Tell(new Refused("add at least one entry"));
        else if (ValidateEntries(add.Entries) is { } problem)
            Sender.Tell(new Refused(problem));
        else if (_enrolment is null)
            Sender.Tell(new Refused("this control room has no face models loaded, so it cannot turn file images into embeddings"));
        else if (_building.Contains(add.Watchlist))
            Sender.Tell(new Refused($"watchlist {add.Watchlist} is being enrolled; add entries when that has finished"));
        else
            ChangeWhenAllowed(add.Watchlist, add);
    }

    private void Handle(RemoveEntry remove)
    {
        if (!_held.TryGetValue(remove.Watchlist, out var records))
            Sender.Tell(new Refused($"watchlist {remove.Watchlist} is not held: it was wiped or never built"));
        else if (!records.Exists(r => r.Id == remove.Entry))
            Sender.Tell(new Refused($"watchlist {remove.Watchlist} has no entry {remove.Entry}"));
        else if (string.IsNullOrWhiteSpace(remove.Reason))
            Sender.Tell(new Refused("say why the entry comes off the watchlist"));
        else
            ChangeWhenAllowed(remove.Watchlist, remove);
    }

    /// <summary>A watchlist of a deployment may change only until that deployment goes live; one without a deployment, until its wipe.</summary>
    private void ChangeWhenAllowed(WatchlistId watchlist, IWatchlistMessage change)
    {
        if (_store.Manifest(watchlist)?.Deployment is { } deployment)
            AwaitDeployment(deployment, change);
        else
            Change(change, null, Sender);
    }

    private void Change(IWatchlistMessage change, DeploymentState? deployment, IActorRef replyTo)
    {
        if (deployment?.Status is DeploymentStatus.Live or DeploymentStatus.Ended)
        {
            replyTo.Tell(new Refused($"deployment {deployment.Id} has gone live: its watchlist can no longer change"));
            return;
        }

        switch (change)
        {
            case AddEntries add when _held.ContainsKey(add.Watchlist) && !_building.Contains(add.Watchlist):
                var taken = _held[add.Watchlist].Select(r => r.Id).ToHashSet();
                if (add.Entries.FirstOrDefault(e => taken.Contains(e.Id)) is { } clash)
                {
                    replyTo.Tell(new Refused($"entry {clash.Id} is already on watchlist {add.Watchlist}"));
                    return;
                }

                var manifest = _store.Manifest(add.Watchlist)!;
                _building.Add(add.Watchlist);
                _progress[add.Watchlist] = (0, add.Entries.Count);
                _enrolment!.Tell(new WatchlistEnrolmentActor.Enrol(
                    new BuildWatchlist(add.Watchlist, manifest.ForDate, manifest.Deployment, add.By, add.Entries), replyTo, Adding: true));
                return;
            case RemoveEntry remove when _held.TryGetValue(remove.Watchlist, out var records) && records.Find(r => r.Id == remove.Entry) is { } record:
                records.Remove(record);
                var counts = CategoryCounts.Of(records.Select(r => r.Category));
                _store.RemoveEntry(remove.Watchlist, remove.Entry, counts);
                _images.Delete(record.FileImage);
                _subjects.Removed(remove.Watchlist, remove.Entry, _time.GetUtcNow());
                _audit.Tell(new AuditProtocol.Record(AuditKind.WatchlistEntryRemoved, remove.By.Value, deployment?.Id.Value, remove.Watchlist.Value,
                    $"entry={remove.Entry};category={record.Category};entries={counts.Total};reason={remove.Reason}"));
                replyTo.Tell(new EntriesChanged(remove.Watchlist, counts));
                return;
            default:
                replyTo.Tell(new Refused("the watchlist changed meanwhile (wiped, or the entry already removed): reload and try again"));
                return;
        }
    }

    /// <summary>An addition enrolled: its file images, rows and subject-access rows stored, the counts updated.</summary>
    private void StoreAdded(BuildWatchlist add, float[][] embeddings, IActorRef replyTo)
    {
        if (!_held.TryGetValue(add.Watchlist, out var records))
        {
            replyTo.Tell(new Refused($"watchlist {add.Watchlist} was wiped while its new entries were enrolled; nothing was added"));
            return;
        }

        var entries = Records(add.Entries, embeddings);
        var counts = CategoryCounts.Of(records.Select(r => r.Category).Concat(add.Entries.Select(e => e.Category)));
        _images.PutMany(ImageKind.FileImage, ImageOwner(add.Watchlist), entries.SelectMany(e => e.Record.AllFileImages().Zip(e.Images)), purgeAfter: null);
        _store.AddEntries(add.Watchlist, entries.Select(e => (e.Record, e.Embedding)).ToList(), counts);
        _subjects.Add(add.Watchlist, add.ForDate, add.Deployment, _time.GetUtcNow(), entries.Select(e => (e.Record.Id, e.Record.Category, e.SubjectReference)));
        records.AddRange(entries.Select(e => e.Record));
        foreach (var embedding in embeddings)
            Array.Clear(embedding);

        var added = CategoryCounts.Of(add.Entries.Select(e => e.Category));
        _audit.Tell(new AuditProtocol.Record(AuditKind.WatchlistEntriesAdded, add.BuiltBy.Value, add.Deployment?.Value, add.Watchlist.Value,
            $"added={added.Total};{added};entries={counts.Total};ids={string.Join(',', add.Entries.Select(e => e.Id.Value))}"));
        replyTo.Tell(new EntriesChanged(add.Watchlist, counts));
    }

    private void Handle(FindSubject query)
    {
        if (string.IsNullOrWhiteSpace(query.Reference))
        {
            Sender.Tell(new Refused("give the subject reference (e.g. the PNC id) to look for"));
            return;
        }

        var records = _subjects.Find(query.Reference);
        // the reference stays out of the audit trail: the request's own number and what was found identify the query
        _audit.Tell(new AuditProtocol.Record(AuditKind.SubjectAccessQueried, query.By.Value, null, "subject-access",
            $"request={query.Request};watchlists={records.Select(r => r.Watchlist).Distinct().Count()};entries={string.Join(',', records.Select(r => r.Entry.Value))}"));
        Sender.Tell(new SubjectAccessAnswer(records));
    }
}
