// The officer's handset: duty, the tasking in hand (drawn once per tasking, so each image is fetched and audited
// once), acknowledge, and the outcome.
"use strict";
(() => {
  const dutyState = document.getElementById("duty-state");
  const dutyToggle = document.getElementById("duty-toggle");
  const availableToggle = document.getElementById("available-toggle");
  const box = document.getElementById("tasking");
  const outcomes = [["SpokenToNotThePerson", "Spoken to: not the person"], ["SpokenToNoFurtherAction", "Spoken to: no further action"],
    ["Arrested", "Arrested"], ["NotLocated", "Not located"]];
  let me = null;
  let drawn = null;

  async function act(url, body) {
    try { render(await Lfr.api("POST", url, body)); }
    catch (err) { Lfr.flash(box.querySelector(".error") || dutyState, err.message); }
  }

  dutyToggle.addEventListener("click", () => act("/api/me/duty", { onDuty: !me.onDuty }));
  availableToggle.addEventListener("click", () => act("/api/me/available", { available: !me.available }));

  function draw(t) {
    const record = t.record;
    box.innerHTML = `
      <article class="tasking card" data-tasking="${Lfr.esc(t.id)}">
        <h2>${Lfr.esc(t.category)}</h2>
        <p class="reason">${Lfr.esc(record ? record.reason : "record not available")}</p>
        <div class="faces">
          ${record ? `<figure><img src="${Lfr.esc(record.fileImageUrl)}" alt="File image"><figcaption>File image</figcaption></figure>` : ""}
          ${t.captures.map((url, i) => `<figure><img src="${Lfr.esc(url)}" alt="Live capture ${i + 1}"><figcaption>Live capture</figcaption></figure>`).join("")}
        </div>
        <dl><dt>Entry</dt><dd>${Lfr.esc(t.entry)}</dd>
          <dt>Source</dt><dd>${Lfr.esc(record ? record.source + " (" + record.sourceDate + ")" : "")}</dd>
          <dt>Tasked by</dt><dd>${Lfr.esc(t.taskedBy)} at ${Lfr.time(t.at)}</dd>
          <dt>Status</dt><dd class="tasking-status"></dd></dl>
        <button type="button" id="acknowledge">Acknowledge</button>
        <form id="outcome"><label>Outcome <select name="kind">${outcomes.map(([v, l]) => `<option value="${v}">${l}</option>`).join("")}</select></label>
          <label class="offence">Offence <input name="offence" placeholder="arrested for"></label>
          <button type="submit">Record outcome</button></form>
        <p class="error"></p>
      </article>`;
    box.querySelector("#acknowledge").addEventListener("click", () => act("/api/me/acknowledge", { tasking: t.id }));
    box.querySelector("#outcome").addEventListener("submit", e => {
      e.preventDefault();
      act("/api/me/outcome", { tasking: t.id, kind: e.target.kind.value, offence: e.target.offence.value });
    });
  }

  function render(state) {
    me = state;
    dutyState.textContent = state.onDuty ? (state.available ? "On duty · available" : "On duty · not available") : "Off duty";
    dutyToggle.textContent = state.onDuty ? "Go off duty" : "Go on duty";
    availableToggle.hidden = !state.onDuty;
    availableToggle.textContent = state.available ? "Not available" : "Available";
    const t = state.tasking;
    if (!t) {
      drawn = null;
      box.innerHTML = `<p class="muted" id="no-tasking">No tasking. ${state.completed} completed this session.</p>`;
      return;
    }
    if (drawn !== t.id) { draw(t); drawn = t.id; }
    box.querySelector(".tasking-status").textContent = t.status === "Escalated" ? "Escalated: acknowledge now" : t.status;
    box.querySelector("#acknowledge").hidden = !(t.status === "Sent" || t.status === "Escalated");
    box.querySelector("article").classList.toggle("urgent", t.status !== "Acknowledged");
  }

  Lfr.stream("/api/me/stream", render, problem => Lfr.flash(dutyState, problem));
})();
