using System.Globalization;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Watchlists;
using Microsoft.AspNetCore.Http;

namespace Lfr.Host.Web;

/// <summary>What the pages' scripts read: the control room's records in plain JSON, with image links instead of images.</summary>
public static class WebJson
{
    /// <summary>
    /// An alert for the operator's queue. <paramref name="withImages"/> is false for a role that may see the queue
    /// but not the faces (the auditor): the links are left out.
    /// </summary>
    public static object Alert(AlertView alert, bool withImages)
    {
        var best = alert.Captures.MaxBy(c => c.Likelihood)!;
        string? Link(string image) => withImages ? $"/api/alerts/{Uri.EscapeDataString(alert.Deployment.Value)}/{Uri.EscapeDataString(alert.Id.Value)}/images/{image}" : null;
        return new
        {
            deployment = alert.Deployment.Value,
            id = alert.Id.Value,
            entry = alert.Entry.Value,
            category = Category(alert.Category),
            urgency = alert.Urgency,
            raisedAt = alert.RaisedAt,
            status = alert.Status,
            confirmedBy = alert.Confirmations.Select(c => c.By.Value).ToArray(),
            likelihood = Math.Round(best.Likelihood, 3),
            camera = best.Camera,
            capturedAt = best.At,
            captures = alert.Captures.Select(c => new { camera = c.Camera, at = c.At, likelihood = Math.Round(c.Likelihood, 3), url = Link(c.Image.Value),
                image = withImages ? c.Image.Value : null }).ToArray(),
            record = alert.Record is { } r ? Record(r, Link(r.FileImage.Value), [.. (r.MoreFileImages ?? []).Select(i => Link(i.Value))]) : null,
            dismissalReason = alert.DismissalReason,
            decidedAt = alert.Dismissal?.At ?? (alert.Status == AlertStatus.Confirmed ? alert.Confirmations.LastOrDefault()?.At : null),
            decidedBy = (alert.Dismissal is { } d ? [d.By.Value] : alert.Confirmations.Select(c => c.By.Value)).ToArray(),
            taskings = alert.Taskings.Select(t => t.Value).ToArray(),
            lines = (alert.Lines ?? []).Select(l => new
            {
                tasking = l.Id.Value,
                officer = l.Officer.Value,
                open = l.Open,
                cancelledBecause = l.CancelledBecause,
                outcome = l.Outcome?.Kind.ToString(),
                offence = l.Outcome?.Offence,
            }).ToArray(),
            beingDealtWith = alert.BeingDealtWith,
            note = alert.Note,
        };
    }

    /// <param name="moreFileImageUrls">The entry's other file images, after the most typical one (<paramref name="fileImageUrl"/>).</param>
    public static object Record(WatchlistRecord record, string? fileImageUrl, IReadOnlyList<string?>? moreFileImageUrls = null) => new
    {
        entry = record.Id.Value,
        category = Category(record.Category),
        warningMarkers = record.WarningMarkers ?? [],
        reason = record.Reason,
        source = record.Source,
        sourceDate = record.SourceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        addedBy = record.AddedBy.Value,
        fileImageUrl,
        moreFileImageUrls = fileImageUrl is null ? [] : moreFileImageUrls ?? Array.Empty<string?>(),
    };

    public static object? Tasking(TaskingState? state)
    {
        if (state is null) return null;
        var t = state.Tasking;
        string Link(string image) => $"/api/me/images/{Uri.EscapeDataString(t.Deployment.Value)}/{Uri.EscapeDataString(t.Alert.Value)}/{image}";
        return new
        {
            id = t.Id.Value,
            alert = t.Alert.Value,
            deployment = t.Deployment.Value,
            entry = t.Entry.Value,
            category = Category(t.Category),
            record = t.Record is { } r ? Record(r, Link(r.FileImage.Value), [.. (r.MoreFileImages ?? []).Select(i => Link(i.Value))]) : null,
            captures = t.Captures.Select(c => Link(c.Value)).ToArray(),
            // best first: the handset shows the first beside the file image and the rest behind "more"
            sightings = t.SightingsOrEmpty.Select(c => new { url = Link(c.Image.Value), camera = c.Camera, at = c.At, likelihood = Math.Round(c.Likelihood, 3) }).ToArray(),
            place = t.Place,
            note = t.Note,
            taskedBy = t.TaskedBy.Value,
            at = t.At,
            status = state.Status,
            acknowledgedAt = state.AcknowledgedAt,
            outcome = state.Outcome?.Kind,
        };
    }

    public static object Deployment(DeploymentState d) => new
    {
        id = d.Id.Value,
        status = d.Status,
        place = d.Plan?.Place.Name,
        latitude = d.Plan?.Place.Latitude,
        longitude = d.Plan?.Place.Longitude,
        windowStart = d.Plan?.Window.Start,
        windowEnd = d.Plan?.Window.End,
        cameras = d.Plan?.Cameras,
        purpose = d.Plan?.Purpose,
        watchlist = d.Plan?.Watchlist.Value,
        threshold = d.Plan?.Threshold,
        signageConfirmedBy = d.SignageConfirmedBy?.Value,
        authorisations = d.Authorisations.Select(s => new { by = s.Id.Value, rank = s.Rank }).ToArray(),
        approvals = d.Approvals.Select(s => new { by = s.Id.Value, rank = s.Rank }).ToArray(),
        liveAt = d.LiveAt,
        endedAt = d.EndedAt,
        endReason = d.EndReason,
        @case = d.Plan?.Case is { } c ? new { legalBasis = c.LegalBasis, necessity = c.NecessityAndProportionality, alternatives = c.AlternativesConsidered, area = c.Area } : null,
        watchlistCounts = d.PlannedWatchlist is { } w
            ? new { total = w.Counts.Total, courtWarrant = w.Counts.CourtWarrant, wanted = w.Counts.WantedWithPowerOfArrest, sexOffender = w.Counts.SexOffenderWithConditions }
            : null,
        crew = d.Crew.Select(m => new { staff = m.Staff.Value, role = m.Role.ToString().ToLowerInvariant() }).ToArray(),
        signs = d.Signs.Select(s => new { approach = s.Approach, evidence = s.Evidence, by = s.By.Value }).ToArray(),
        voided = d.Voided.Select(v => new { at = v.At, by = v.By.Value, was = v.Was.ToString(), changes = v.Changes }).ToArray(),
    };

    public static string Category(Lfr.Vision.Watchlists.WatchlistCategory category) => category switch
    {
        Lfr.Vision.Watchlists.WatchlistCategory.CourtWarrant => "Wanted on a court warrant",
        Lfr.Vision.Watchlists.WatchlistCategory.WantedWithPowerOfArrest => "Wanted by police (power of arrest)",
        Lfr.Vision.Watchlists.WatchlistCategory.SexOffenderWithConditions => "Sex offender with conditions",
        _ => category.ToString(),
    };

    /// <summary>A face image, never cached by the browser; 410 once retention or a wipe has deleted it.</summary>
    public static IResult Jpeg(byte[]? jpeg)
    {
        if (jpeg is null)
            return Results.Json(new { error = "this image has been deleted (retention period over, or the watchlist was wiped)" }, statusCode: StatusCodes.Status410Gone);
        return new NoStoreJpeg(jpeg);
    }

    private sealed class NoStoreJpeg(byte[] jpeg) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(jpeg, "image/jpeg").ExecuteAsync(context);
        }
    }
}
