// Settings pages: copy buttons, confirmation dialogs, generated secrets,
// the bot's email question, and a WhatsApp channel's live pairing state.
// Values from the server are only ever set as text or attributes.
(() => {
  "use strict";

  // Copy the text of the element a [data-copy] button names.
  async function copy(button) {
    const target = document.getElementById(button.dataset.copy);
    if (!target) return;
    const text = ("value" in target ? target.value : target.textContent).trim();
    let done = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        done = true;
      }
    } catch { /* not allowed here: select it instead */ }
    if (!done) {
      const range = document.createRange();
      range.selectNodeContents(target);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try { done = document.execCommand("copy"); } catch { done = false; }
    }
    button.dataset.copied = done ? "yes" : "no";
    window.SB?.toast(done ? "Copied." : "Selected: press Ctrl+C (⌘C) to copy.");
  }

  // A random value for a secret the user may choose (a verify token, a
  // webhook secret token), shown so it can be pasted into the provider too.
  function generate(button) {
    const input = document.getElementById(button.dataset.generate);
    if (!input) return;
    const bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    input.value = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    input.type = "text";
    input.focus();
    input.select();
  }

  document.addEventListener("click", (ev) => {
    const el = ev.target.closest("button");
    if (!el) return;
    if (el.dataset.copy) {
      copy(el);
    } else if (el.dataset.generate) {
      generate(el);
    } else if (el.dataset.openDialog) {
      document.getElementById(el.dataset.openDialog)?.showModal();
    } else if ("closeDialog" in el.dataset) {
      el.closest("dialog")?.close();
    }
  });

  // The bot's "after N messages": typing a number picks that choice.
  const after = document.getElementById("bot-email-after");
  after?.addEventListener("input", () => {
    const radio = document.querySelector("input[data-email-after]");
    if (radio) radio.checked = true;
  });

  // WhatsApp pairing: start it, then keep the state and the QR code
  // current while the page is open.
  const box = document.querySelector("[data-pairing]");
  if (!box) return;
  const id = box.dataset.pairing;
  const stateEl = box.querySelector("[data-pairing-state]");
  const qrBox = box.querySelector("[data-pairing-qr-box]");
  const qr = box.querySelector("[data-pairing-qr]");
  const codeBox = box.querySelector("[data-pairing-code-box]");
  const code = box.querySelector("[data-pairing-code]");
  const error = box.querySelector("[data-pairing-error]");
  const form = box.querySelector("[data-pairing-start]");
  const labels = {
    unpaired: "not linked", pairing: "waiting for the phone to scan or enter the code", connected: "connected",
    offline: "linked, connection down (reconnecting)", logged_out: "logged out by WhatsApp: link the phone again",
  };
  let timer = null;

  function show(view) {
    if (!stateEl) return;
    stateEl.dataset.state = view.state;
    stateEl.textContent = labels[view.state] || view.state;
    const pairing = view.state === "pairing";
    if (view.qr_png && pairing) {
      if (qr.getAttribute("src") !== view.qr_png) qr.setAttribute("src", view.qr_png);
      qrBox.hidden = false;
    } else if (!pairing) {
      qrBox.hidden = true;
      codeBox.hidden = true;
    }
    if (form) form.hidden = view.state === "connected" || view.state === "offline" || pairing;
  }

  async function poll() {
    const res = await window.SB.api("GET", `/channels/${encodeURIComponent(id)}/pairing`);
    if (res.ok) {
      error.hidden = true;
      show(res.body);
    }
    const wait = document.hidden ? 10000 : (stateEl?.dataset.state === "pairing" ? 2000 : 5000);
    timer = setTimeout(poll, wait);
  }

  form?.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    error.hidden = true;
    const phone = form.elements.phone.value.trim();
    const res = await window.SB.api("POST", `/channels/${encodeURIComponent(id)}/pairing`, phone ? { phone } : {});
    button.disabled = false;
    if (!res.ok) {
      error.textContent = window.SB.errorText(res);
      error.hidden = false;
      return;
    }
    if (res.body.pairing_code) {
      code.textContent = res.body.pairing_code;
      codeBox.hidden = false;
    }
    show(res.body);
    clearTimeout(timer);
    timer = setTimeout(poll, 2000);
  });

  if (stateEl) {
    show({ state: stateEl.dataset.state, qr_png: qr?.getAttribute("src") });
    timer = setTimeout(poll, 1000);
  }
})();
