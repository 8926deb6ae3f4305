// Switchboard admin UI: the few behaviours every page shares. Area scripts
// (static/<area>.js) build on window.SB. No framework, no build step.
(() => {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  // api calls the JSON API with the session cookie and the CSRF header and
  // resolves to {status, body}; body is the parsed JSON or null.
  async function api(method, path, body) {
    const opts = { method, headers: { "X-CSRF-Token": csrf(), Accept: "application/json" }, credentials: "same-origin" };
    if (body instanceof FormData) {
      opts.body = body;
    } else if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const r = await fetch("/api/v1" + path, opts);
    const text = await r.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { error: { message: text } }; }
    return { status: r.status, ok: r.ok, body: parsed };
  }

  // fragment fetches a piece of a page the server renders as HTML.
  async function fragment(url, opts = {}) {
    const headers = { "X-Fragment": "1", ...(opts.headers || {}) };
    if (opts.method && opts.method !== "GET") headers["X-CSRF-Token"] = csrf();
    const r = await fetch(url, { ...opts, headers, credentials: "same-origin" });
    const html = await r.text();
    return { status: r.status, ok: r.ok, html };
  }

  function debounce(fn, ms) {
    let t;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  }

  // toast shows a short notice; link is an optional {href, text}.
  function toast(message, link) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const el = document.createElement("div");
    el.className = "toast";
    el.textContent = message;
    if (link) {
      const a = document.createElement("a");
      a.href = link.href;
      a.textContent = " " + link.text;
      if (link.download) a.setAttribute("download", "");
      el.append(a);
    }
    box.append(el);
    setTimeout(() => el.remove(), link ? 20000 : 6000);
  }

  // errorText turns an API error body into one readable line.
  function errorText(res) {
    const e = res.body?.error;
    if (!e) return `Request failed (${res.status})`;
    if (e.fields) return Object.entries(e.fields).map(([k, v]) => `${k} ${v}`).join("; ");
    return e.message || `Request failed (${res.status})`;
  }

  window.SB = { api, fragment, debounce, toast, errorText, csrf };

  // Scripts run: the phone-width menu folds behind its button.
  document.documentElement.classList.add("js");
  const toggle = document.querySelector(".menu-toggle");
  toggle?.addEventListener("click", () => {
    const nav = document.getElementById(toggle.getAttribute("aria-controls"));
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });

  document.addEventListener("change", (ev) => {
    if (ev.target.matches("select[data-autosubmit]")) ev.target.form.requestSubmit();
  });
})();
