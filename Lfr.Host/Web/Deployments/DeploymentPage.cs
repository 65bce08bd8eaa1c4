using System.Globalization;
using System.Security.Claims;
using System.Text;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Http;

namespace Lfr.Host.Web.Deployments;

/// <summary>
/// One deployment as its authorisers review it and its crew prepares it: the plan and the case for it, the watchlist's
/// size and composition by category, the signatures and every time they were voided, who is on duty, the signage
/// checklist, and what still stops it going live. Drawn on the server (no inline script: the CSP forbids it); the
/// buttons and forms post through <c>deployment.js</c> and show the control room's refusal in <c>#deployment-error</c>.
/// </summary>
public static class DeploymentPage
{
    public static IResult Render(HttpContext context, DeploymentState d, DeploymentSettings settings)
    {
        var user = context.User;
        var now = DateTimeOffset.UtcNow;
        var plan = d.Plan!;
        var html = new StringBuilder();
        html.Append($"""
            <section id="deployment-page" data-deployment="{E(d.Id.Value)}">
            <h1>Deployment {E(d.Id.Value)} <span class="badge" id="status">{d.Status}</span></h1>
            <p class="error" id="deployment-error"></p>
            <div class="grid">
            <div class="card" id="plan-card"><h2>Plan</h2><dl>
              <dt>Place</dt><dd id="place">{E(plan.Place.Name)} ({plan.Place.Latitude.ToString(CultureInfo.InvariantCulture)}, {plan.Place.Longitude.ToString(CultureInfo.InvariantCulture)})</dd>
              <dt>Window</dt><dd id="window">{plan.Window.Start:yyyy-MM-dd HH:mm} – {plan.Window.End:yyyy-MM-dd HH:mm} UTC</dd>
              <dt>Cameras</dt><dd>{E(string.Join(", ", plan.Cameras))}</dd>
              <dt>Threshold</dt><dd id="threshold">{DeploymentState.Format(plan.Threshold)}</dd>
              <dt>Purpose</dt><dd>{E(plan.Purpose)}</dd>
            </dl></div>
            <div class="card" id="case"><h2>The case for it</h2>{Case(plan.Case)}</div>
            <div class="card" id="watchlist"><h2>Watchlist {E(plan.Watchlist.Value)}</h2>{Composition(d)}</div>
            <div class="card" id="signatures"><h2>Signatures</h2>{Signatures(d)}</div>
            <div class="card" id="crew"><h2>On duty</h2>{Crew(d, user)}</div>
            <div class="card" id="signage"><h2>Signage checklist</h2>{Signage(d, user)}</div>
            <div class="card wide" id="readiness"><h2>Going live</h2>{Readiness(d, now, settings)}{Actions(d, user)}</div>
            """);
        if (user.Can(WebPolicies.RunDeployments) && d.Status is not DeploymentStatus.Ended)
            html.Append(AmendForm(plan));
        html.Append("</div></section>");
        return WebPage.Render(context, "Deployment " + d.Id.Value, html.ToString(), "deployment.js");
    }

    private static string E(string? text) => WebPage.Encode(text);

    private static string Case(DeploymentCase? c) => c is null
        ? "<p class=\"error\">No case recorded: the legal basis, necessity and proportionality, alternatives and area are missing, so nobody can sign it.</p>"
        : $"""
          <dl><dt>Legal basis</dt><dd id="legal-basis">{E(c.LegalBasis)}</dd>
          <dt>Necessity and proportionality</dt><dd id="necessity">{E(c.NecessityAndProportionality)}</dd>
          <dt>Alternatives considered</dt><dd id="alternatives">{E(c.AlternativesConsidered)}</dd>
          <dt>BCU / area</dt><dd id="area">{E(c.Area)}</dd></dl>
          """;

    private static string Composition(DeploymentState d)
    {
        if (d.PlannedWatchlist is not { } w)
            return "<p class=\"error\" id=\"composition\">Not built yet: the watchlist manager builds it for this deployment. What the signatories see here is what they sign.</p>";
        var rows = new (string Category, int Count)[]
        {
            ("Wanted on a court warrant", w.Counts.CourtWarrant),
            ("Wanted by police (power of arrest)", w.Counts.WantedWithPowerOfArrest),
            ("Sex offender with conditions", w.Counts.SexOffenderWithConditions),
        };
        return $"""
            <table id="composition"><thead><tr><th>Category</th><th>Entries</th><th>Share</th></tr></thead><tbody>
            {string.Concat(rows.Select(r => $"<tr><td>{r.Category}</td><td>{r.Count}</td><td>{(w.Counts.Total == 0 ? 0 : 100.0 * r.Count / w.Counts.Total):0}%</td></tr>"))}
            <tr><th>Total</th><th id="watchlist-total">{w.Counts.Total}</th><th></th></tr></tbody></table>
            <p class="note">Built {w.At:yyyy-MM-dd HH:mm} UTC. Any change to it after signing voids the signatures.</p>
            """;
    }

    private static string Signatures(DeploymentState d)
    {
        var signed = d.Authorisations.Select(s => $"<li>authorised by {E(s.Id.Value)} ({E(s.Rank)})</li>")
            .Concat(d.Approvals.Select(s => $"<li>approved by {E(s.Id.Value)} ({E(s.Rank)})</li>")).ToList();
        var voided = d.Voided.Select(v => $"<li>{v.At:yyyy-MM-dd HH:mm} UTC, {E(v.By.Value)}: was {v.Was}; {E(v.Changes)}</li>").ToList();
        return (signed.Count == 0 ? "<p class=\"muted\">Not signed.</p>" : $"<ul>{string.Concat(signed)}</ul>")
               + (voided.Count == 0 ? "" : $"<div id=\"voided\" class=\"voided\"><h3>Signatures voided</h3><ul>{string.Concat(voided)}</ul></div>");
    }

