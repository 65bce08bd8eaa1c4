// Evidence: the captures held for evidence, each with its case, who held it and when; release with a reason.
"use strict";
(() => {
  const holds = document.getElementById("holds");
  const canRelease = holds.dataset.release === "true";
  async function load() {
    const rows = await Lfr.api("GET", "/api/evidence");
    holds.innerHTML = rows.length === 0 ? "<p class='muted'>No capture is held.</p>" : `
      <table><thead><tr><th>Case</th><th>Deployment</th><th>Alert</th><th>Capture</th><th>Held by</th><th>Held</th><th>Retention would have ended</th><th></th></tr></thead>
      <tbody>${rows.map(h => `<tr data-image="${Lfr.esc(h.image)}"><td class="case">${Lfr.esc(h.caseReference)}</td><td>${Lfr.esc(h.deployment)}</td>
        <td>${Lfr.esc(h.alert)}</td><td><code>${Lfr.esc(h.image)}</code></td><td>${Lfr.esc(h.heldBy)}</td><td>${Lfr.dateTime(h.heldAt)}</td>
        <td>${Lfr.dateTime(h.retentionEnded)}</td>
        <td>${canRelease ? `<form class="release" data-base="/api/alerts/${encodeURIComponent(h.deployment)}/${encodeURIComponent(h.alert)}/captures/${encodeURIComponent(h.image)}">
          <input name="reason" required placeholder="why (e.g. case closed)" aria-label="Reason"><button type="submit">Release</button></form>` : ""}</td></tr>`).join("")}</tbody></table>`;
  }
  holds.addEventListener("submit", async e => {
    e.preventDefault();
    const form = e.target;
    try {
      await Lfr.api("POST", form.dataset.base + "/release", { reason: form.reason.value });
      await load();
    } catch (err) { Lfr.flash(document.getElementById("holds-error"), err.message); }
  });
  load().catch(err => Lfr.flash(document.getElementById("holds-error"), err.message));
})();
