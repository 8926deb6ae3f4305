// Contact profile and merge page: inline edits, tags, notes and suggestions
// changed in place, transcripts opened in place, the delete and merge
// dialogs, and the merge preview. Every piece of HTML put into the page is
// rendered by the server (escaped there); text from the JSON API goes in
// with textContent only.
(() => {
  "use strict";
  document.documentElement.classList.add("js");

  // fromHTML parses a server-rendered fragment without running anything in
  // it (a template's content is inert).
  function fromHTML(html) {
    const t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  async function postForm(form, submitter) {
    const r = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form, submitter)),
      credentials: "same-origin",
      headers: { "X-Fragment": "1", "X-CSRF-Token": SB.csrf() },
    });
    return {
      ok: r.ok, status: r.status, html: await r.text(),
      refresh: r.headers.get("X-Profile-Refresh") || "", notice: r.headers.get("X-Profile-Notice") || "",
    };
  }

  // swapCard replaces a card with its new rendering and puts the focus on
  // the field the server complained about, else back where the user was:
  // the control they used, or the Edit button of the field they saved.
  function swapCard(old, html, focusID, edited) {
    const card = fromHTML(html).querySelector("[data-card]");
    if (!old || !card) return null;
    old.replaceWith(card);
    let target = card.querySelector("[aria-invalid=true], [data-focus]");
    if (!target && edited) target = card.querySelector(`[data-field="${CSS.escape(edited)}"] .pf-edit`);
    if (!target && focusID) target = card.querySelector("#" + CSS.escape(focusID));
    if (!target || target.disabled) target = card.querySelector("h2");
    if (target) {
      if (target.tagName === "H2" || target.tagName === "P") target.tabIndex = -1;
      target.focus();
    }
    return card;
  }

  async function refreshCard(name) {
    const old = document.querySelector(`[data-card="${CSS.escape(name)}"]`);
    const head = document.querySelector(".pf-head[data-contact]");
    if (!old || !head) return;
    const res = await SB.fragment(`/contacts/${head.dataset.contact}/cards/${name}`);
    if (res.ok) {
      const card = fromHTML(res.html).querySelector("[data-card]");
      if (card) old.replaceWith(card);
    }
  }

  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (!form.matches("form[data-swap]")) return;
    ev.preventDefault();
    const card = form.closest("[data-card]");
    const focusID = document.activeElement?.id || "";
    const edited = form.querySelector(".pf-row.is-editing")?.dataset.field || "";
    const buttons = [...form.querySelectorAll("button")];
    buttons.forEach((b) => { b.disabled = true; });
    let res;
    try {
      res = await postForm(form, ev.submitter);
    } catch {
      buttons.forEach((b) => { b.disabled = false; });
      SB.toast("The server could not be reached. Try again.");
      return;
    }
    if (!res.ok) {
      buttons.forEach((b) => { b.disabled = false; });
      SB.toast(res.html || `Request failed (${res.status})`);
      return;
    }
    swapCard(card, res.html, focusID, edited);
    if (res.notice) SB.toast(res.notice);
    for (const name of res.refresh.split(/\s+/).filter(Boolean)) refreshCard(name);
  });

  function openRow(row) {
    if (!row) return null;
    row.classList.add("is-editing");
    const fs = row.querySelector("fieldset.pf-control");
    if (fs) fs.disabled = false;
    row.closest("form")?.classList.add("has-editing");
    return row.querySelector("input:not([type=hidden]), textarea, select");
  }

  async function toggleTranscript(link) {
    const slot = document.getElementById(link.getAttribute("aria-controls"));
    if (!slot) return;
    const label = link.firstChild;
    if (link.getAttribute("aria-expanded") === "true") {
      slot.hidden = true;
      link.setAttribute("aria-expanded", "false");
      label.textContent = "Show transcript";
      return;
    }
    if (!slot.dataset.loaded) {
      const res = await SB.fragment(link.href);
      if (!res.ok) {
        SB.toast(res.html || "The transcript could not be loaded.");
        return;
      }
      slot.replaceChildren(fromHTML(res.html));
      slot.dataset.loaded = "1";
    }
    slot.hidden = false;
    link.setAttribute("aria-expanded", "true");
    label.textContent = "Hide transcript";
  }

  document.addEventListener("click", (ev) => {
    const t = ev.target;
    const edit = t.closest(".pf-edit");
    if (edit) {
      openRow(edit.closest(".pf-row"))?.focus();
      return;
    }
    const all = t.closest(".pf-edit-all");
    if (all) {
      const rows = all.closest("[data-card]").querySelectorAll(".pf-row");
      const first = [...rows].map(openRow)[0];
      first?.focus();
      return;
    }
    const cancel = t.closest(".pf-cancel");
    if (cancel) {
      const card = cancel.closest("[data-card]");
      const edited = card.querySelector(".pf-row.is-editing")?.dataset.field;
      refreshCard(card.dataset.card).then(() => {
        // Back to the dropped field's Edit, else to the card's heading
        // (focusable only by script).
        const now = document.querySelector(`[data-card="${CSS.escape(card.dataset.card)}"]`);
        let target = edited && now?.querySelector(`[data-field="${CSS.escape(edited)}"] .pf-edit`);
        if (!target) {
          target = now?.querySelector("h2");
          if (target) target.tabIndex = -1;
        }
        target?.focus();
      });
      return;
    }
    const opener = t.closest("[data-dialog]");
    if (opener) {
      const dlg = document.getElementById(opener.dataset.dialog);
      if (dlg && typeof dlg.showModal === "function") {
        ev.preventDefault();
        dlg.showModal();
        dlg.querySelector("input[type=search], input[type=checkbox]")?.focus();
      }
      return;
    }
    const close = t.closest(".pf-dialog-close");
    if (close && close.closest("dialog")) {
      ev.preventDefault();
      close.closest("dialog").close();
      return;
    }
    const open = t.closest("a.pf-open");
    if (open) {
      ev.preventDefault();
      toggleTranscript(open);
    }
  });

  // Escape in an open row cancels the edit, as the Cancel button does.
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    const row = ev.target.closest?.(".pf-row.is-editing");
    if (row) row.closest("form").querySelector(".pf-cancel")?.click();
  });

  // "Merge with…": find the other contact through the list API.
  const q = document.getElementById("pf-merge-q");
  if (q) {
    const me = q.dataset.contact;
    const list = document.getElementById("pf-merge-results");
    const status = document.getElementById("pf-merge-status");
    let seq = 0;
    q.maxLength = 200;
    q.addEventListener("input", SB.debounce(async () => {
      const term = q.value.trim();
      const mine = ++seq;
      if (!term) {
        list.replaceChildren();
        status.textContent = "";
        return;
      }
      const res = await SB.api("GET", "/contacts?per_page=8&q=" + encodeURIComponent(term));
      if (mine !== seq) return;
      list.replaceChildren();
      if (!res.ok) {
        status.textContent = SB.errorText(res);
        return;
      }
      const found = res.body.contacts.filter((c) => String(c.id) !== me);
      status.textContent = found.length ? `${found.length} found: pick one to review the merge.` : "No other contact matches.";
      for (const c of found) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = `/contacts/merge?ids=${encodeURIComponent(me)},${encodeURIComponent(c.id)}`;
        a.textContent = c.name || `Contact #${c.id}`;
        const info = document.createElement("span");
        info.className = "muted";
        info.textContent = [`#${c.id}`, c.email, c.phone].filter(Boolean).join(" · ");
        li.append(a, info);
        list.append(li);
      }
    }, 250));
  }

  // The merge page: the preview follows the primary and the picks.
  const merge = document.querySelector("form[data-merge]");
  if (merge) {
    let seq = 0;
    merge.addEventListener("change", async (ev) => {
      const primaryChanged = ev.target.name === "primary";
      const params = new URLSearchParams();
      for (const [k, v] of new FormData(merge)) {
        if (k === "_csrf" || (primaryChanged && k.startsWith("pick."))) continue;
        params.append(k, v);
      }
      const mine = ++seq;
      const res = await SB.fragment("/contacts/merge/preview?" + params);
      if (mine !== seq) return;
      if (!res.ok) {
        SB.toast(res.html || "The preview could not be updated.");
        return;
      }
      const frag = fromHTML(res.html);
      for (const id of primaryChanged ? ["merge-fields", "merge-preview"] : ["merge-preview"]) {
        const fresh = frag.getElementById(id);
        const old = document.getElementById(id);
        if (fresh && old) old.replaceWith(fresh);
      }
    });
  }
})();
