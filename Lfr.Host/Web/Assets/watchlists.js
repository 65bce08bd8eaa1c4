// Watchlists: the wipe schedule, the built lists with their counts, every wipe with its verification, and the build form.
"use strict";
(() => {
  async function load() {
    const data = await Lfr.api("GET", "/api/watchlists");
    document.getElementById("schedule").innerHTML =
      `Every watchlist is wiped daily at <b>${Lfr.esc(data.schedule.dailyAt)}</b> (${Lfr.esc(data.schedule.timeZone)}) and when its deployment ends. ` +
      `Next daily wipe: <b id="next-wipe">${Lfr.dateTime(data.schedule.next)}</b>.`;
    document.getElementById("watchlists").innerHTML = data.watchlists.length === 0 ? "<p class='muted'>None built.</p>" : `
      <table><thead><tr><th>Watchlist</th><th>For</th><th>Deployment</th><th>Entries</th><th>Court warrant</th><th>Wanted</th><th>Sex offender</th><th>Built</th><th>Wiped</th></tr></thead>
      <tbody>${data.watchlists.map(w => `<tr data-watchlist="${Lfr.esc(w.id)}"><td>${Lfr.esc(w.id)}</td><td>${Lfr.esc(w.forDate)}</td><td>${Lfr.esc(w.deployment)}</td>
        <td>${w.entries}</td><td>${w.courtWarrant}</td><td>${w.wanted}</td><td>${w.sexOffender}</td><td>${Lfr.dateTime(w.builtAt)}</td>
        <td>${w.wipedAt ? Lfr.dateTime(w.wipedAt) : "held"}</td></tr>`).join("")}</tbody></table>`;
    document.getElementById("wipes").innerHTML = data.wipes.length === 0 ? "<p class='muted'>No wipe yet.</p>" : `
      <table><thead><tr><th>Watchlist</th><th>When</th><th>By</th><th>Verified</th><th>Detail</th></tr></thead>
      <tbody>${data.wipes.map(w => `<tr class="${w.verified ? "" : "failing"}"><td>${Lfr.esc(w.watchlist)}</td><td>${Lfr.dateTime(w.at)}</td><td>${Lfr.esc(w.by)}</td>
        <td>${w.verified ? "yes" : "NO"}</td><td>${Lfr.esc(w.detail)}</td></tr>`).join("")}</tbody></table>`;
  }

  const form = document.getElementById("build");
  if (form) {
    form.elements.namedItem("forDate").value = new Date().toISOString().slice(0, 10);
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const error = document.getElementById("build-error");
      try {
        const built = await Lfr.api("POST", "/api/watchlists", new FormData(e.target));
        error.textContent = `Built ${built.id}: ${built.entries} entries.`;
        await load();
      } catch (err) { Lfr.flash(error, err.message); }
    });
  }
  const upload = document.getElementById("import");
  if (upload) {
    upload.elements.namedItem("forDate").value = new Date().toISOString().slice(0, 10);
    upload.addEventListener("submit", async e => {
      e.preventDefault();
      const error = document.getElementById("import-error");
      try {
        const built = await Lfr.api("POST", "/api/watchlists/import", new FormData(e.target));
        error.textContent = `Imported ${built.id}: ${built.entries} entries.`;
        await load();
      } catch (err) { Lfr.flash(error, err.message); }
    });
  }
  load().catch(err => { document.getElementById("watchlists").textContent = err.message; });
})();
