// The operator's decided alerts of the live deployments: filter by status or text; on a confirmed alert, add an
// officer, cancel one officer's tasking with a reason, stand everyone down, or hold a capture for evidence. No face images here: the list is
// redrawn as it changes, and each image view would be audited again.
"use strict";
(() => {
  const list = document.getElementById("decided");
  const count = document.getElementById("decided-count");
  const filter = document.getElementById("decided-filter");
  const canAdjudicate = document.querySelector("[data-adjudicate]").dataset.adjudicate === "true";
  let alerts = [];
  let shownKey = "";

  const lineText = l => l.open ? "open" : l.cancelledBecause ? `cancelled: ${l.cancelledBecause}` : `${l.outcome}${l.offence ? " (" + l.offence + ")" : ""}`;
  const searchable = a => [a.entry, a.status, a.note, ...a.captures.map(c => c.camera), ...a.lines.map(l => l.officer + " " + lineText(l)),
    a.dismissalReason, a.record && a.record.reason].join(" ").toLowerCase();

  function shown() {
    const status = filter.status.value;
    const text = filter.text.value.trim().toLowerCase();
    return alerts.filter(a => (!status || (status === "open" ? a.beingDealtWith : a.status === status)) && (!text || searchable(a).includes(text)));
  }

  function row(a) {
    const base = `/api/alerts/${encodeURIComponent(a.deployment)}/${encodeURIComponent(a.id)}`;
    const actions = canAdjudicate && a.status === "Confirmed";
    return `<article class="decided-alert card ${a.beingDealtWith ? "open" : ""}" data-alert="${Lfr.esc(a.id)}" data-base="${Lfr.esc(base)}">
      <h3>${Lfr.esc(a.entry)} · <span class="decided-status">${a.beingDealtWith ? "being dealt with" : Lfr.esc(a.status)}</span>
        <small>${Lfr.esc(a.category)} · ${Lfr.esc(a.deployment)} · decided ${Lfr.time(a.decidedAt)} by ${Lfr.esc(a.decidedBy.join(", "))}</small></h3>
      ${a.dismissalReason ? `<p>Dismissed: ${Lfr.esc(a.dismissalReason)}</p>` : ""}
      ${a.note ? `<p class="operator-note">Note: ${Lfr.esc(a.note)}</p>` : ""}
      <p class="sightings">Captures (${a.captures.length}): ${a.captures.map(c => `<span class="sighting">${Lfr.esc(c.camera)} ${Lfr.time(c.at)} (${c.likelihood.toFixed(3)})</span>`).join(", ")}</p>
      ${canAdjudicate && a.captures.length ? `<form class="hold"><select name="image" aria-label="Capture">${a.captures.map(c =>
        `<option value="${Lfr.esc(c.image)}">${Lfr.esc(c.camera)} ${Lfr.time(c.at)}</option>`).join("")}</select>
        <input name="caseReference" placeholder="case reference" required aria-label="Case reference"><button type="submit">Hold for evidence</button>
        <span class="hold-state"></span></form>` : ""}
      ${a.lines.length ? `<table class="lines"><tr><th>Officer</th><th>Tasking</th><th>State</th><th></th></tr>${a.lines.map(l => `
        <tr data-tasking="${Lfr.esc(l.tasking)}"><td>${Lfr.esc(l.officer)}</td><td>${Lfr.esc(l.tasking)}</td><td class="line-state">${Lfr.esc(lineText(l))}</td>
          <td>${actions && l.open ? `<form class="cancel"><input name="reason" placeholder="reason" required aria-label="Reason"><button type="submit">Cancel tasking</button></form>` : ""}</td></tr>`).join("")}</table>` : ""}
      ${actions ? `<div class="after-confirm">
        <form class="add"><select name="officer" class="free-officers" aria-label="Officer to add"></select><button type="submit">Add officer</button></form>
        ${a.beingDealtWith ? `<form class="stand-down"><input name="reason" placeholder="reason (the officers see it)" required aria-label="Reason"><button type="submit">Stand down</button></form>` : ""}
        <p class="error"></p></div>` : ""}
    </article>`;
  }

  function draw(force) {
    const visible = shown();
    const key = JSON.stringify(visible.map(a => [a.id, a.status, a.captures.length, a.lines])) + filter.status.value;
    count.textContent = String(visible.length);
    if (!force && key === shownKey) return;
    // a form being filled in is not wiped by a refresh
    if (!force && list.contains(document.activeElement) && document.activeElement.tagName === "INPUT") return;
    shownKey = key;
    list.innerHTML = visible.length ? visible.map(row).join("") : `<p class="muted">No decided alert${alerts.length ? " matches" : " yet"}.</p>`;
    for (const select of list.querySelectorAll("select.free-officers")) window.LfrOperator?.fillFree(select);
  }

  async function post(article, path, body) {
    try {
      const updated = await Lfr.api("POST", article.dataset.base + path, body);
      alerts = alerts.map(a => (a.id === updated.id ? updated : a));
      draw(true);
    } catch (err) { Lfr.flash(article.querySelector(".error") || article, err.message); }
  }

  // a hold keeps the capture past its retention; the list of holds (and their release) is on /evidence
  async function hold(form, article) {
    try {
      const held = await Lfr.api("POST", `${article.dataset.base}/captures/${encodeURIComponent(form.image.value)}/hold`, { caseReference: form.caseReference.value });
      form.querySelector(".hold-state").textContent = `Held under ${held.caseReference}`;
    } catch (err) { Lfr.flash(form.querySelector(".hold-state"), err.message); }
  }

  list.addEventListener("submit", e => {
    e.preventDefault();
    const form = e.target;
    const article = form.closest("article");
    if (form.classList.contains("cancel")) post(article, "/cancel", { tasking: form.closest("tr").dataset.tasking, reason: form.reason.value });
    else if (form.classList.contains("add")) post(article, "/officers", { officers: [form.officer.value] });
    else if (form.classList.contains("stand-down")) post(article, "/stand-down", { reason: form.reason.value });
    else if (form.classList.contains("hold")) hold(form, article);
  });
  filter.addEventListener("input", () => draw(true));
  filter.addEventListener("submit", e => e.preventDefault());

  async function refresh() {
    try { alerts = await Lfr.api("GET", "/api/alerts/decided"); draw(false); } catch { /* the next round tries again */ }
  }
  refresh();
  setInterval(refresh, 2000);
})();
