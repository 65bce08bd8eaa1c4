// One deployment: each button and form posts to the control room, which decides; a refusal shows its reason on the page.
"use strict";
(() => {
  const page = document.getElementById("deployment-page");
  const id = encodeURIComponent(page.dataset.deployment);
  const error = document.getElementById("deployment-error");

  async function post(action, body) {
    try { await Lfr.api("POST", `/api/deployments/${id}/${action}`, body); location.reload(); }
    catch (err) { Lfr.flash(error, err.message); error.scrollIntoView({ block: "center" }); }
  }

  for (const button of page.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", () => {
      const action = button.dataset.action;
      if (action === "end") {
        const reason = prompt("Why does the deployment end?", "Operation complete");
        if (reason) post("end", { reason });
      } else if (action === "crew") post("crew", { onDuty: button.dataset.on === "true" });
      else if (action === "remove-sign") post("signs/remove", { approach: button.dataset.approach });
      else post(action);
    });
  }

  document.getElementById("sign-form")?.addEventListener("submit", e => {
    e.preventDefault();
    const v = name => e.target.elements.namedItem(name).value;
    post("signs", { approach: v("approach"), evidence: v("evidence") });
  });

  document.getElementById("amend")?.addEventListener("submit", e => {
    e.preventDefault();
    const v = name => e.target.elements.namedItem(name).value;
    post("amend", { place: v("place"), windowStart: v("windowStart"), windowEnd: v("windowEnd"), watchlist: v("watchlist"), threshold: Number(v("threshold")) });
  });
})();
