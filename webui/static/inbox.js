// Inbox: keeps the conversation list and an open conversation current
// from the server's event stream (/inbox/events), swapping in rows and
// messages the server renders, and sends staff replies without a reload.
// Events carry ids only; every text shown comes escaped from the server.
(() => {
  "use strict";
  const listPage = document.getElementById("inbox-list-wrap");
  const convPage = document.getElementById("inbox-conv");
  if (!listPage && !convPage) return;

  // parse turns a server-rendered fragment into nodes.
  function parse(html) {
    const t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  // follow listens to the event stream. onSync runs on every (re)connect,
  // for what may have happened while not connected, and on resync.
  function follow(url, onEvent, onSync) {
    const status = document.getElementById("inbox-live");
    const show = (text, off) => {
      if (!status) return;
      status.hidden = false;
      status.textContent = text;
      status.classList.toggle("is-off", !!off);
    };
    const es = new EventSource(url);
    es.addEventListener("open", () => {
      document.documentElement.dataset.inboxLive = "1";
      show("Live: new conversations and messages appear as they arrive.");
      onSync();
    });
    es.addEventListener("error", () => {
      delete document.documentElement.dataset.inboxLive;
      if (es.readyState !== EventSource.CLOSED) show("Reconnecting…", true);
    });
    es.addEventListener("message", (m) => {
      let ev;
      try { ev = JSON.parse(m.data); } catch { return; }
      if (ev.type === "ended") {
        es.close();
        show("Not live: your session ended or moved to another project. Reload the page.", true);
        return;
      }
      if (ev.type === "resync") onSync();
      else onEvent(ev);
    });
    window.addEventListener("pagehide", () => es.close());
  }

  if (listPage) initList();
  if (convPage) initConversation();

  function initList() {
    if (!listPage.hasAttribute("data-live")) return; // an older page stays as it is
    const mode = listPage.dataset.mode || "";
    const query = mode ? "?mode=" + encodeURIComponent(mode) : "";
    const fresh = new Set(); // rows changed since the page loaded
    const timers = new Map();

    const mark = (li) => {
      if (!li || li.classList.contains("is-new")) return;
      li.classList.add("is-new");
      const badge = document.createElement("span");
      badge.className = "inbox-new";
      badge.textContent = "New";
      li.querySelector(".inbox-top")?.append(badge);
    };

    // reload swaps in the whole list (with its count): for conversations
    // opened and closed, and whatever the stream may have missed.
    const reload = SB.debounce(async () => {
      const r = await SB.fragment("/inbox" + query);
      if (!r.ok) return;
      const wrap = parse(r.html).getElementById("inbox-list-wrap");
      const cur = document.getElementById("inbox-list-wrap");
      if (!wrap || !cur) return;
      cur.replaceWith(wrap);
      fresh.forEach((id) => mark(document.getElementById("conv-" + id)));
    }, 150);

    // place puts a row where its latest activity sorts it (newest first).
    const place = (li) => {
      const ul = document.getElementById("inbox-list");
      const at = Number(li.dataset.at), id = Number(li.dataset.id);
      for (const other of ul.children) {
        const oat = Number(other.dataset.at), oid = Number(other.dataset.id);
        if (at > oat || (at === oat && id > oid)) {
          ul.insertBefore(li, other);
          return;
        }
      }
      ul.append(li);
    };

    const refreshRow = async (id) => {
      if (!document.getElementById("conv-" + id)) {
        reload(); // not listed yet: the list, count and all
        return;
      }
      const r = await SB.fragment(`/inbox/${id}/row${query}`);
      if (r.status === 204) {
        reload(); // closed, or out of this view
        return;
      }
      if (!r.ok) return;
      const li = parse(r.html).querySelector("li.inbox-row");
      if (!li) return;
      document.getElementById("conv-" + id)?.remove();
      place(li);
      fresh.add(String(id));
      mark(li);
    };

    follow("/inbox/events", (ev) => {
      if (ev.type === "message" || ev.type === "assigned") {
        if (ev.type === "message") fresh.add(String(ev.conversation_id));
        // A message and its delivery status arrive close together: one fetch.
        clearTimeout(timers.get(ev.conversation_id));
        timers.set(ev.conversation_id, setTimeout(() => {
          timers.delete(ev.conversation_id);
          refreshRow(ev.conversation_id);
        }, 100));
      } else {
        reload();
      }
    }, reload);
  }

  function initConversation() {
    const id = convPage.dataset.conversation;
    const ol = document.getElementById("inbox-transcript");
    const lastId = () => Number(ol.lastElementChild?.dataset.id || 0);
    const nearBottom = () => ol.scrollHeight - ol.scrollTop - ol.clientHeight < 80;
    const toBottom = () => { ol.scrollTop = ol.scrollHeight; };
    toBottom();

    // put adds new messages and replaces ones shown (a delivery status
    // that changed), keeping the view at the bottom if it was there.
    const put = (html) => {
      const stick = nearBottom();
      for (const li of parse(html).querySelectorAll("li.msg")) {
        const old = document.getElementById(li.id);
        if (old) old.replaceWith(li);
        else ol.append(li);
      }
      if (ol.children.length) document.getElementById("inbox-no-messages")?.remove();
      if (stick) toBottom();
    };

    // Fetches run one after another, so messages append in order.
    let queue = Promise.resolve();
    const fetchMessages = (after, limit) => {
      queue = queue.then(async () => {
        const a = after === undefined ? lastId() : after;
        const r = await SB.fragment(`/inbox/${id}/messages?after=${a}${limit ? "&limit=" + limit : ""}`);
        if (r.ok) put(r.html);
      }).catch(() => {});
    };

    const refreshHead = async () => {
      const r = await SB.fragment(`/inbox/${id}/head`);
      if (!r.ok) return;
      const head = document.getElementById("inbox-head");
      head.replaceChildren(parse(r.html));
      if (!head.querySelector(".inbox-actions")) {
        // Closed elsewhere: no more replies here.
        const form = document.getElementById("reply");
        if (form) {
          const note = document.createElement("p");
          note.className = "muted";
          note.textContent = "This conversation was closed. A new message from the contact opens a new one.";
          form.replaceWith(note);
          document.getElementById("inbox-dnc")?.remove();
        }
      }
    };

    follow(`/inbox/events?conversation=${encodeURIComponent(id)}`, (ev) => {
      if (ev.type === "message") {
        if (ev.message_id > lastId()) fetchMessages();
        else if (document.getElementById("msg-" + ev.message_id)) fetchMessages(ev.message_id - 1, 1);
      } else if (ev.type === "assigned" || ev.type === "closed") {
        refreshHead();
      }
    }, () => { fetchMessages(); refreshHead(); });

    const form = document.getElementById("reply");
    if (!form) return;
    const text = form.querySelector("textarea");
    const button = form.querySelector('button[type="submit"]');
    const errorBox = document.getElementById("reply-error");
    const showError = (node) => {
      errorBox.replaceChildren(node);
      text.setAttribute("aria-invalid", "true");
    };
    text.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!text.value.trim()) {
        const p = document.createElement("p");
        p.className = "field-error";
        p.setAttribute("role", "alert");
        p.textContent = "Write a reply first.";
        showError(p);
        return;
      }
      button.disabled = true;
      try {
        const r = await SB.fragment(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)) });
        if (!r.ok) {
          const p = document.createElement("p");
          p.className = "field-error";
          p.setAttribute("role", "alert");
          p.textContent = r.html || `The reply was not sent (${r.status}).`;
          showError(p);
          return;
        }
        const got = parse(r.html);
        const err = got.querySelector("[data-reply-error]");
        if (err) {
          showError(err);
          return;
        }
        errorBox.replaceChildren();
        text.removeAttribute("aria-invalid");
        text.value = "";
        put(r.html);
        toBottom();
      } catch {
        SB.toast("The reply could not be sent: check your connection and try again.");
      } finally {
        button.disabled = false;
        text.focus();
      }
    });
  }
})();
