using Akka.Actor;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Officers;
using static Lfr.Actors.ControlRoom.Alerts.AlertProtocol;

namespace Lfr.Actors.ControlRoom.Alerts;

/// <summary>
/// After the confirm: the operator adds officers, re-tasks one (an escalated, unacknowledged tasking), cancels one
/// with a reason, or stands everyone down. Each change is journalled and audited, and reaches the officers' handsets.
/// </summary>
public sealed partial class AlertDeskActor
{
    private void Handle(AddOfficers add)
    {
        if (Dealable(add.Alert, add.Officers.Count == 0 ? "choose at least one officer to add" : null) is not { } alert)
            return;
        var already = (alert.Lines ?? []).Where(l => l.Open).Select(l => l.Officer).ToHashSet();
        if (add.Officers.FirstOrDefault(already.Contains) is { Value: not null } twice)
        {
            Sender.Tell(new Refused(add.Alert, $"officer {twice} is already tasked to alert {add.Alert}"));
            return;
        }

        var decision = new Decision(add.Operator, _time.GetUtcNow());
        var assignments = Assign(alert, add.Officers);
        var replyTo = Sender;
        Persist(new TaskingsAdded(alert.Id, decision, assignments), e =>
        {
            _ledger.Apply(e);
            Task(_ledger.Alerts[alert.Id], assignments, add.Operator, decision.At, AuditKind.TaskingAdded);
            replyTo.Tell(_ledger.Alerts[alert.Id]);
        });
    }

    private void Handle(CancelTasking cancel)
    {
        if (Dealable(cancel.Alert, Missing(cancel.Reason)) is not { } alert || OpenLine(alert, cancel.Tasking) is not { } line)
            return;
        var replyTo = Sender;
        Persist(new TaskingCancelled(alert.Id, line.Id, new Decision(cancel.Operator, _time.GetUtcNow()), cancel.Reason.Trim()), e =>
        {
            _ledger.Apply(e);
            StandOfficerDown(line, e.Reason, cancel.Operator, AuditKind.TaskingCancelled);
            replyTo.Tell(_ledger.Alerts[alert.Id]);
        });
    }

    private void Handle(ReTask retask)
    {
        if (Dealable(retask.Alert, Missing(retask.Reason)) is not { } alert || OpenLine(alert, retask.Tasking) is not { } line)
            return;
        if (line.Officer == retask.To)
        {
            Sender.Tell(new Refused(retask.Alert, $"officer {retask.To} already holds tasking {retask.Tasking}; choose another officer"));
            return;
        }

        var decision = new Decision(retask.Operator, _time.GetUtcNow());
        var assignments = Assign(alert, [retask.To]);
        var reason = $"re-tasked to {retask.To}: {retask.Reason.Trim()}";
        var replyTo = Sender;
        PersistAll(new IAlertEvent[] { new TaskingCancelled(alert.Id, line.Id, decision, reason), new TaskingsAdded(alert.Id, decision, assignments) }, e =>
        {
            _ledger.Apply(e);
            if (e is TaskingCancelled)
                StandOfficerDown(line, reason, retask.Operator, AuditKind.TaskingCancelled);
            else
            {
                Task(_ledger.Alerts[alert.Id], assignments, retask.Operator, decision.At, AuditKind.TaskingAdded);
                replyTo.Tell(_ledger.Alerts[alert.Id]);
            }
        });
    }

    private void Handle(StandDown standDown)
    {
        if (Dealable(standDown.Alert, Missing(standDown.Reason)) is not { } alert)
            return;
        var open = (alert.Lines ?? []).Where(l => l.Open).ToArray();
        if (open.Length == 0)
        {
            Sender.Tell(new Refused(standDown.Alert, $"no officer is still tasked to alert {standDown.Alert}"));
            return;
        }

        var decision = new Decision(standDown.Operator, _time.GetUtcNow());
        var reason = standDown.Reason.Trim();
        var replyTo = Sender;
        Audit(AuditKind.AlertStoodDown, standDown.Operator, alert.Id, $"officers={open.Length};reason={reason}");
        PersistAll(open.Select(l => new TaskingCancelled(alert.Id, l.Id, decision, reason)), e =>
        {
            _ledger.Apply(e);
            var line = open.Single(l => l.Id == e.Tasking);
            StandOfficerDown(line, reason, standDown.Operator, AuditKind.TaskingCancelled);
            if (line == open[^1])
                replyTo.Tell(_ledger.Alerts[alert.Id]);
        });
    }

    /// <summary>A fresh tasking id per officer; an officer tasked to the alert before gets a numbered one.</summary>
    private static Assignment[] Assign(AlertView alert, IEnumerable<OfficerId> officers)
    {
        var used = alert.Taskings.Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
        return officers.Distinct().Select(o =>
        {
            var id = $"{alert.Id}/{o}";
            for (var n = 2; used.Contains(id); n++)
                id = $"{alert.Id}/{o}/{n}";
            used.Add(id);
            return new Assignment(o, new TaskingId(id));
        }).ToArray();
    }

    /// <summary>Sends each officer the tasking: the record, the captures best first with camera and time, the place and the note.</summary>
    private void Task(AlertView alert, IEnumerable<Assignment> assignments, StaffId by, DateTimeOffset at, AuditKind kind)
    {
        var sightings = alert.Captures.OrderByDescending(c => c.Likelihood).ThenBy(c => c.At).ToArray();
        foreach (var assignment in assignments)
        {
            var tasking = new Tasking(assignment.Tasking, alert.Id, _deployment, alert.Watchlist, alert.Entry, alert.Category, alert.Record,
                sightings.Select(c => c.Image).ToArray(), by, at, sightings, _deploymentState?.Plan?.Place.Name, alert.Note);
            _officers.Tell(new OfficerProtocol.AssignTasking(assignment.Officer, tasking));
            Audit(kind, by, alert.Id, $"tasking={assignment.Tasking};officer={assignment.Officer}");
        }
    }

    private void StandOfficerDown(TaskingLine line, string reason, StaffId by, AuditKind kind)
    {
        _officers.Tell(new OfficerProtocol.StandDownTasking(line.Officer, line.Id, reason));
        Audit(kind, by, AlertOf(line.Id), $"tasking={line.Id};officer={line.Officer};reason={reason}");
    }

    private AlertId AlertOf(TaskingId tasking) => _ledger.Alerts.Values.First(a => a.Taskings.Contains(tasking)).Id;

    private static string? Missing(string? reason) => string.IsNullOrWhiteSpace(reason) ? "give the reason (the officer sees it)" : null;

    /// <summary>The alert if it is confirmed and <paramref name="problem"/> is null; otherwise replies why not and returns null.</summary>
    private AlertView? Dealable(AlertId id, string? problem)
    {
        if (!_ledger.Alerts.TryGetValue(id, out var alert))
            Sender.Tell(new Refused(id, $"no alert {id} in deployment {_deployment}"));
        else if (alert.Status != AlertStatus.Confirmed)
            Sender.Tell(new Refused(id, $"alert {id} is {alert.Status}: only a confirmed alert has officers to change"));
        else if (problem is not null)
            Sender.Tell(new Refused(id, problem));
        else
            return alert;
        return null;
    }

    private TaskingLine? OpenLine(AlertView alert, TaskingId tasking)
    {
        var line = alert.Lines?.FirstOrDefault(l => l.Id == tasking);
        if (line is { Open: true })
            return line;
        Sender.Tell(new Refused(alert.Id, line is null ? $"no tasking {tasking} on alert {alert.Id}" : $"tasking {tasking} is already closed"));
        return null;
    }
}
