// The audit trail, newest first, filtered by the form (kept in the address, so a filtered page can be shared),
// a page at a time; whether the whole chain's MACs check under the audit key; exports with the same filter.
"use strict";
(async () => {
  const params = new URLSearchParams(location.search);
  const form = document.getElementById("audit-filter");
  for (const [name, value] of params) if (form.elements[name]) form.elements[name].value = value;
  const page = Math.max(1, Number(params.get("page")) || 1);
  const filter = new URLSearchParams([...params].filter(([name, value]) => name !== "page" && value));
  document.getElementById("audit-csv").href = "/api/audit?" + new URLSearchParams([...filter, ["format", "csv"]]);
  document.getElementById("audit-json").href = "/api/audit?" + new URLSearchParams([...filter, ["format", "json"]]);
  const verification = document.getElementById("verification");
  let data;
  try { data = await Lfr.api("GET", "/api/audit?" + new URLSearchParams([...filter, ["page", String(page)]])); }
  catch (err) { Lfr.flash(verification, err.message); verification.classList.add("failing"); return; }
  verification.textContent = data.intact ? `Hash chain intact: ${data.total} entries, each MAC checked under the control room's audit key.` : `Hash chain BROKEN: ${data.problem}`;
  verification.classList.toggle("failing", !data.intact);
  const first = (page - 1) * data.pageSize;
  document.getElementById("audit-count").textContent = data.matching === 0 ? "No entry matches."
    : `Entries ${first + 1}–${first + data.entries.length} of ${data.matching} matching.`;
  document.getElementById("trail").innerHTML = `<table><thead><tr><th>#</th><th>When</th><th>What</th><th>Who</th><th>Deployment</th><th>Subject</th><th>Detail</th></tr></thead>
    <tbody>${data.entries.map(e => `<tr><td>${e.sequence}</td><td>${Lfr.dateTime(e.at)}</td><td>${Lfr.esc(e.kind)}</td><td>${Lfr.esc(e.who)}</td>
      <td>${Lfr.esc(e.deployment)}</td><td>${Lfr.esc(e.subject)}</td><td>${Lfr.esc(e.detail)}</td></tr>`).join("")}</tbody></table>`;
  const link = (id, to, shown) => {
    const a = document.getElementById(id);
    a.hidden = !shown;
    a.href = "/audit?" + new URLSearchParams([...filter, ["page", String(to)]]);
  };
  link("newer", page - 1, page > 1);
  link("older", page + 1, first + data.entries.length < data.matching);
})();
