// Contacts list and exports pages: search as you type, filters without a
// reload, bulk actions over a selection or a whole filter, exports with
// progress. The server renders every piece of HTML; this script only swaps
// in its fragments and sets text, never markup built from data.
(() => {
  "use strict";
  const SB = window.SB;
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const fmt = (n) => Number(n).toLocaleString("en-US");
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // Elements that need the script stay hidden until it runs.
  function reveal(root = document) {
    for (const el of $$("[data-needs-js]", root)) el.hidden = false;
  }

  // setProgress fills a .progress bar (role=progressbar) to a fraction.
  function setProgress(bar, fraction) {
    const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
    bar.setAttribute("aria-valuenow", String(pct));
    bar.firstElementChild.style.width = pct + "%";
  }

  function showError(form, message) {
    const p = $("[data-error]", form);
    if (!p) return;
    p.textContent = message || "";
    p.hidden = !message;
  }

  // pollJob polls GET path until status is done or failed, calling
  // onProgress with each answer's body; it resolves to the last body.
  async function poll(path, onProgress) {
    for (let wait = 300; ; wait = Math.min(wait * 1.3, 1500)) {
      const res = await SB.api("GET", path);
      if (!res.ok) throw new Error(SB.errorText(res));
      onProgress(res.body);
      if (res.body.status !== "queued" && res.body.status !== "running") return res.body;
      await sleep(wait);
    }
  }

  reveal();
  initList();
  initExportsPage();

  function initList() {
    const form = $("#contact-filters");
    const results = $("#contacts-results");
    if (!form || !results) return;
    const search = $("#contacts-q", form);
    const table = () => $(".contacts-table", results);

    // --- Loading the results -------------------------------------------
    // formQuery is the filter form as a query string, empty fields and
    // defaults left out (the server reads the same parameters either way).
    function formQuery() {
      const p = new URLSearchParams();
      for (const el of form.elements) {
        if (!el.name || el.disabled || ((el.type === "checkbox" || el.type === "radio") && !el.checked)) continue;
        const v = el.value.trim();
        if (v !== "" && v !== el.dataset.default) p.append(el.name, v);
      }
      return p.toString();
    }

    let seq = 0;
    let inflight = null;
    async function load(url) {
      const mine = ++seq;
      inflight?.abort();
      inflight = new AbortController();
      results.setAttribute("aria-busy", "true");
      let res;
      try {
        res = await SB.fragment(url, { signal: inflight.signal });
      } catch (err) {
        if (err.name === "AbortError") return;
        results.removeAttribute("aria-busy");
        SB.toast("Could not load the contacts: " + err.message);
        return;
      }
      if (mine !== seq) return;
      results.removeAttribute("aria-busy");
      if (!res.ok) {
        SB.toast("Could not load the contacts (" + res.status + ")");
        return;
      }
      results.innerHTML = res.html; // server-rendered, escaped HTML
      history.replaceState(null, "", url);
      syncForm(new URL(url, location.href).searchParams);
      selection.reset();
      completeTotal();
    }

    // A new view's first page can come before its total, which the server
    // goes on counting: ask for it (X-Count: wait) and put the count and
    // the pager in place, leaving the rows and any selection as they are.
    let totalSeq = 0;
    async function completeTotal() {
      const t = table();
      if (!t || t.dataset.totalPending !== "true") return;
      const mine = ++totalSeq;
      const url = location.pathname + location.search;
      let res;
      try {
        res = await SB.fragment(url, { headers: { "X-Count": "wait" } });
      } catch {
        return; // the count stays "counting"; a reload asks again
      }
      if (mine !== totalSeq || !res.ok || location.pathname + location.search !== url || table() !== t) return;
      const fresh = document.createElement("template");
      fresh.innerHTML = res.html; // server-rendered, escaped HTML
      const freshTable = $(".contacts-table", fresh.content);
      if (!freshTable || freshTable.dataset.totalPending === "true") return;
      t.dataset.total = freshTable.dataset.total;
      t.removeAttribute("data-total-pending");
      const count = $("#contacts-count", results);
      const freshCount = $("#contacts-count", fresh.content);
      if (count && freshCount) count.textContent = freshCount.textContent;
      const pager = $("nav.pager", results);
      const freshPager = $("nav.pager", fresh.content);
      if (pager && freshPager) pager.replaceWith(freshPager);
      else if (freshPager) $(".table-wrap", results)?.after(freshPager);
      else pager?.remove();
      render();
    }

    const reload = () => load(location.pathname + location.search);
    const loadForm = () => {
      const q = formQuery();
      return load("/contacts" + (q ? "?" + q : ""));
    };
    const loadSoon = SB.debounce(loadForm, 250);

    // The form's sort and page size follow a header or pager link.
    function syncForm(params) {
      const sort = $("#f-sort", form);
      if (sort) sort.value = params.get("sort") || "-created_at";
      const per = $("#f-per-page", form);
      if (per && params.get("per_page")) per.value = params.get("per_page");
    }

    search.addEventListener("input", loadSoon);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      loadForm();
    });
    form.addEventListener("change", (ev) => {
      if (ev.target !== search) loadSoon();
    });
    results.addEventListener("click", (ev) => {
      const a = ev.target.closest("a[data-sort-link], a[data-page-link]");
      if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      const sortLabel = a.hasAttribute("data-sort-link") ? a.textContent : null;
      load(a.getAttribute("href")).then(() => {
        // Keep the keyboard where it was: on the same header, or at the
        // top of the new page of results.
        if (sortLabel) {
          $$("a[data-sort-link]", results).find((x) => x.textContent === sortLabel)?.focus();
        } else {
          results.scrollIntoView({ block: "start" });
          $("#contacts-count", results)?.focus();
        }
      });
    });

    // --- Saved filters --------------------------------------------------
    const saved = $("#saved-filters");
    const saveForm = $("#save-filter");
    async function reloadSaved() {
      const res = await SB.fragment("/contacts/_saved");
      if (res.ok) {
        saved.innerHTML = res.html;
        reveal(saved);
      }
    }
    saveForm?.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const name = saveForm.elements.name.value.trim();
      const res = await SB.api("POST", "/saved-filters", { name, query: table()?.dataset.query || "" });
      if (!res.ok) {
        showError(saveForm, SB.errorText(res));
        return;
      }
      showError(saveForm, "");
      saveForm.reset();
      SB.toast("Saved the view as “" + name + "”.");
      reloadSaved();
    });
    saved?.addEventListener("click", async (ev) => {
      const btn = ev.target.closest("[data-delete-filter]");
      if (!btn) return;
      const res = await SB.api("DELETE", "/saved-filters/" + encodeURIComponent(btn.dataset.deleteFilter));
      if (!res.ok && res.status !== 404) {
        SB.toast(SB.errorText(res));
        return;
      }
      SB.toast("Deleted the saved filter.");
      reloadSaved();
    });

    // --- Selection --------------------------------------------------------
    // Either some ids, or every contact the filter matches (mode "query").
    const bar = $("#bulk-bar");
    const countText = $("#bulk-count");
    const allBtn = $("[data-bulk-all]", bar);
    const selection = {
      mode: "ids",
      ids: new Set(),
      query: "",
      total: 0,
      reset() {
        this.mode = "ids";
        this.ids.clear();
        render();
      },
      size() { return this.mode === "query" ? this.total : this.ids.size; },
      // body is the selection as the bulk API takes it.
      body() { return this.mode === "query" ? { query: this.query } : { ids: Array.from(this.ids) }; },
      describe() {
        const n = this.size();
        return this.mode === "query" ? `all ${fmt(n)} contacts matching the filter` : `${fmt(n)} selected contact${n === 1 ? "" : "s"}`;
      },
    };

    function render() {
      const t = table();
      const boxes = $$("[data-select-row]", results);
      for (const b of boxes) {
        b.checked = selection.mode === "query" || selection.ids.has(Number(b.value));
        b.closest("tr").classList.toggle("selected", b.checked);
      }
      const all = $("[data-select-page]", results);
      const pageAll = boxes.length > 0 && boxes.every((b) => b.checked);
      if (all) {
        all.checked = pageAll;
        all.indeterminate = !pageAll && boxes.some((b) => b.checked);
      }
      const n = selection.size();
      bar.hidden = n === 0;
      if (n === 0) return;
      const total = Number(t?.dataset.total || 0);
      if (selection.mode === "query") {
        countText.textContent = `All ${fmt(n)} matching contacts are selected.`;
        allBtn.hidden = true;
      } else {
        countText.textContent = `${fmt(n)} selected.`;
        const more = pageAll && total > boxes.length && t?.dataset.cursor !== "true";
        allBtn.hidden = !more;
        if (more) allBtn.textContent = `Select all ${fmt(total)} matching`;
      }
    }

    results.addEventListener("change", (ev) => {
      const t = ev.target;
      if (t.matches("[data-select-page]")) {
        if (selection.mode === "query" && !t.checked) selection.mode = "ids";
        for (const b of $$("[data-select-row]", results)) {
          if (t.checked) selection.ids.add(Number(b.value));
          else selection.ids.delete(Number(b.value));
        }
        render();
      } else if (t.matches("[data-select-row]")) {
        if (selection.mode === "query") {
          // Leaving "all matching": keep the rest of this page.
          selection.mode = "ids";
          selection.ids = new Set($$("[data-select-row]", results).map((b) => Number(b.value)));
        }
        if (t.checked) selection.ids.add(Number(t.value));
        else selection.ids.delete(Number(t.value));
        render();
      }
    });
    allBtn.addEventListener("click", () => {
      const t = table();
      selection.mode = "query";
      selection.query = t.dataset.query;
      selection.total = Number(t.dataset.total);
      render();
    });
    $("[data-bulk-clear]", bar).addEventListener("click", () => {
      selection.reset();
      // The button hid with the bar: keep the keyboard on the results.
      $("#contacts-count", results)?.focus();
    });

    // --- Bulk actions -------------------------------------------------------
    const dialogs = {
      add_tags: $("#tags-dialog"), remove_tags: $("#tags-dialog"), set: $("#set-dialog"), delete: $("#delete-dialog"),
    };
    let action = "";
    for (const d of $$("dialog")) {
      d.addEventListener("click", (ev) => {
        if (ev.target.closest("[data-close]")) d.close();
      });
    }

    bar.addEventListener("click", (ev) => {
      const btn = ev.target.closest("[data-bulk]");
      if (!btn) return;
      action = btn.dataset.bulk;
      if (action === "export") {
        const query = selection.mode === "query" ? selection.query : "ids=" + Array.from(selection.ids).join(",");
        if (query.length > 4000) {
          // An export keeps its query with it, up to 4,000 characters.
          SB.toast("Too many single contacts to export by id: select all matching instead, or narrow the filter.");
          return;
        }
        openExport(query, selection.describe());
        return;
      }
      const d = dialogs[action];
      if (!d) return;
      const f = $("form", d);
      showError(f, "");
      for (const p of $$("[data-bulk-target]", d)) {
        p.textContent = action === "delete" ? `Delete ${selection.describe()}?` : `Applies to ${selection.describe()}.`;
      }
      if (d.id === "tags-dialog") {
        $("h2", d).textContent = action === "add_tags" ? "Add tags" : "Remove tags";
        $("button[type=submit]", d).textContent = action === "add_tags" ? "Add tags" : "Remove tags";
      }
      if (action === "delete") {
        $("button[type=submit]", d).textContent = `Delete ${fmt(selection.size())}`;
      }
      syncSetField();
      d.showModal();
    });

    // The set dialog shows the value control of its field: a text box, or
    // yes/no for do-not-contact. Kept in step after a reset too, or Apply
    // on "Company" could send the hidden, empty text box and clear it.
    const setField = $("#bulk-field");
    function syncSetField() {
      if (!setField) return;
      const bool = setField.value === "do_not_contact";
      $("[data-value-text]").hidden = bool;
      $("[data-value-bool]").hidden = !bool;
    }
    setField?.addEventListener("change", syncSetField);

    for (const f of $$("form[data-bulk-form]")) {
      f.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const body = { ...selection.body(), action };
        if (action === "add_tags" || action === "remove_tags") {
          body.tags = f.elements.tags.value.split(",").map((s) => s.trim()).filter(Boolean);
        } else if (action === "set") {
          if (f.elements.field.value === "do_not_contact") {
            body.action = "set_do_not_contact";
            body.do_not_contact = f.elements.dnc.value === "true";
          } else {
            body.set = { [f.elements.field.value]: f.elements.value.value.trim() };
          }
        } else if (action === "delete") {
          body.keep_history = f.elements.keep_history.value === "true";
        }
        const submit = $("button[type=submit]", f);
        submit.disabled = true;
        try {
          const res = await SB.api("POST", "/contacts/bulk", body);
          if (!res.ok) {
            showError(f, SB.errorText(res));
            return;
          }
          f.closest("dialog").close();
          f.reset();
          syncSetField();
          await finishBulk(res.body, body.action);
        } finally {
          submit.disabled = false;
        }
      });
    }

    const verbs = { add_tags: "Tagged", remove_tags: "Untagged", set: "Updated", set_do_not_contact: "Updated", delete: "Deleted" };
    // finishBulk follows a bulk action to its end: at once for small sets,
    // through its job's progress for large ones, then reloads the table.
    async function finishBulk(result, act) {
      let done = result.affected;
      let failed = result.failed;
      if (result.job_id) {
        const box = $("#bulk-progress");
        const bar = $(".progress", box);
        const text = $(".bulk-progress-text", box);
        box.hidden = false;
        setProgress(bar, 0);
        text.textContent = `Working on ${fmt(result.matched)} contacts…`;
        try {
          const job = await poll("/jobs/" + result.job_id, (j) => {
            setProgress(bar, j.total ? (j.done + j.failed) / j.total : 0);
            text.textContent = `${fmt(j.done + j.failed)} of ${fmt(j.total)} done`;
          });
          done = job.done;
          failed = job.failed;
          if (job.status === "failed") SB.toast("The bulk action stopped: " + (job.error || "failed"));
        } catch (err) {
          SB.toast("Lost track of the bulk action: " + err.message);
        }
        box.hidden = true;
      }
      SB.toast(`${verbs[act] || "Changed"} ${fmt(done)} contact${done === 1 ? "" : "s"}` +
        (failed ? `; ${fmt(failed)} failed.` : "."));
      await reload();
      // The reload clears the selection and hides the bar whose button had
      // the focus back from the dialog: keep the keyboard on the results.
      if (document.activeElement === document.body || bar.contains(document.activeElement)) {
        $("#contacts-count", results)?.focus();
      }
    }

    // --- Export -------------------------------------------------------------
    const exportDialog = $("#export-dialog");
    let exportQuery = "";
    $("[data-open-export]")?.addEventListener("click", () => {
      const t = table();
      // -1 in cursor mode; a total still being counted is not the number.
      const n = t?.dataset.totalPending === "true" ? -1 : Number(t?.dataset.total || 0);
      openExport(t?.dataset.query || "", n >= 0 ? `${fmt(n)} contacts matching this view` : "the contacts matching this view");
    });

    function openExport(query, what) {
      if (!exportDialog) return;
      exportQuery = query;
      const f = $("form", exportDialog);
      showError(f, "");
      $("[data-export-target]", exportDialog).textContent = "Exports " + what + ".";
      $("[data-export-progress]", exportDialog).hidden = true;
      $("button[type=submit]", f).disabled = false;
      exportDialog.showModal();
    }

    if (exportDialog) {
      const f = $("form", exportDialog);
      f.addEventListener("change", () => {
        $("[data-columns]", f).hidden = f.elements.columns_mode.value !== "chosen";
      });
      f.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const body = { query: exportQuery, format: f.elements.format.value };
        if (f.elements.columns_mode.value === "chosen") {
          body.columns = $$("input[name=column]:checked", f).map((c) => c.value);
          if (body.columns.length === 0) {
            showError(f, "Choose at least one column, or export all of them.");
            return;
          }
        }
        showError(f, "");
        const submit = $("button[type=submit]", f);
        submit.disabled = true;
        const res = await SB.api("POST", "/exports", body);
        if (!res.ok) {
          submit.disabled = false;
          showError(f, SB.errorText(res));
          return;
        }
        followExport(res.body, f);
      });
    }

    // followExport shows an export's progress in the dialog (if still
    // open) and announces the file with a toast when it is written.
    async function followExport(start, f) {
      const box = $("[data-export-progress]", f);
      const bar = $(".progress", box);
      const status = $("[data-export-status]", box);
      box.hidden = false;
      setProgress(bar, 0);
      status.textContent = "Starting…";
      try {
        const e = await poll("/exports/" + start.id, (x) => {
          setProgress(bar, x.progress || 0);
          status.textContent = x.total ? `${fmt(x.done)} of ${fmt(x.total)} contacts` : x.status;
        });
        if (e.status === "done" && e.download_url) {
          status.textContent = `Done: ${fmt(e.rows)} contacts.`;
          exportDialog.close();
          SB.toast(`Your ${e.format.toUpperCase()} export of ${fmt(e.rows)} contacts is ready.`,
            { href: e.download_url, text: "Download", download: true });
        } else {
          showError(f, "The export failed: " + (e.error || e.status));
        }
      } catch (err) {
        showError(f, "Lost track of the export: " + err.message);
      } finally {
        $("button[type=submit]", f).disabled = false;
      }
    }

    render();
    completeTotal();
  }

  // The exports page reloads its table while an export is being written.
  function initExportsPage() {
    const box = $("#exports-table");
    if (!box) return;
    const tick = async () => {
      if ($("table[data-running=true]", box)) {
        const res = await SB.fragment("/exports");
        if (res.ok) box.innerHTML = res.html;
      }
      setTimeout(tick, 1500);
    };
    setTimeout(tick, 1500);
  }
})();
