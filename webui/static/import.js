// Import wizard: busy buttons, the mapping step's change marks, and the
// import page's progress: it polls the import's status from the JSON API,
// moves the bar and the counts (text only), and once the import is over
// swaps in the summary the server renders.
(() => {
  "use strict";
  const $ = (sel, root = document) => root.querySelector(sel);

  // A submitted form's button says it is busy (uploads can take a while)
  // and cannot be pressed twice.
  document.addEventListener("submit", (ev) => {
    const btn = ev.submitter;
    if (!btn || !btn.dataset.busyText || ev.defaultPrevented) return;
    setTimeout(() => { btn.disabled = true; btn.textContent = btn.dataset.busyText; }, 0);
  });

  // Mapping step: mark a column whose field was changed.
  document.addEventListener("change", (ev) => {
    const sel = ev.target;
    if (!(sel instanceof HTMLSelectElement) || !sel.closest(".import-mapping")) return;
    const row = sel.closest("tr");
    row.classList.add("changed");
    const note = $(".import-note", row);
    if (note) note.textContent = "changed";
  });

  // Import page: cancel through the API and let the polling show the end.
  document.addEventListener("submit", async (ev) => {
    const form = ev.target.closest("form[data-import-cancel]");
    const card = document.getElementById("import-status");
    if (!form || !card) return;
    ev.preventDefault();
    const btn = $("button", form);
    btn.disabled = true;
    btn.textContent = "Cancelling…";
    const res = await SB.api("POST", `/imports/${card.dataset.importId}/cancel`);
    if (!res.ok && res.status !== 409) {
      SB.toast(SB.errorText(res));
      btn.disabled = false;
      btn.textContent = "Cancel import";
      return;
    }
    const status = $("[data-import-status]", card);
    if (status && res.ok) status.textContent = "Cancelling";
  });

  function setCount(card, key, n) {
    const el = $(`[data-count="${key}"]`, card);
    if (el) el.textContent = Number(n || 0).toLocaleString("en-US");
  }

  function showProgress(card, imp) {
    const pct = Math.max(0, Math.min(99, Math.round((imp.progress || 0) * 100)));
    const bar = $("[data-import-progress]", card);
    if (bar) {
      bar.setAttribute("aria-valuenow", String(pct));
      bar.firstElementChild.style.width = pct + "%";
    }
    const label = $("[data-import-percent]", card);
    if (label) label.textContent = pct + "%";
    const c = imp.counts || {};
    setCount(card, "rows", c.rows);
    for (const key of ["created", "updated", "unchanged", "skipped", "failed"]) setCount(card, key, c[key]);
  }

  // finish replaces the running card by the summary and moves the steps on.
  async function finish(card) {
    const bar = $("[data-import-progress]", card);
    if (bar) {
      bar.setAttribute("aria-valuenow", "100");
      bar.firstElementChild.style.width = "100%";
    }
    const res = await SB.fragment(`/imports/${card.dataset.importId}`);
    if (!res.ok) {
      window.location.reload();
      return;
    }
    const tpl = document.createElement("template");
    tpl.innerHTML = res.html.trim();
    const next = tpl.content.querySelector("#import-status");
    if (!next) return;
    card.replaceWith(next);
    const steps = document.querySelectorAll(".import-steps li");
    if (steps.length === 5) {
      steps[3].removeAttribute("aria-current");
      steps[3].classList.add("done");
      steps[4].setAttribute("aria-current", "step");
    }
    next.focus();
  }

  async function poll() {
    const card = document.getElementById("import-status");
    if (!card || card.dataset.status !== "running") return;
    let res;
    try {
      res = await SB.api("GET", `/imports/${card.dataset.importId}`);
    } catch {
      setTimeout(poll, 2000); // the server may be restarting
      return;
    }
    if (!res.ok) {
      setTimeout(poll, 2000);
      return;
    }
    if (res.body.status === "running") {
      showProgress(card, res.body);
      setTimeout(poll, 500);
      return;
    }
    card.dataset.status = res.body.status;
    await finish(card);
  }

  if (document.getElementById("import-status")) setTimeout(poll, 300);
})();
