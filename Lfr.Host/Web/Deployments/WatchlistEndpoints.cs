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
    /// <summary>Larger uploads are refused before they are read; a file image is a few hundred kilobytes.</summary>
    public const long MaxUploadBytes = 64L * 1024 * 1024;

    public const int MaxImageBytes = 4 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/watchlists", (HttpContext context) => WebPage.Render(context, "Watchlists", $"""
            <h1>Watchlists</h1>
            <p id="schedule" class="card">…</p>
            {(context.User.Can(WebPolicies.BuildWatchlists) ? BuildForm : "")}
            <h2>Built</h2><div id="watchlists"><p class="muted">Loading…</p></div>
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
            var form = await UploadForm.ReadAsync(request, MaxImageBytes, MaxUploadBytes);
            var build = ToBuild(form, user.StaffId());
            var built = await gateway.Watchlists<WatchlistProtocol.WatchlistBuilt>(build);
            return Results.Json(new { id = built.Watchlist.Value, entries = built.Counts.Total });
        }).RequireAuthorization(WebPolicies.BuildWatchlists);

        api.MapPost("/watchlists/import", async (HttpRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            // read into memory, never to a temporary file: the watchlist's images and embeddings reach no disk but its store
            var form = await UploadForm.ReadAsync(request, (int)MaxUploadBytes, MaxUploadBytes);
            var (id, forDate, deployment) = Heading(form);
            var file = form.Files.FirstOrDefault(f => f.Field == "file") ?? throw new BadInputException("upload the signed watchlist file (lfr watchlist build) as 'file'");
            if (file.Bytes.Length == 0) throw new BadInputException($"{file.FileName}: the watchlist file is empty");
            var bytes = file.Bytes;
            var built = await gateway.Watchlists<WatchlistProtocol.WatchlistBuilt>(
                new WatchlistProtocol.ImportWatchlist(bytes, id, forDate, deployment, user.StaffId()));
            return Results.Json(new { id = built.Watchlist.Value, entries = built.Counts.Total });
        }).RequireAuthorization(WebPolicies.BuildWatchlists);
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

    /// <summary>
    /// One entry per uploaded image: the entry id is the file name without its extension, and the same category,
    /// reason and source apply to the whole upload. The subject reference (e.g. the PNC id) is the entry id unless the
    /// form gives one per file as <c>ref:FILENAME</c>; only its salted hash is kept. Warning markers for the officers
    /// come per file as <c>markers:FILENAME</c>, comma-separated.
    /// </summary>
    private static WatchlistProtocol.BuildWatchlist ToBuild(UploadForm form, StaffId by)
    {
        var (id, forDate, deployment) = Heading(form);
        var category = Field(form, "category") switch
        {
            "court-warrant" => WatchlistCategory.CourtWarrant,
            "wanted" => WatchlistCategory.WantedWithPowerOfArrest,
            "sex-offender" => WatchlistCategory.SexOffenderWithConditions,
            var other => throw new BadInputException($"unknown category '{other}': court-warrant, wanted or sex-offender"),
        };
        if (form.Files.Count == 0) throw new BadInputException("upload at least one file image");

        var entries = new List<WatchlistEntryDraft>();
        foreach (var file in form.Files)
        {
            if (file.Bytes.Length == 0) throw new BadInputException($"{file.FileName}: the file image is empty");
            var bytes = file.Bytes;
            if (!LooksLikeImage(bytes)) throw new BadInputException($"{file.FileName}: not a JPEG or PNG image");
            var entry = Path.GetFileNameWithoutExtension(file.FileName);
            var reference = form[$"ref:{file.FileName}"];
            entries.Add(new WatchlistEntryDraft(new WatchlistEntryId(entry), category, Field(form, "reason"), Field(form, "source"), forDate, by,
                reference.Length > 0 ? reference : entry, bytes, form[$"markers:{file.FileName}"].ToString().Split(',')));
        }

        return new WatchlistProtocol.BuildWatchlist(id, forDate, deployment, by, entries);
    }

    private static bool LooksLikeImage(byte[] bytes) =>
        bytes is [0xFF, 0xD8, 0xFF, ..] or [0x89, (byte)'P', (byte)'N', (byte)'G', ..];

    private const string BuildForm = """
        <form id="build" class="card build">
          <h2>Build the day's watchlist</h2>
          <label>Id <input name="id" required placeholder="wl-2026-03-02"></label>
          <label>For date <input name="forDate" type="date" required></label>
          <label>Deployment <input name="deployment" placeholder="lewisham-2026-03-02"></label>
          <label>Category <select name="category">
            <option value="wanted">Wanted by police (power of arrest)</option>
            <option value="court-warrant">Wanted on a court warrant</option>
            <option value="sex-offender">Sex offender with conditions</option></select></label>
          <label>Reason <input name="reason" required placeholder="Failed to appear: theft"></label>
          <label>Source <input name="source" required placeholder="Bromley Magistrates"></label>
          <label>File images <input name="images" type="file" accept="image/jpeg,image/png" multiple required></label>
          <p class="note">One person per image; the file name becomes the entry id.</p>
          <button type="submit">Build</button><span class="error" id="build-error"></span>
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
}
