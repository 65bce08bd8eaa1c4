// The officer's handset: the tasking card first (drawn once per tasking, so each image is fetched and audited once;
// the other captures, and the entry's other file images, only when their "more" is opened), acknowledge and the outcome
// within reach, then duty. A stand-down shows until the officer marks it received.
"use strict";
(() => {
  const dutyState = document.getElementById("duty-state");
  const dutyToggle = document.getElementById("duty-toggle");
  const availableToggle = document.getElementById("available-toggle");
  const box = document.getElementById("tasking");
  const notice = document.getElementById("stand-down");
  const outcomes = [["SpokenToNotThePerson", "Spoken to: not the person"], ["SpokenToNoFurtherAction", "Spoken to: no further action"],
    ["Arrested", "Arrested"], ["NotLocated", "Not located"]];
  let me = null;
  let drawn = null;
  let sightingsDrawn = 0;

  async function act(url, body) {
    try { render(await Lfr.api("POST", url, body)); }
    catch (err) { Lfr.flash(box.querySelector(".error") || dutyState, err.message); }
  }

  dutyToggle.addEventListener("click", () => act("/api/me/duty", { onDuty: !me.onDuty }));
  availableToggle.addEventListener("click", () => act("/api/me/available", { available: !me.available }));
  notice.querySelector("button").addEventListener("click", () => act("/api/me/stand-down-received"));

  const figure = (url, caption, lazy) =>
    `<figure><img ${lazy ? "data-src" : "src"}="${Lfr.esc(url)}" alt="${Lfr.esc(caption)}"><figcaption>${Lfr.esc(caption)}</figcaption></figure>`;
  const seen = s => `${s.camera} · ${Lfr.time(s.at)} · ${s.likelihood.toFixed(3)}`;

  function draw(t) {
    const record = t.record;
    // a tasking journalled before sightings were kept has image links only
    const sightings = t.sightings.length ? t.sightings : t.captures.map(url => ({ url, camera: "", at: null, likelihood: 0 }));
    const best = sightings[0];
    const markers = record ? record.warningMarkers : [];
    const moreFiles = record ? record.moreFileImageUrls : [];
    box.innerHTML = `
      <article class="tasking card" data-tasking="${Lfr.esc(t.id)}">
        <h2>${Lfr.esc(t.category)}</h2>
        ${markers.length ? `<ul class="markers">${markers.map(m => `<li>${Lfr.esc(m)}</li>`).join("")}</ul>` : ""}
        <p class="reason">${Lfr.esc(record ? record.reason : "record not available")}</p>
        <div class="faces">
          ${record ? figure(record.fileImageUrl, "File image") : "<figure class='withheld'><div>record not available</div></figure>"}
          ${best ? figure(best.url, "Best capture") : ""}
        </div>
        <dl class="seen"><dt>Camera</dt><dd class="camera">${Lfr.esc(best ? best.camera : "")}</dd>
          <dt>Place</dt><dd class="place">${Lfr.esc(t.place || "")}</dd>
          <dt>Seen</dt><dd class="seen-at">${Lfr.time(best && best.at)}</dd>
          <dt>Likelihood</dt><dd class="likelihood">${best ? best.likelihood.toFixed(3) : ""}</dd></dl>
        ${t.note ? `<p class="operator-note">Operator: ${Lfr.esc(t.note)}</p>` : ""}
        <p class="tasking-status"></p>
        <div class="actions">
          <button type="button" id="acknowledge">Acknowledge</button>
          <form id="outcome"><select name="kind" aria-label="Outcome">${outcomes.map(([v, l]) => `<option value="${v}">${l}</option>`).join("")}</select>
            <input name="offence" placeholder="offence, if arrested" aria-label="Offence">
            <button type="submit">Record outcome</button></form>
          <p class="error"></p>
        </div>
        <details class="more"><summary>More captures (<span class="more-count">0</span>)</summary><div class="more-captures"></div></details>
        ${moreFiles.length ? `<details class="more-files"><summary>More file images (${moreFiles.length})</summary><div class="more-captures">
          ${moreFiles.map((url, i) => figure(url, `File image ${i + 2} of ${moreFiles.length + 1}`, true)).join("")}</div></details>` : ""}
        <dl class="record"><dt>Entry</dt><dd>${Lfr.esc(t.entry)}</dd>
          <dt>Source</dt><dd>${Lfr.esc(record ? record.source + " (" + record.sourceDate + ")" : "")}</dd>
          <dt>Tasked by</dt><dd>${Lfr.esc(t.taskedBy)} at ${Lfr.time(t.at)}</dd></dl>
      </article>`;
    sightingsDrawn = 1;
    box.querySelector("#acknowledge").addEventListener("click", () => act("/api/me/acknowledge", { tasking: t.id }));
    box.querySelector("#outcome").addEventListener("submit", e => {
      e.preventDefault();
      act("/api/me/outcome", { tasking: t.id, kind: e.target.kind.value, offence: e.target.offence.value });
    });
    for (const more of box.querySelectorAll("details.more, details.more-files"))
      more.addEventListener("toggle", () => {
        if (more.open) for (const img of more.querySelectorAll("img[data-src]")) { img.src = img.dataset.src; img.removeAttribute("data-src"); }
      });
  }

  // sightings after the first go behind "more"; new ones (the person seen again) are added as they come
  function drawMore(t) {
    const more = box.querySelector("details.more");
    const sightings = t.sightings.length ? t.sightings : t.captures.map(url => ({ url, camera: "", at: null, likelihood: 0 }));
    const list = more.querySelector(".more-captures");
    for (const s of sightings.slice(sightingsDrawn)) list.insertAdjacentHTML("beforeend", figure(s.url, seen(s), !more.open));
    if (more.open) for (const img of list.querySelectorAll("img[data-src]")) { img.src = img.dataset.src; img.removeAttribute("data-src"); }
    sightingsDrawn = Math.max(sightingsDrawn, sightings.length);
    more.querySelector(".more-count").textContent = String(Math.max(0, sightings.length - 1));
    more.hidden = sightings.length <= 1;
  }

  function render(state) {
    me = state;
    dutyState.textContent = state.onDuty ? (state.available ? "On duty · available" : "On duty · not available") : "Off duty";
    dutyToggle.textContent = state.onDuty ? "Go off duty" : "Go on duty";
    dutyToggle.disabled = false; // off until the first state: a click before it has nothing to toggle
    availableToggle.hidden = !state.onDuty;
    availableToggle.textContent = state.available ? "Not available" : "Available";
    notice.hidden = !state.standDown;
    if (state.standDown) notice.querySelector(".stand-down-reason").textContent = state.standDown.reason;
    const t = state.tasking;
    if (!t) {
      drawn = null;
      box.innerHTML = `<p class="muted" id="no-tasking">No tasking. ${state.completed} completed this session.</p>`;
      return;
    }
    if (drawn !== t.id) { draw(t); drawn = t.id; }
    drawMore(t);
    box.querySelector(".tasking-status").textContent = t.status === "Escalated" ? "Escalated: acknowledge now" : t.status;
    box.querySelector("#acknowledge").hidden = !(t.status === "Sent" || t.status === "Escalated");
    box.querySelector("article").classList.toggle("urgent", t.status !== "Acknowledged");
  }

  Lfr.stream("/api/me/stream", render, problem => Lfr.flash(dutyState, problem));
})();