    private static string Crew(DeploymentState d, ClaimsPrincipal user)
    {
        var list = d.Crew.Count == 0 ? "<p class=\"muted\">Nobody on duty.</p>"
            : $"<ul id=\"crew-list\">{string.Concat(d.Crew.OrderBy(m => m.Role).Select(m => $"<li>{m.Role.ToString().ToLowerInvariant()} {E(m.Staff.Value)}</li>"))}</ul>";
        var me = user.StaffId();
        var button = !user.IsInRole(WebRoles.Operator) || d.Status is DeploymentStatus.Ended ? ""
            : d.Crew.Any(m => m.Staff == me)
                ? "<button type=\"button\" data-action=\"crew\" data-on=\"false\">Go off duty</button>"
                : "<button type=\"button\" data-action=\"crew\" data-on=\"true\">Come on duty as operator</button>";
        var officers = user.Can(WebPolicies.RunDeployments) && d.Status is not DeploymentStatus.Ended
            ? " <button type=\"button\" data-action=\"crew/officers\">Book on the officers on duty</button>" : "";
        return list + button + officers + "<p class=\"note\">Engagement officers come on duty on their handset.</p>";
    }

    private static string Signage(DeploymentState d, ClaimsPrincipal user)
    {
        var run = user.Can(WebPolicies.RunDeployments) && d.Status is not DeploymentStatus.Ended;
        var rows = d.Signs.Select(s => $"<tr><td>{E(s.Approach)}</td><td>{E(s.Evidence)}</td><td>{E(s.By.Value)}</td>"
                                       + (run ? $"<td><button type=\"button\" data-action=\"remove-sign\" data-approach=\"{E(s.Approach)}\">Remove</button></td>" : "<td></td>") + "</tr>");
        var table = d.Signs.Count == 0 ? "<p class=\"muted\" id=\"signs\">No approach listed yet.</p>"
            : $"<table id=\"signs\"><thead><tr><th>Approach</th><th>Photo or reference</th><th>By</th><th></th></tr></thead><tbody>{string.Concat(rows)}</tbody></table>";
        var confirmed = d.SignageConfirmedBy is { } by ? $"<p id=\"signage-confirmed\">Confirmed by {E(by.Value)}.</p>" : "<p class=\"muted\">Not confirmed.</p>";
        var form = !run ? "" : """
            <form id="sign-form" class="inline"><label>Approach <input name="approach" required placeholder="Rushey Green, from the north"></label>
            <label>Photo or reference <input name="evidence" required placeholder="photo IMG_2041 / sign LFR-07"></label>
            <button type="submit">Add sign</button></form>
            <button type="button" data-action="signage">Confirm signage on all approaches</button>
            """;
        return table + confirmed + form;
    }

    private static string Readiness(DeploymentState d, DateTimeOffset now, DeploymentSettings settings)
    {
        if (d.Status is DeploymentStatus.Live) return $"<p id=\"ready\">Live since {d.LiveAt:HH:mm} UTC.</p>";
        if (d.Status is DeploymentStatus.Ended) return $"<p>Ended: {E(d.EndReason)}</p>";
        var problems = d.Status == DeploymentStatus.Approved ? d.GoLiveProblems(now, settings) : [$"it needs {(d.Status == DeploymentStatus.Draft ? "authorising and approving" : "approving")} first"];
        return problems.Count == 0 ? "<p id=\"ready\">Ready to go live.</p>"
            : $"<ul id=\"not-ready\">{string.Concat(problems.Select(p => $"<li>{E(p)}</li>"))}</ul>";
    }

    private static string Actions(DeploymentState d, ClaimsPrincipal user)
    {
        var buttons = new List<string>();
        if (user.Can(WebPolicies.Authorise) && d.Status == DeploymentStatus.Draft) buttons.Add("<button type=\"button\" data-action=\"authorise\">Authorise</button>");
        if (user.Can(WebPolicies.Approve) && d.Status == DeploymentStatus.Authorised) buttons.Add("<button type=\"button\" data-action=\"approve\">Approve</button>");
        if (user.Can(WebPolicies.RunDeployments) && d.Status == DeploymentStatus.Approved) buttons.Add("<button type=\"button\" data-action=\"start\" class=\"confirm-button\">Start</button>");
        if (user.Can(WebPolicies.RunDeployments) && d.Status != DeploymentStatus.Ended) buttons.Add("<button type=\"button\" data-action=\"end\">End</button>");
        return buttons.Count == 0 ? "" : $"<p class=\"actions\">{string.Join(" ", buttons)}</p>";
    }

    private static string AmendForm(DeploymentPlan plan) => $"""
        <form id="amend" class="card wide plan"><h2>Change the plan</h2>
          <p class="note">A change of place, window, cameras, watchlist or threshold after signing voids the signatures: it goes back to Draft.</p>
          <label>Place <input name="place" value="{E(plan.Place.Name)}"></label>
          <label>From (UTC) <input name="windowStart" value="{plan.Window.Start.UtcDateTime:yyyy-MM-ddTHH:mm}Z"></label>
          <label>To (UTC) <input name="windowEnd" value="{plan.Window.End.UtcDateTime:yyyy-MM-ddTHH:mm}Z"></label>
          <label>Watchlist <input name="watchlist" value="{E(plan.Watchlist.Value)}"></label>
          <label>Threshold <input name="threshold" type="number" step="0.01" min="0.01" max="1" value="{DeploymentState.Format(plan.Threshold)}"></label>
          <button type="submit">Change</button>
        </form>
        """;
}
