// Switchboard chat widget. Embed with:
//   <script src="https://YOUR-HOST/widget.js" data-key="PUBLIC_KEY" async></script>
// It draws a chat bubble and panel, keeps the visitor's id in localStorage,
// talks over a WebSocket and falls back to HTTP polling. Every text is put
// on the page with textContent, never as HTML.
// A site whose visitor is logged in adds data-identifier="USER_ID" and
// data-identifier-hash="HMAC" (computed on its server, see the README), or
// calls window.Switchboard.identify(id, hash) once the visitor logs in
// (identify(null) on logout); the pair goes with every message.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.key) { return; }
  var key = script.dataset.key;
  var base = new URL(script.src, location.href).origin;
  var api = base + "/channels/widget/" + encodeURIComponent(key);
  var fullPage = script.dataset.mode === "page";

  var storeKey = "switchboard_visitor_" + key;
  // The visitor id belongs to whoever is logged in: when another user logs
  // in on this browser, or the user logs out, the widget starts over with a
  // fresh id, so nobody reads the previous user's conversation. An
  // anonymous visitor who logs in keeps theirs (the same person, usually).
  var ownerKey = storeKey + "_identifier";
  var identity = { identifier: script.dataset.identifier || "", hash: script.dataset.identifierHash || "" };
  var visitor = null;
  var owner = "";
  try { visitor = localStorage.getItem(storeKey); owner = localStorage.getItem(ownerKey) || ""; } catch (e) { /* storage off */ }
  function newVisitorId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return "v_" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  // claim gives the visitor id to identifier; true when that took a new id.
  function claim(identifier) {
    var fresh = !visitor || (owner !== "" && owner !== identifier);
    if (fresh) { visitor = newVisitorId(); }
    owner = identifier;
    try { localStorage.setItem(storeKey, visitor); localStorage.setItem(ownerKey, owner); } catch (e) { /* storage off */ }
    return fresh;
  }
  claim(identity.identifier);

  var css = ".sbw-bubble{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#1f5eff;color:#fff;font:600 14px system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:2147483000}" +
    ".sbw-panel{position:fixed;right:20px;bottom:88px;width:340px;max-width:calc(100vw - 40px);height:460px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;color:#111;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.25);font:14px/1.4 system-ui,sans-serif;z-index:2147483000;overflow:hidden}" +
    ".sbw-panel.sbw-open{display:flex}.sbw-page{position:static;width:auto;max-width:none;height:100vh;max-height:none;border-radius:0;box-shadow:none}" +
    ".sbw-head{padding:12px 16px;background:#1f5eff;color:#fff;font-weight:600}.sbw-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:6px}" +
    ".sbw-msg{max-width:80%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}.sbw-in{align-self:flex-end;background:#1f5eff;color:#fff}.sbw-out{align-self:flex-start;background:#eef1f6}" +
    ".sbw-form{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e6ec}.sbw-form input{flex:1;padding:8px 10px;border:1px solid #b9c0cc;border-radius:8px;font:inherit}" +
    ".sbw-form button{padding:8px 14px;border:0;border-radius:8px;background:#1f5eff;color:#fff;font:inherit;cursor:pointer}.sbw-err{color:#b00020;padding:0 12px 8px;min-height:1em}" +
    ".sbw-pre{display:flex;flex-direction:column;gap:6px;padding:0 12px}.sbw-pre label{display:flex;flex-direction:column;font-size:12px;color:#333}" +
    ".sbw-pre input{padding:6px 8px;border:1px solid #b9c0cc;border-radius:6px;font:14px system-ui,sans-serif}";
  var style = document.createElement("style");
  style.textContent = css;
  document.head.appendChild(style);

  var panel = document.createElement("section");
  panel.className = "sbw-panel" + (fullPage ? " sbw-page sbw-open" : "");
  panel.setAttribute("aria-label", "Chat");
  var head = document.createElement("div");
  head.className = "sbw-head";
  head.textContent = script.dataset.title || "Chat with us";
  var log = document.createElement("div");
  log.className = "sbw-log";
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  var err = document.createElement("div");
  err.className = "sbw-err";
  var form = document.createElement("form");
  form.className = "sbw-form";
  var label = document.createElement("label");
  label.textContent = "Message";
  label.setAttribute("for", "sbw-input");
  label.style.position = "absolute";
  label.style.left = "-9999px";
  var input = document.createElement("input");
  input.id = "sbw-input";
  input.name = "text";
  input.autocomplete = "off";
  input.placeholder = "Type a message";
  input.maxLength = 4096;
  var send = document.createElement("button");
  send.type = "submit";
  send.textContent = "Send";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  // The pre-chat form: the fields the channel collects, sent with the
  // visitor's first message.
  var pre = document.createElement("div");
  pre.className = "sbw-pre";
  var preFields = {};
  var labels = { name: "Your name", email: "Your email", phone: "Your phone" };
  var types = { name: "text", email: "email", phone: "tel" };
  function buildPreChat(collect) {
    (collect || []).forEach(function (f) {
      if (!labels[f]) { return; }
      var l = document.createElement("label");
      l.textContent = labels[f];
      var i = document.createElement("input");
      i.name = f;
      i.type = types[f];
      i.autocomplete = f === "phone" ? "tel" : f;
      l.appendChild(i);
      pre.appendChild(l);
      preFields[f] = i;
    });
  }
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(pre);
  panel.appendChild(err);
  panel.appendChild(form);

  function mount() {
    document.body.appendChild(panel);
    if (!fullPage) {
      var bubble = document.createElement("button");
      bubble.className = "sbw-bubble";
      bubble.type = "button";
      bubble.setAttribute("aria-label", "Open chat");
      bubble.setAttribute("aria-expanded", "false");
      bubble.textContent = "Chat";
      bubble.addEventListener("click", function () {
        var open = panel.classList.toggle("sbw-open");
        bubble.setAttribute("aria-expanded", String(open));
        if (open) { input.focus(); }
      });
      document.body.appendChild(bubble);
    }
  }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }

  var seen = {};
  var lastId = 0;
  function render(m) {
    if (!m || seen[m.id]) { return; }
    seen[m.id] = true;
    if (m.id > lastId) { lastId = m.id; }
    var el = document.createElement("div");
    el.className = "sbw-msg " + (m.direction === "inbound" ? "sbw-in" : "sbw-out");
    el.dataset.sender = m.sender_kind;
    el.textContent = m.text;
    if (m.direction === "inbound") { pre.style.display = "none"; }
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
  }

  function poll() {
    var asked = visitor;
    return fetch(api + "/messages?visitor_id=" + visitor + "&after=" + lastId)
      .then(function (r) { return r.ok ? r.json() : { messages: [] }; })
      .then(function (body) { if (asked === visitor) { (body.messages || []).forEach(render); } })
      .catch(function () { /* offline: try again later */ });
  }

  var socket = null;
  var lastSent = "";
  var pollTimer = null;

  // identify(identifier, hash) for pages that log the visitor in (or out,
  // with no arguments) after the widget loaded. Every widget on the page
  // hears it.
  var sb = window.Switchboard = window.Switchboard || {};
  var otherIdentify = sb.identify;
  sb.identify = function (identifier, hash) {
    if (otherIdentify) { otherIdentify(identifier, hash); }
    var id = identifier ? String(identifier) : "";
    identity = { identifier: id, hash: id && hash ? String(hash) : "" };
    if (!claim(id)) { return; }
    seen = {};
    lastId = 0;
    while (log.firstChild) { log.removeChild(log.firstChild); }
    pre.style.display = "";
    if (socket) { // reconnect at once, as the new visitor
      var old = socket;
      old.onclose = null;
      old.onmessage = null;
      old.close();
      socket = null;
      connect();
    }
  };
  function startPolling() {
    if (!pollTimer) { pollTimer = setInterval(poll, 3000); }
  }
  function connect() {
    if (!("WebSocket" in window)) { startPolling(); return; }
    socket = new WebSocket(api.replace(/^http/, "ws") + "/ws?visitor_id=" + visitor);
    socket.onmessage = function (e) {
      var f;
      try { f = JSON.parse(e.data); } catch (x) { return; }
      if (f.type === "error") {
        err.textContent = f.error && f.error.message || "Something went wrong.";
        if (!input.value && lastSent) { input.value = lastSent; } // keep what they typed
        return;
      }
      err.textContent = "";
      render(f.message);
    };
    socket.onclose = function () { socket = null; startPolling(); setTimeout(connect, 5000); };
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    var msg = { text: text, page_url: location.href,
      client_message_id: "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8) };
    if (identity.identifier) {
      msg.identifier = identity.identifier;
      msg.identifier_hash = identity.hash;
    }
    Object.keys(preFields).forEach(function (f) {
      var v = preFields[f].value.trim();
      if (v) { msg[f] = v; }
    });
    lastSent = text;
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify(msg));
      return;
    }
    msg.visitor_id = visitor;
    fetch(api + "/messages", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(msg) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (!res.ok) {
          err.textContent = res.body.error && res.body.error.message || "Not sent.";
          if (!input.value) { input.value = text; } // keep what they typed
          return;
        }
        err.textContent = "";
        render(res.body.message);
      })
      .catch(function () { err.textContent = "Not sent: you seem to be offline."; });
  });

  fetch(api + "/config")
    .then(function (r) { return r.ok ? r.json() : { collect: [] }; })
    .then(function (cfg) { buildPreChat(cfg.collect); })
    .catch(function () { /* no form */ })
    .then(poll)
    .then(connect);
})();
