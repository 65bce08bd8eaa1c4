// Deployments: the list, and the plan form; each row leads to the deployment's page, where its steps are taken.
"use strict";
(() => {
  const page = document.getElementById("deployments-page");
  const can = name => page.dataset[name] === "true";
  const list = document.getElementById("deployments");

  // signing, signage, crew and going live happen on the deployment's own page, where the case and the watchlist are shown
  function actions(d) {
    const out = [`<a href="/deployments/${encodeURIComponent(d.id)}">${can("authorise") && d.status === "Draft" ? "Review and authorise"
      : can("approve") && d.status === "Authorised" ? "Review and approve" : "Open"}</a>`];
    if (can("returns")) out.push(`<a href="/deployments/${encodeURIComponent(d.id)}/return">Return</a>`);
    return out.join(" ");
  }

  async function load() {
    const deployments = await Lfr.api("GET", "/api/deployments");
    list.innerHTML = deployments.length === 0 ? "<p class='muted'>No deployment planned yet.</p>" : `
      <table><thead><tr><th>Deployment</th><th>Status</th><th>Place</th><th>Window</th><th>Watchlist</th><th>Threshold</th><th>Signed</th><th></th></tr></thead>
      <tbody>${deployments.map(d => `
        <tr data-deployment="${Lfr.esc(d.id)}" class="status-${Lfr.esc(d.status)}">
          <td><a href="/deployments/${encodeURIComponent(d.id)}">${Lfr.esc(d.id)}</a></td><td class="status">${Lfr.esc(d.status)}</td><td>${Lfr.esc(d.place)}</td>
          <td>${Lfr.dateTime(d.windowStart)} – ${Lfr.dateTime(d.windowEnd)}</td><td>${Lfr.esc(d.watchlist)}</td><td>${d.threshold}</td>
          <td>${d.authorisations.map(s => "authorised " + Lfr.esc(s.by)).concat(d.approvals.map(s => "approved " + Lfr.esc(s.by)))
              .concat(d.signageConfirmedBy ? ["signage " + Lfr.esc(d.signageConfirmedBy)] : []).join("<br>")}</td>
          <td class="actions">${actions(d)}<span class="error"></span></td></tr>`).join("")}</tbody></table>`;
  }

  const form = document.getElementById("plan");
  if (form) {
    const now = new Date();
    const local = d => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    form.elements.namedItem("windowStart").value = local(now);
    form.elements.namedItem("windowEnd").value = local(new Date(now.getTime() + 8 * 3600 * 1000));
    form.addEventListener("submit", async e => {
      e.preventDefault();
      // by name: a field called "id" would be shadowed by the form's own id property
      const v = name => e.target.elements.namedItem(name).value;
      try {
        await Lfr.api("POST", "/api/deployments", {
          id: v("id"), place: v("place"), latitude: Number(v("latitude")), longitude: Number(v("longitude")),
          windowStart: new Date(v("windowStart")).toISOString(), windowEnd: new Date(v("windowEnd")).toISOString(),
          cameras: v("cameras"), purpose: v("purpose"), watchlist: v("watchlist"), threshold: Number(v("threshold")),
          legalBasis: v("legalBasis"), necessity: v("necessity"), alternatives: v("alternatives"), area: v("area"),
        });
        document.getElementById("plan-error").textContent = "";
        await load();
      } catch (err) { Lfr.flash(document.getElementById("plan-error"), err.message); }
    });
  }

  load().catch(err => { list.textContent = err.message; });
  setInterval(() => load().catch(() => {}), 5000);
})();
