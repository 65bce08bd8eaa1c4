// The operator's screen: live view tiles and the alert queue. Cards are added and removed, never redrawn, so a face
// image is fetched (and its view audited) once per alert on this screen.
"use strict";
(() => {
  const queue = document.getElementById("queue");
  const count = document.getElementById("queue-count");
  const canAdjudicate = document.querySelector("[data-adjudicate]").dataset.adjudicate === "true";
  const showLive = document.getElementById("live").dataset.live === "true";
  const reasons = [["NotThePerson", "Not the person"], ["PoorImage", "Poor image"], ["LookalikeOrRelative", "Lookalike or relative"], ["Other", "Other"]];
  let officers = [];

  async function loadOfficers() {
    if (!canAdjudicate) return;
    try { officers = await Lfr.api("GET", "/api/officers"); } catch { /* shown as no officers */ }
    for (const list of document.querySelectorAll(".officers")) fillOfficers(list);
    for (const select of document.querySelectorAll("select.free-officers, form.retask select")) fillFree(select);
  }

  // the officers who can take a tasking now, keeping the operator's choice
  function fillFree(select) {
    const chosen = select.value;
    select.innerHTML = officers.filter(o => o.onDuty && o.available && !o.busy)
      .map(o => `<option value="${Lfr.esc(o.id)}"${o.id === chosen ? " selected" : ""}>${Lfr.esc(o.name)}</option>`).join("");
  }
  window.LfrOperator = { fillFree };

  function fillOfficers(list) {
    const chosen = new Set([...list.querySelectorAll("input:checked")].map(i => i.value));
    list.innerHTML = officers.length === 0 ? "<span class='muted'>No officers configured</span>" : officers.map(o => `
      <label class="officer ${o.onDuty && o.available && !o.busy ? "" : "unavailable"}">
        <input type="checkbox" name="officer" value="${Lfr.esc(o.id)}" ${chosen.has(o.id) ? "checked" : ""}>
        ${Lfr.esc(o.name)} <small>${o.onDuty ? (o.busy ? "busy" : o.available ? "available" : "not available") : "off duty"}</small></label>`).join("");
  }

  function card(alert) {
    const record = alert.record;
    const capture = alert.captures.reduce((a, b) => (b.likelihood > a.likelihood ? b : a));
    const image = (url, caption) => url
      ? `<figure><img src="${Lfr.esc(url)}" alt="${Lfr.esc(caption)}"><figcaption>${Lfr.esc(caption)}</figcaption></figure>`
      : `<figure class="withheld"><div>image not shown to your role</div><figcaption>${Lfr.esc(caption)}</figcaption></figure>`;
    const article = document.createElement("article");
    article.className = "alert card urgency-" + alert.urgency;
    article.dataset.alert = alert.id;
    article.innerHTML = `
      <div class="faces">
        ${record ? image(record.fileImageUrl, "File image") : "<figure class='withheld'><div>record loading…</div></figure>"}
        ${image(capture.url, "Live capture · " + capture.camera)}
      </div>
      <div class="facts">
        <h3>${Lfr.esc(alert.category)}</h3>
        <p class="reason">${Lfr.esc(record ? record.reason : "")}</p>
        <dl>
          <dt>Likelihood</dt><dd class="likelihood">${alert.likelihood.toFixed(3)}</dd>
          <dt>Camera</dt><dd>${Lfr.esc(alert.camera)}</dd>
          <dt>Seen</dt><dd>${Lfr.time(alert.capturedAt)}</dd>
          <dt>Entry</dt><dd>${Lfr.esc(alert.entry)}</dd>
          <dt>Source</dt><dd>${Lfr.esc(record ? record.source + " (" + record.sourceDate + ")" : "")}</dd>
          <dt>Deployment</dt><dd>${Lfr.esc(alert.deployment)}</dd>
        </dl>
        <p class="status"></p>
        ${canAdjudicate ? `
        <form class="confirm"><fieldset><legend>Task officers</legend><div class="officers"></div></fieldset>
          <input name="note" class="note-input" placeholder="note for the officers (e.g. clothing, direction)" aria-label="Note for the officers">
          <button type="submit" class="confirm-button">Confirm</button></form>
        <form class="dismiss"><select name="reason">${reasons.map(([v, t]) => `<option value="${v}">${t}</option>`).join("")}</select>
          <button type="submit" class="dismiss-button">Dismiss</button></form>
        <p class="error"></p>` : ""}
      </div>`;
    if (canAdjudicate) {
      fillOfficers(article.querySelector(".officers"));
      const error = article.querySelector(".error");
      const base = `/api/alerts/${encodeURIComponent(alert.deployment)}/${encodeURIComponent(alert.id)}`;
      article.querySelector("form.confirm").addEventListener("submit", async e => {
        e.preventDefault();
        const chosen = [...e.target.querySelectorAll("input:checked")].map(i => i.value);
        try { update(article, await Lfr.api("POST", base + "/confirm", { officers: chosen, note: e.target.note.value })); }
        catch (err) { Lfr.flash(error, err.message); }
      });
      article.querySelector("form.dismiss").addEventListener("submit", async e => {
        e.preventDefault();
        try { update(article, await Lfr.api("POST", base + "/dismiss", { reason: e.target.reason.value })); }
        catch (err) { Lfr.flash(error, err.message); }
      });
    }
    return article;
  }

  function update(article, alert) {
    const status = article.querySelector(".status");
    status.textContent = alert.status === "AwaitingSecondConfirmation"
      ? `Confirmed by ${alert.confirmedBy.join(", ")}: a second operator must confirm`
      : alert.status === "AwaitingDecision" ? "" : alert.status;
    if (alert.status === "Confirmed" || alert.status === "Dismissed") {
      article.classList.add("decided");
      setTimeout(() => article.remove(), 1500);
    }
  }

  function render(data) {
    const ids = new Set(data.alerts.map(a => a.id));
    for (const article of [...queue.querySelectorAll("article.alert")])
      if (!ids.has(article.dataset.alert) && !article.classList.contains("decided")) article.remove();
    queue.querySelector("p.muted")?.remove();
    let previous = null;
    for (const alert of data.alerts) {
      let article = queue.querySelector(`article[data-alert="${CSS.escape(alert.id)}"]`);
      // a card whose record arrived after it was drawn is drawn again, once
      if (article && !article.querySelector(".faces figure:not(.withheld)") && alert.record) { article.remove(); article = null; }
      if (!article) article = card(alert);
      if (previous) previous.after(article); else queue.prepend(article);
      update(article, alert);
      previous = article;
    }
    count.textContent = String(data.alerts.length);
    drawEscalations(data.escalations);
    if (data.alerts.length === 0 && !queue.querySelector("article")) queue.innerHTML = `<p class="muted">No alert awaits a decision${data.deployments.length ? "" : " (no deployment is live)"}.</p>`;
  }

  // an escalated tasking can be re-tasked to another officer from the banner; drawn again only when the set changes
  let escalationKey = "";
  function drawEscalations(escalations) {
    const key = escalations.map(e => e.tasking).join("|");
    if (key === escalationKey) return;
    escalationKey = key;
    const box = document.getElementById("escalations");
    box.innerHTML = escalations.map(e => `
      <div class="escalation" data-tasking="${Lfr.esc(e.tasking)}"><p>Officer ${Lfr.esc(e.officer)} has not acknowledged tasking
        ${Lfr.esc(e.tasking)} (escalated ${Lfr.time(e.at)}): reach the officer another way or re-task.</p>
        ${canAdjudicate ? `<form class="retask"><select name="officer" aria-label="Re-task to"></select>
          <input name="reason" value="not acknowledged" aria-label="Reason"><button type="submit">Re-task</button></form><p class="error"></p>` : ""}</div>`).join("");
    for (const div of box.querySelectorAll(".escalation")) {
      const select = div.querySelector("select");
      if (select) fillFree(select);
      const e = escalations.find(x => x.tasking === div.dataset.tasking);
      div.querySelector("form.retask")?.addEventListener("submit", async ev => {
        ev.preventDefault();
        try {
          await Lfr.api("POST", `/api/alerts/${encodeURIComponent(e.deployment)}/${encodeURIComponent(e.alert)}/retask`,
            { tasking: e.tasking, officer: ev.target.officer.value, reason: ev.target.reason.value });
          div.classList.add("done");
          div.querySelector("p").textContent = `Re-tasked to ${ev.target.officer.value}.`;
        } catch (err) { Lfr.flash(div.querySelector(".error"), err.message); }
      });
    }
  }

  async function refreshLive() {
    const cameras = document.getElementById("cameras");
    try {
      const status = await Lfr.api("GET", "/api/status");
      if (status.cameras.length === 0) { cameras.innerHTML = "<p class='muted'>No camera reports to this node.</p>"; return; }
      for (const camera of status.cameras) {
        let tile = cameras.querySelector(`figure[data-camera="${CSS.escape(camera.camera)}"]`);
        if (!tile) {
          cameras.querySelector("p.muted")?.remove();
          tile = document.createElement("figure");
          tile.dataset.camera = camera.camera;
          tile.innerHTML = `<img alt="live view of ${Lfr.esc(camera.camera)}"><figcaption></figcaption>`;
          const img = tile.querySelector("img");
          // a camera with no frame yet (or a broken one) shows an empty tile, not a broken image
          img.onerror = () => img.classList.add("missing");
          img.onload = () => img.classList.remove("missing");
          cameras.append(tile);
        }
        tile.classList.toggle("failing", camera.failing);
        tile.querySelector("figcaption").textContent = `${camera.camera} · ${camera.state} · ${camera.fpsProcessed} fps`;
        tile.querySelector("img").src = "/api/cameras/frame?camera=" + encodeURIComponent(camera.camera) + "&t=" + Date.now();
      }
    } catch { /* the next round tries again */ }
  }

  loadOfficers();
  setInterval(loadOfficers, 5000);
  Lfr.stream("/api/alerts/stream", render, problem => { count.textContent = "!"; count.title = problem; });
  if (showLive) { refreshLive(); setInterval(refreshLive, 1000); }
})();
