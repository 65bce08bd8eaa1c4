using Akka.Actor;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Retention;
using static Lfr.Actors.ControlRoom.Alerts.AlertProtocol;

namespace Lfr.Actors.ControlRoom.Alerts;

/// <summary>
/// Evidential holds: a capture of one of this desk's alerts kept past its retention period under a case reference
/// until released. The hold lives with the image in the encrypted store, which retention reads; each step is audited.
/// </summary>
public sealed partial class AlertDeskActor
{
    /// <summary>A crime or case number is short; a longer text is not a reference.</summary>
    public const int MaxCaseReference = 64;

    private void Handle(HoldCapture hold)
    {
        var caseReference = hold.CaseReference?.Trim() ?? "";
        if (CaptureOf(hold.Alert, hold.Image) is null)
            return;
        if (caseReference.Length is 0 or > MaxCaseReference)
        {
            Sender.Tell(new Refused(hold.Alert, $"a hold needs its case reference (at most {MaxCaseReference} characters), e.g. the crime number"));
            return;
        }

        var now = _time.GetUtcNow();
        if (_images.Hold(hold.Image, new EvidenceHold(hold.Image, _deployment.Value, hold.Alert.Value, caseReference, hold.By.Value, now)) is { } problem)
        {
            Sender.Tell(new Refused(hold.Alert, problem));
            return;
        }

        Audit(AuditKind.EvidenceHeld, hold.By, hold.Alert, $"image={hold.Image};case={caseReference}");
        Sender.Tell(new HoldChanged(hold.Alert, hold.Image, caseReference));
    }

    private void Handle(ReleaseHold release)
    {
        if (CaptureOf(release.Alert, release.Image) is null)
            return;
        if (string.IsNullOrWhiteSpace(release.Reason))
        {
            Sender.Tell(new Refused(release.Alert, "say why the hold ends (e.g. case closed, disclosed to the CPS)"));
            return;
        }

        if (_images.Release(release.Image, _time.GetUtcNow()) is not { } hold)
        {
            Sender.Tell(new Refused(release.Alert, "the capture is not held"));
            return;
        }

        Audit(AuditKind.EvidenceReleased, release.By, release.Alert, $"image={release.Image};case={hold.CaseReference};reason={release.Reason.Trim()}");
        Sender.Tell(new HoldChanged(release.Alert, release.Image, null));
    }

    /// <summary>The alert when the image is one of its captures; otherwise replies why not and returns null.</summary>
    private AlertView? CaptureOf(AlertId id, ImageRef image)
    {
        if (!_ledger.Alerts.TryGetValue(id, out var alert))
            Sender.Tell(new Refused(id, $"no alert {id} in deployment {_deployment}"));
        else if (alert.Captures.All(c => c.Image != image))
            Sender.Tell(new Refused(id, $"image {image} is not a capture of alert {id}"));
        else
            return alert;
        return null;
    }
}
