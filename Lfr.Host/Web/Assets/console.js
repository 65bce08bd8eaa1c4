// The ops console: reads /api/status every second; a failing camera, a silent node or a van whose alerts wait too long turns red.
"use strict";
(() => {
  const ms = v => v === null ? "—" : v < 10 ? v.toFixed(1) : Math.round(v);
  const latency = l => l === null || l === undefined ? "—" : `${ms(l.p50Ms)} / ${ms(l.p99Ms)}`;
  const table = (head, rows) => `<table><thead><tr>${head.map(h => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;

  const page = document.getElementById("console");
  const canRestart = page.dataset.restart === "true";
  // a camera the supervisor gave up on (or whose stream ended) can be started again by ops
  const restartable = c => canRestart && (c.state === "Failed" || c.state === "Ended");

  function render(s) {
    document.getElementById("status-at").textContent = "at " + Lfr.time(s.at);
    document.getElementById("members").innerHTML = s.members === null ? "<p class='muted'>This node is not in a cluster.</p>" :
      table(["Member", "Roles", "State"], s.members.map(m => `<tr class="${m.reachable && m.status === "Up" ? "" : "failing"}">
        <td>${Lfr.esc(m.address)}</td><td>${Lfr.esc(m.roles.join(", "))}</td><td>${Lfr.esc(m.status)}${m.reachable ? "" : " (unreachable)"}</td></tr>`));
    document.getElementById("control").innerHTML = `
      <p class="${s.journal.healthy ? "" : "failing"}" id="journal">Journal: ${s.journal.healthy ? "read " + Lfr.time(s.journal.lastReadAt) + " in " + s.journal.lastReadMs + " ms" : "failing: " + Lfr.esc(s.journal.error)}</p>
      <p>Next daily wipe: ${Lfr.dateTime(s.nextWipe)}</p>
      ${s.deployments.length === 0 ? "<p class='muted'>No deployment live.</p>" :
        table(["Live deployment", "Watchlist", "Entries", "Window ends"], s.deployments.map(d => `<tr><td>${Lfr.esc(d.id)}</td><td>${Lfr.esc(d.watchlist)}</td>
          <td>${d.watchlistEntries ?? "—"}${d.watchlistWipedAt ? " (wiped)" : ""}</td><td>${Lfr.dateTime(d.windowEnd)}</td></tr>`))}
      ${s.checks.length === 0 ? "" : table(["Check", "State"], s.checks.map(c => `<tr class="${c.status === "Healthy" ? "" : "failing"}"><td>${Lfr.esc(c.name)}</td><td>${Lfr.esc(c.status)} ${Lfr.esc(c.description ?? "")}</td></tr>`))}`;
    document.getElementById("cameras").innerHTML = s.cameras.length === 0 ? "<p class='muted'>No camera reports to this node.</p>" :
      table(["Camera", "State", "fps in", "fps processed", "Frames", "Dropped", "Restarts", "Detect ms p50/p99", "Detector runs/frame, tiles run", "Track-embed ms", "Match ms", "Capture to alert ms", "Last frame", "Last error", ""], s.cameras.map(c => `
        <tr class="${c.failing ? "failing" : ""}" data-camera="${Lfr.esc(c.camera)}"><td>${Lfr.esc(c.camera)}</td><td>${Lfr.esc(c.state)}</td><td>${c.fpsIn}</td><td>${c.fpsProcessed}</td>
        <td>${c.framesIn}</td><td>${c.framesDropped}</td><td>${c.restarts}</td>
        <td class="latency" data-stage="detect">${latency(c.latencies?.detect)}</td>
        <td class="detector" title="${c.detector ? "budget " + (c.detector.budget || "every tile") : ""}">${c.detector ? `${c.detector.runsPerFrame} runs, ${Math.round(c.detector.tileShare * 100)}% of tiles` : "—"}</td><td class="latency" data-stage="track-embed">${latency(c.latencies?.trackEmbed)}</td>
        <td class="latency" data-stage="match">${latency(c.latencies?.match)}</td><td class="latency" data-stage="alert">${latency(c.latencies?.alert)}</td>
        <td>${Lfr.time(c.lastFrameAt)}</td><td>${Lfr.esc(c.lastError ?? "")}</td>
        <td>${restartable(c) ? `<button type="button" class="restart" data-camera="${Lfr.esc(c.camera)}">Restart</button>` : ""}</td></tr>`));
    document.getElementById("reports").innerHTML = s.reports.length === 0 ? "<p class='muted'>No node reports here (they go to console nodes).</p>" :
      table(["Node", "Role", "State", "Up for", "Outbox", "Counters"], s.reports.map(r => `<tr class="${r.silent || r.outboxLate ? "failing" : ""}"><td>${Lfr.esc(r.address)}</td>
        <td>${Lfr.esc(r.role)}</td><td>${Lfr.esc(r.status)}${r.silent ? " (silent)" : ""}</td><td>${r.uptimeSeconds} s</td>
        <td class="outbox">${"outbox-pending" in r.counters ? `${r.counters["outbox-pending"]} waiting${r.counters["outbox-pending"] > 0 ? ", oldest " + Math.round(r.counters["outbox-oldest-age-ms"] / 1000) + " s" : ""}` : "—"}</td>
        <td>${Object.entries(r.counters).map(([k, v]) => Lfr.esc(k) + " " + v).join(", ")}</td></tr>`));
  }

  document.getElementById("cameras").addEventListener("click", async e => {
    const button = e.target.closest("button.restart");
    if (!button) return;
    button.disabled = true;
    const error = document.getElementById("restart-error");
    try { await Lfr.api("POST", "/api/cameras/restart", { camera: button.dataset.camera }); error.textContent = ""; error.classList.remove("shown"); }
    catch (err) { Lfr.flash(error, err.message); }
  });

  async function history() {
    try {
      const cameras = await Lfr.api("GET", "/api/console/history");
      // the SVG comes from the server, drawn from numbers only
      document.getElementById("history").innerHTML = cameras.length === 0 ? "<p class='muted'>No camera figures yet.</p>" :
        table(["Camera", "fps in / processed", "Dropped", "Latency p50 ms"], cameras.map(c => `<tr data-camera="${Lfr.esc(c.camera)}"><td>${Lfr.esc(c.camera)}
          <br><small>${c.samples} samples</small></td><td>${c.fps}</td><td>${c.drops}</td><td>${c.latency}</td></tr>`));
    } catch (err) { document.getElementById("history").textContent = err.message; }
  }

  async function vans() {
    try {
      const held = await Lfr.api("GET", "/api/console/vans");
      document.getElementById("vans").innerHTML = held.length === 0 ? "<p class='muted'>No van has been sent a watchlist since the control room started.</p>" :
        table(["Van", "State", "Deployment", "Watchlist", "Entries", "Why", "At"], held.map(v => `<tr class="holding-${Lfr.esc(v.state)}" data-van="${Lfr.esc(v.van)}">
          <td>${Lfr.esc(v.van)}</td><td class="state">${Lfr.esc(v.state)}</td><td>${Lfr.esc(v.deployment ?? "—")}</td><td>${Lfr.esc(v.watchlist ?? "—")}</td>
          <td>${v.entries ?? "—"}</td><td>${Lfr.esc(v.reason ?? "")}</td><td>${Lfr.time(v.at)}</td></tr>`));
    } catch (err) { document.getElementById("vans").innerHTML = `<p class="muted">${Lfr.esc(err.message)}</p>`; }
  }

  async function tick() {
    try { render(await Lfr.api("GET", "/api/status")); }
    catch (err) { document.getElementById("status-at").textContent = "status unavailable: " + err.message; }
  }
  tick();
  setInterval(tick, 1000);
  history();
  setInterval(history, 10000);
  vans();
  setInterval(vans, 5000);
})();
