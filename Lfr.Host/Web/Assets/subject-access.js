// Subject access: the auditor's search by reference (sent in the body, never the URL) and the answer per watchlist.
"use strict";
(() => {
  const form = document.getElementById("sar");
  const answer = document.getElementById("sar-answer");
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const error = document.getElementById("sar-error");
    error.textContent = "";
    try {
      const data = await Lfr.api("POST", "/api/subject-access", { reference: form.reference.value, request: form.request.value });
      answer.innerHTML = `<section class="card"><h2 id="sar-summary">Request ${Lfr.esc(data.request)}: ${data.found === 0
        ? "on no watchlist held by this control room" : `on ${data.found} watchlist entr${data.found === 1 ? "y" : "ies"}`}</h2>
        ${data.found === 0 ? "" : `<table id="sar-records"><thead><tr><th>Deployment</th><th>Watchlist</th><th>For</th><th>Category</th><th>Added</th>
          <th>Removed</th><th>Wiped</th><th>Alerts</th><th>Captures (still stored)</th></tr></thead><tbody>
          ${data.records.map(r => `<tr data-entry="${Lfr.esc(r.entry)}"><td>${Lfr.esc(r.deployment || "—")}</td><td>${Lfr.esc(r.watchlist)}</td>
            <td>${Lfr.esc(r.forDate)}</td><td>${Lfr.esc(r.category)}</td><td>${Lfr.dateTime(r.addedAt)}</td><td>${Lfr.dateTime(r.removedAt)}</td>
            <td>${Lfr.dateTime(r.wipedAt)}</td>
            <td class="sar-alerts">${r.alerts.length === 0 ? "none" : r.alerts.map(a => `${Lfr.esc(a.status)} ${Lfr.dateTime(a.raisedAt)}`).join("<br>")}</td>
            <td class="sar-captures">${r.captures} (${r.capturesStored} stored)</td></tr>`).join("")}</tbody></table>`}</section>`;
    } catch (err) { Lfr.flash(error, err.message); }
  });
})();
