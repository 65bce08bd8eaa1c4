// Watchlists: the wipe schedule, the built lists with their counts, every wipe with its verification, the build form with
// its upload and enrolment progress and every refused image listed, and the entries of a list not yet live (add, remove).
"use strict";
(() => {
  async function load() {
    const data = await Lfr.api("GET", "/api/watchlists");
    const select = document.getElementById("entries-watchlist");
    if (select) {
      const held = data.watchlists.filter(w => !w.wipedAt).map(w => w.id);
      const chosen = select.value;
      select.innerHTML = `<option value="">—</option>` + held.map(id => `<option value="${Lfr.esc(id)}">${Lfr.esc(id)}</option>`).join("");
      if (held.includes(chosen)) select.value = chosen;
    }
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

  // a multipart upload with the upload's progress (fetch reports none), answered like Lfr.api
  function send(url, formData, onUpload) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-Lfr-Csrf", "1");
      xhr.upload.onprogress = e => { if (e.lengthComputable) onUpload(e.loaded / e.total); };
      xhr.upload.onload = () => onUpload(1);
      xhr.onload = () => {
        const data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        if (xhr.status >= 200 && xhr.status < 300) resolve(data);
        else { const err = new Error((data && data.error) || xhr.status + " " + xhr.statusText); err.rejected = data && data.rejected; reject(err); }
      };
      xhr.onerror = () => reject(new Error("the upload failed: the connection was lost"));
      xhr.send(formData);
    });
  }

  function showRejected(list, rejected) {
    list.innerHTML = (rejected || []).map(r =>
      `<li data-file="${Lfr.esc(r.file)}"><b>${Lfr.esc(r.file)}</b>${r.row ? ` (row ${r.row})` : ""}: ${Lfr.esc(r.reason)}</li>`).join("");
  }

  // while a build or an addition is enrolled, its progress every quarter second
  function watchEnrolment(id, bar, status) {
    const seen = [];
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const p = await Lfr.api("GET", `/api/watchlists/${encodeURIComponent(id)}/progress`);
        if (!stopped && p.total > 0) {
          bar.max = p.total; bar.value = p.done; seen.push(p.done);
          bar.dataset.seen = seen.join(",");
          status.textContent = `Enrolled ${p.done} of ${p.total}…`;
        }
      } catch { /* the next poll tries again */ }
    }, 250);
    return () => { stopped = true; clearInterval(timer); };
  }

  const form = document.getElementById("build");
  if (form) {
    form.elements.namedItem("forDate").value = new Date().toISOString().slice(0, 10);
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const error = document.getElementById("build-error");
      const uploadBar = document.getElementById("upload-progress");
      const enrolBar = document.getElementById("enrol-progress");
      const status = document.getElementById("build-status");
      const rejected = document.getElementById("rejected");
      error.textContent = ""; rejected.innerHTML = ""; uploadBar.value = 0; enrolBar.value = 0;
      const id = form.elements.namedItem("id").value;
      let stop = null;
      try {
        const built = await send("/api/watchlists", new FormData(form), fraction => {
          uploadBar.value = Math.round(fraction * 100);
          status.textContent = `Uploading ${Math.round(fraction * 100)} %`;
          if (fraction >= 1 && !stop) { status.textContent = "Uploaded; enrolling…"; stop = watchEnrolment(id, enrolBar, status); }
        });
        if (stop) stop();
        enrolBar.max = built.entries; enrolBar.value = built.entries;
        status.textContent = `Enrolled ${built.entries} of ${built.entries}.`;
        error.textContent = `Built ${built.id}: ${built.entries} entries.`;
        await load();
      } catch (err) {
        if (stop) stop();
        status.textContent = "";
        Lfr.flash(error, err.rejected ? `${err.rejected.length} refused; nothing was stored. Fix them and build again.` : err.message);
        showRejected(rejected, err.rejected);
      }
    });
  }

  const entries = document.getElementById("entries");
  async function loadEntries() {
    const id = document.getElementById("entries-watchlist").value;
    const list = document.getElementById("entry-list");
    if (!id) { list.innerHTML = "<p class='muted'>No watchlist held.</p>"; return; }
    const rows = await Lfr.api("GET", `/api/watchlists/${encodeURIComponent(id)}/entries`);
    list.innerHTML = `<p id="entry-count">${rows.length} entries</p>
      <table><thead><tr><th>Entry</th><th>Category</th><th>Reason</th><th>Source</th><th>Markers</th><th></th></tr></thead>
      <tbody>${rows.map(r => `<tr data-entry="${Lfr.esc(r.id)}"><td><code>${Lfr.esc(r.id)}</code></td><td>${Lfr.esc(r.category)}</td>
        <td>${Lfr.esc(r.reason)}</td><td>${Lfr.esc(r.source)}</td><td>${Lfr.esc(r.markers.join(", "))}</td>
        <td><button type="button" class="remove" data-entry="${Lfr.esc(r.id)}">Remove</button></td></tr>`).join("")}</tbody></table>`;
  }
  if (entries) {
    const select = document.getElementById("entries-watchlist");
    select.addEventListener("change", () => loadEntries().catch(err => Lfr.flash(document.getElementById("add-error"), err.message)));
    document.getElementById("entry-list").addEventListener("click", async e => {
      const button = e.target.closest("button.remove");
      if (!button) return;
      const reason = prompt("Why does this entry come off the watchlist?");
      if (!reason) return;
      try {
        await Lfr.api("POST", `/api/watchlists/${encodeURIComponent(select.value)}/entries/${encodeURIComponent(button.dataset.entry)}/remove`, { reason });
        await Promise.all([loadEntries(), load()]);
      } catch (err) { Lfr.flash(document.getElementById("add-error"), err.message); }
    });
    document.getElementById("add-entries").addEventListener("submit", async e => {
      e.preventDefault();
      const error = document.getElementById("add-error");
      const rejected = document.getElementById("add-rejected");
      error.textContent = ""; rejected.innerHTML = "";
      try {
        const added = await send(`/api/watchlists/${encodeURIComponent(select.value)}/entries`, new FormData(e.target), () => {});
        error.textContent = `Added ${added.added}: ${added.entries} entries now.`;
        await Promise.all([loadEntries(), load()]);
      } catch (err) {
        Lfr.flash(error, err.message);
        showRejected(rejected, err.rejected);
      }
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
