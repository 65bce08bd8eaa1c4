using System.Globalization;
using System.Security.Claims;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Host.Web.Auth;
using Lfr.Vision.Watchlists;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lfr.Host.Web.Deployments;

/// <summary>
/// The day's watchlist built from uploaded file images (the control room's <see cref="WatchlistProtocol.BuildWatchlist"/>)
/// or imported from a signed watchlist file (<see cref="WatchlistProtocol.ImportWatchlist"/>),
/// the daily wipe's schedule, and the record of every wipe with its verification, read from the audit trail.
/// </summary>
public static class WatchlistEndpoints
{
    /// <summary>
    /// Larger builds are refused before they are read: 17,000 file images of ~30 KB are about 500 MB, held in memory
    /// while they are enrolled, never written to a temp file.
    /// </summary>
    public const long MaxUploadBytes = 1024L * 1024 * 1024;

    /// <summary>A signed watchlist file carries each image under 64 KB.</summary>
    public const long MaxImportBytes = 64L * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/watchlists", (HttpContext context) => WebPage.Render(context, "Watchlists", $"""
            <h1>Watchlists</h1>
            <p id="schedule" class="card">…</p>
            {(context.User.Can(WebPolicies.BuildWatchlists) ? BuildForm : "")}
            <h2>Built</h2><div id="watchlists"><p class="muted">Loading…</p></div>
            {(context.User.Can(WebPolicies.BuildWatchlists) ? EntriesSection : "")}
            <h2>Wipes</h2><div id="wipes"><p class="muted">Loading…</p></div>
            """, "watchlists.js")).RequireAuthorization(WebPolicies.ViewWatchlists);

        api.MapGet("/watchlists", async (ControlRoomGateway gateway, IServiceProvider services, TimeProvider time) =>
        {
            var trail = await gateway.Trail();
            var built = trail.Entries.Where(e => e.Kind == AuditKind.WatchlistBuilt).Select(e => new WatchlistId(e.Subject)).Distinct().ToArray();
            var manifests = await Task.WhenAll(built.Select(w => gateway.Watchlists<WatchlistProtocol.ManifestResult>(new WatchlistProtocol.GetManifest(w))));
            var settings = services.GetRequiredService<ControlRoomSettings>().Watchlists;
            return Results.Json(new
            {
                schedule = new
                {
                    dailyAt = settings.DailyWipeAt.ToString("HH:mm", CultureInfo.InvariantCulture),
                    timeZone = settings.TimeZone.Id,
                    next = settings.Schedule.Next(time.GetUtcNow()),
                },
                watchlists = manifests.Where(m => m.Manifest is not null).Select(m => m.Manifest!).OrderByDescending(m => m.BuiltAt).Select(m => new
                {
                    id = m.Watchlist.Value,
                    forDate = m.ForDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    deployment = m.Deployment?.Value,
                    builtAt = m.BuiltAt,
                    wipedAt = m.WipedAt,
                    entries = m.Counts.Total,
                    courtWarrant = m.Counts.CourtWarrant,
                    wanted = m.Counts.WantedWithPowerOfArrest,
                    sexOffender = m.Counts.SexOffenderWithConditions,
                }),
                wipes = trail.Entries.Where(e => e.Kind == AuditKind.WatchlistWiped).OrderByDescending(e => e.Sequence).Select(e => new
                {
                    watchlist = e.Subject,
                    at = e.At,
                    by = e.Who,
                    deployment = e.Deployment,
                    detail = e.Detail,
                    verified = e.Detail.Contains("verified=true", StringComparison.Ordinal),
                }),
            });
        }).RequireAuthorization(WebPolicies.ViewWatchlists);

        api.MapPost("/watchlists", async (HttpRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            var form = await ReadAsync(request);
            var (id, forDate, deployment) = Heading(form);
            var parsed = WatchlistUpload.Read(form, forDate, user.StaffId());
            var built = await Enrol<WatchlistProtocol.WatchlistBuilt>(gateway, parsed,
                new WatchlistProtocol.BuildWatchlist(id, forDate, deployment, user.StaffId(), parsed.Drafts));
            return Results.Json(new { id = built.Watchlist.Value, entries = built.Counts.Total });
        }).RequireAuthorization(WebPolicies.BuildWatchlists);

        api.MapGet("/watchlists/{id}/progress", async (string id, ControlRoomGateway gateway) =>
        {
            var progress = await gateway.Watchlists<WatchlistProtocol.BuildProgress>(new WatchlistProtocol.GetBuildProgress(new WatchlistId(id)));
            return Results.Json(new { done = progress.Done, total = progress.Total });
        }).RequireAuthorization(WebPolicies.BuildWatchlists);

        api.MapGet("/watchlists/{id}/entries", async (string id, ControlRoomGateway gateway) =>
        {
            var entries = await gateway.Watchlists<WatchlistProtocol.Entries>(new WatchlistProtocol.GetEntries(new WatchlistId(id)));
            return Results.Json(entries.Records.Select(r => new
            {
                id = r.Id.Value, category = r.Category, reason = r.Reason, source = r.Source, sourceDate = r.SourceDate, addedBy = r.AddedBy.Value,
                markers = r.WarningMarkers ?? [],
            }));
        }).RequireAuthorization(WebPolicies.BuildWatchlists);

        api.MapPost("/watchlists/{id}/entries", async (string id, HttpRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            var form = await ReadAsync(request);
            var parsed = WatchlistUpload.Read(form, DateOnly.FromDateTime(DateTime.UtcNow), user.StaffId());
            var changed = await Enrol<WatchlistProtocol.EntriesChanged>(gateway, parsed,
                new WatchlistProtocol.AddEntries(new WatchlistId(id), user.StaffId(), parsed.Drafts));
            return Results.Json(new { id, added = parsed.Drafts.Count, entries = changed.Counts.Total });
        }).RequireAuthorization(WebPolicies.BuildWatchlists);

        api.MapPost("/watchlists/{id}/entries/{entry}/remove", async (string id, string entry, RemoveBody body, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            var changed = await gateway.Watchlists<WatchlistProtocol.EntriesChanged>(
                new WatchlistProtocol.RemoveEntry(new WatchlistId(id), new WatchlistEntryId(entry), user.StaffId(), body.Reason ?? ""));
            return Results.Json(new { id, entries = changed.Counts.Total });
        }).RequireAuthorization(WebPolicies.BuildWatchlists);

        api.MapPost("/watchlists/import", async (HttpRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            // read into memory, never to a temporary file: the watchlist's images and embeddings reach no disk but its store
            var form = await UploadForm.ReadAsync(request, (int)MaxImportBytes, MaxImportBytes);
            var (id, forDate, deployment) = Heading(form);
            var file = form.Files.FirstOrDefault(f => f.Field == "file") ?? throw new BadInputException("upload the signed watchlist file (lfr watchlist build) as 'file'");
            if (file.Bytes.Length == 0) throw new BadInputException($"{file.FileName}: the watchlist file is empty");
            var bytes = file.Bytes;
            var built = await gateway.Watchlists<WatchlistProtocol.WatchlistBuilt>(
                new WatchlistProtocol.ImportWatchlist(bytes, id, forDate, deployment, user.StaffId()));
            return Results.Json(new { id = built.Watchlist.Value, entries = built.Counts.Total });
        }).RequireAuthorization(WebPolicies.BuildWatchlists);
    }

    public sealed record RemoveBody(string? Reason);

    /// <summary>
    /// A build's upload, streamed from the request into memory (never a temp file) under its caps; a large list (17,000
    /// file images) is a few hundred megabytes, past Kestrel's default 30 MB body limit, so the limit is raised here only.
    /// </summary>
    private static Task<UploadForm> ReadAsync(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxUploadBytes;
        return UploadForm.ReadAsync(request, WatchlistUpload.MaxImageBytes, MaxUploadBytes, largeFile: "archive");
    }

    /// <summary>Sends a build or an addition and waits for its enrolment; refused images come back named by file and row.</summary>
    private static async Task<T> Enrol<T>(ControlRoomGateway gateway, WatchlistUpload.Parsed parsed, WatchlistProtocol.IWatchlistMessage message)
    {
        try
        {
            // enrolment takes a fraction of a second per image on a loaded machine: allow a second each, and half a minute more
            return await gateway.Watchlists<T>(message, TimeSpan.FromSeconds(30 + parsed.Drafts.Count));
        }
        catch (EnrolmentRefusedException e)
        {
            throw WatchlistUpload.Refused(parsed, e.Refused.Problems);
        }
    }

    private static string Field(UploadForm form, string name) =>
        form[name] is { Length: > 0 } value ? value : throw new BadInputException($"the {name} is missing");

    /// <summary>What a build and an import both name: the watchlist's id, its day and, optionally, its deployment.</summary>
    private static (WatchlistId Id, DateOnly ForDate, DeploymentId? Deployment) Heading(UploadForm form)
    {
        var id = Field(form, "id");
        if (!DateOnly.TryParseExact(Field(form, "forDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var forDate))
            throw new BadInputException("the date must read YYYY-MM-DD");
        var deployment = form["deployment"] is { Length: > 0 } d ? new DeploymentId(d) : (DeploymentId?)null;
        return (new WatchlistId(id), forDate, deployment);
    }

    private const string BuildForm = """
        <form id="build" class="card build">
          <h2>Build the day's watchlist</h2>
          <label>Id <input name="id" required placeholder="wl-2026-03-02"></label>
          <label>For date <input name="forDate" type="date" required></label>
          <label>Deployment <input name="deployment" placeholder="lewisham-2026-03-02"></label>
          <label>Manifest CSV <input name="manifest" type="file" accept=".csv,text/csv"></label>
          <label>File images <input name="images" type="file" accept="image/jpeg,image/png" multiple></label>
          <label>Or a zip (manifest.csv and the images) <input name="archive" type="file" accept=".zip,application/zip"></label>
          <p class="note">The manifest's columns: <code>file,reference,category,reason,source,markers</code> (category court-warrant,
            wanted or sex-offender; markers separated by <code>;</code>). Each entry gets an opaque id; the reference (e.g. the PNC id)
            is kept only for subject access. Without a manifest, one category, reason and source apply to every image:</p>
          <label>Category <select name="category">
            <option value="wanted">Wanted by police (power of arrest)</option>
            <option value="court-warrant">Wanted on a court warrant</option>
            <option value="sex-offender">Sex offender with conditions</option></select></label>
          <label>Reason <input name="reason" placeholder="Failed to appear: theft"></label>
          <label>Source <input name="source" placeholder="Bromley Magistrates"></label>
          <button type="submit">Build</button><span class="error" id="build-error"></span>
          <div class="progress"><label>Upload <progress id="upload-progress" max="100" value="0"></progress></label>
            <label>Enrolment <progress id="enrol-progress" max="100" value="0"></progress></label> <span id="build-status"></span></div>
          <ul id="rejected" class="rejected"></ul>
        </form>
        <form id="import" class="card build">
          <h2>Import a signed watchlist file</h2>
          <label>Id <input name="id" required placeholder="wl-2026-03-02"></label>
          <label>For date <input name="forDate" type="date" required></label>
          <label>Deployment <input name="deployment" placeholder="lewisham-2026-03-02"></label>
          <label>Watchlist file <input name="file" type="file" required></label>
          <p class="note">Made by <code>lfr watchlist build</code> with this control room's signing key; its signature is checked before anything is stored.</p>
          <button type="submit">Import</button><span class="error" id="import-error"></span>
        </form>
        """;

    private const string EntriesSection = """
        <section class="card" id="entries">
          <h2>Entries, until the deployment goes live</h2>
          <label>Watchlist <select id="entries-watchlist"></select></label>
          <div id="entry-list"><p class="muted">Choose a watchlist.</p></div>
          <form id="add-entries" class="build">
            <h3>Add entries</h3>
            <label>Manifest CSV <input name="manifest" type="file" accept=".csv,text/csv"></label>
            <label>File images <input name="images" type="file" accept="image/jpeg,image/png" multiple></label>
            <button type="submit">Add</button><span class="error" id="add-error"></span>
            <ul id="add-rejected" class="rejected"></ul>
          </form>
        </section>
        """;
}
