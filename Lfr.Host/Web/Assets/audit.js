// The audit trail, newest first, and whether its hash chain is intact.
"use strict";
(async () => {
  const data = await Lfr.api("GET", "/api/audit");
  const verification = document.getElementById("verification");
  verification.textContent = data.intact ? `Hash chain intact: ${data.total} entries checked.` : `Hash chain BROKEN: ${data.problem}`;
  verification.classList.toggle("failing", !data.intact);
  document.getElementById("trail").innerHTML = `<table><thead><tr><th>#</th><th>When</th><th>What</th><th>Who</th><th>Deployment</th><th>Subject</th><th>Detail</th></tr></thead>
    <tbody>${data.entries.map(e => `<tr><td>${e.sequence}</td><td>${Lfr.dateTime(e.at)}</td><td>${Lfr.esc(e.kind)}</td><td>${Lfr.esc(e.who)}</td>
      <td>${Lfr.esc(e.deployment)}</td><td>${Lfr.esc(e.subject)}</td><td>${Lfr.esc(e.detail)}</td></tr>`).join("")}</tbody></table>`;
})();
