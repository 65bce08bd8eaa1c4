// Shared helpers for Lfr's pages: every change goes through Lfr.api, which sends the CSRF header the server requires.
"use strict";
const Lfr = {
  esc(value) {
    return String(value ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  },
  time(value) {
    return value ? new Date(value).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "—";
  },
  dateTime(value) {
    return value ? new Date(value).toLocaleString([], { dateStyle: "short", timeStyle: "medium" }) : "—";
  },
  async api(method, url, body) {
    const init = { method, headers: { "X-Lfr-Csrf": "1" }, credentials: "same-origin" };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    const response = await fetch(url, init);
    if (response.status === 401) { location.href = "/signin?ReturnUrl=" + encodeURIComponent(location.pathname); throw new Error("signed out"); }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error((data && data.error) || response.status + " " + response.statusText);
    return data;
  },
  // a live stream of a page's data; the server sends it again only when it changes
  stream(url, render, onProblem) {
    const source = new EventSource(url);
    source.onmessage = e => render(JSON.parse(e.data));
    source.addEventListener("problem", e => onProblem && onProblem(JSON.parse(e.data).error));
    return source;
  },
  flash(element, message) {
    element.textContent = message;
    element.classList.add("shown");
  },
};
document.getElementById("signout")?.addEventListener("click", async () => {
  await Lfr.api("DELETE", "/api/session");
  location.href = "/signin";
});
