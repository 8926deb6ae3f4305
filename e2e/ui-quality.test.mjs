// The quality bar over every main page of the admin UI, against a real
// server with a little data: no console errors, every visible control has
// an accessible name, text meets the WCAG contrast minimum, nothing scrolls
// sideways on a 375 px phone; and two tasks done with the keyboard alone
// (a bulk tag on the contact list, an inline edit on a profile).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

let server, browser;
const seed = {};
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const ok = (r, status = 201) => { assert.equal(r.status, status, JSON.stringify(r.body)); return r.body; };

  // A contact with a conversation, through a live-chat channel.
  const chat = ok(await server.api("POST", "/channels", { type: "livechat", name: "Help desk" }));
  seed.channel = chat.id;
  const r = await fetch(`${server.base}/channels/widget/${chat.public_key}/messages`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ visitor_id: `quality-${Date.now()}`, text: "Hello, do you ship to Lisbon?", name: "Grace Hopper", email: "grace@example.com" }),
  });
  const raw = await r.text();
  assert.equal(r.status, 201, raw);
  seed.conversation = JSON.parse(raw).message.conversation_id;
  const found = ok(await server.api("GET", "/contacts?q=grace%40example.com"), 200);
  assert.equal(found.total, 1);
  seed.contact = found.contacts[0].id;
  ok(await server.api("POST", `/contacts/${seed.contact}/notes`, { body: "Prefers email, mornings." }));
  ok(await server.api("POST", `/contacts/${seed.contact}/tags`, { tags: ["vip"] }), 200);

  // A duplicate pair the engine suggests.
  seed.a = ok(await server.api("POST", "/contacts", { name: "Ana Silva", email: "ana@example.com", company: "Acme", tags: ["lead"] })).id;
  seed.b = ok(await server.api("POST", "/contacts", { name: "Ana Souza", email: "ana+shop@example.com", phone: "+14155552671" })).id;
  const dups = ok(await server.api("GET", "/contacts/duplicates"), 200);
  assert.ok(JSON.stringify(dups).includes("ana+shop@example.com"), "the pair is suggested as duplicates");

  seed.webhook = ok(await server.api("POST", "/webhooks", { url: "https://crm.example.com/hooks/sb", description: "CRM", events: ["contact.created"] })).id;
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const pages = () => [
  "/", "/contacts", `/contacts/${seed.contact}`, `/contacts/${seed.contact}/conversations/${seed.conversation}`,
  "/contacts/new", `/contacts/${seed.contact}/edit`, "/contacts/duplicates", `/contacts/merge?ids=${seed.a},${seed.b}`,
  "/exports", "/imports", "/imports/new", "/inbox", `/inbox/${seed.conversation}`, "/account",
  "/settings", "/settings/channels", `/settings/channels/${seed.channel}`, "/settings/bot", "/settings/api-keys",
  "/settings/users", "/settings/privacy", "/settings/webhooks", `/settings/webhooks/${seed.webhook}`, "/settings/audit",
];

// unnamedControls lists the visible form controls and buttons with no
// accessible name: from aria-labelledby, aria-label, a label (for= or
// wrapping), a title, or (for buttons) their text or value.
function unnamedControls() {
  const text = (s) => (s || "").replace(/\s+/g, " ").trim();
  const visible = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && el.getClientRects().length > 0;
  const nameOf = (el) => {
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      const t = text(by.split(/\s+/).map((id) => document.getElementById(id)?.textContent).join(" "));
      if (t) return t;
    }
    if (text(el.getAttribute("aria-label"))) return text(el.getAttribute("aria-label"));
    for (const l of el.labels || []) if (text(l.textContent)) return text(l.textContent);
    const isButton = el.tagName === "BUTTON" || ["submit", "button", "reset"].includes(el.type);
    if (isButton) {
      const t = el.tagName === "BUTTON" ? text(el.innerText) || text([...el.querySelectorAll("img[alt]")].map((i) => i.alt).join(" ")) : text(el.value || (el.type === "submit" ? "Submit" : ""));
      if (t) return t;
    }
    if (el.type === "image" && text(el.alt)) return text(el.alt);
    return text(el.getAttribute("title"));
  };
  const describe = (el) => `${el.tagName.toLowerCase()}${el.type ? `[type=${el.type}]` : ""}${el.id ? "#" + el.id : ""}${el.name ? `[name=${el.name}]` : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""}`;
  return [...document.querySelectorAll("input, select, textarea, button")]
    .filter((el) => el.type !== "hidden" && visible(el) && !nameOf(el)).map(describe);
}

// lowContrast lists visible text under the WCAG AA minimum: 4.5:1, or 3:1
// for large text (24 px, or 18.66 px bold). The background is the nearest
// opaque one up the tree, with translucent layers composited on the way;
// text on an image is reported rather than guessed at. Disabled controls
// are exempt, as WCAG exempts inactive components.
function lowContrast() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1,
  });
  const lum = ({ r, g, b }) => {
    const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.backgroundImage !== "none") return { image: n };
      const c = parse(s.backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 }; // the canvas
    for (const l of layers.reverse()) bg = over(l, bg);
    return { color: bg };
  };
  const opacity = (el) => { let o = 1; for (let n = el; n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity); return o; };
  const hasText = (el) => {
    if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) {
      return el.tagName === "SELECT" ? el.selectedOptions.length > 0 : !["checkbox", "radio", "range", "color", "file", "hidden", "image"].includes(el.type) && el.value !== "";
    }
    return [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== "");
  };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (["SCRIPT", "STYLE", "OPTION", "OPTGROUP", "TEMPLATE", "NOSCRIPT"].includes(el.tagName) || !hasText(el)) continue;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden, for screen readers
    if (el.closest(":disabled, [aria-disabled=true]")) continue;
    const s = getComputedStyle(el);
    const bg = background(el);
    const label = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} “${(el.value || el.textContent).trim().slice(0, 40)}”`;
    if (bg.image) { out.push(`${label}: on a background image (${bg.image.tagName.toLowerCase()}.${bg.image.className})`); continue; }
    const fg = parse(el instanceof SVGElement ? s.fill : s.color) || parse(s.color); // SVG text is painted with fill
    if (!fg) { out.push(`${label}: colour ${s.color} not understood`); continue; }
    fg.a *= opacity(el);
    const text = over(fg, bg.color);
    const [l1, l2] = [lum(text), lum(bg.color)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const min = large ? 3 : 4.5;
    if (ratio < min) out.push(`${label}: ${ratio.toFixed(2)}:1 < ${min} (${s.color} on rgb(${Math.round(bg.color.r)}, ${Math.round(bg.color.g)}, ${Math.round(bg.color.b)}))`);
  }
  return out;
}

// sideways reports whether the page scrolls sideways, with the first
// elements that stick out past the viewport's right edge.
function sideways() {
  const se = document.scrollingElement;
  if (se.scrollWidth <= se.clientWidth + 1) return null;
  const wide = [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > se.clientWidth + 1)
    .slice(0, 8).map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${String(el.className.baseVal ?? el.className).trim().split(/\s+/).join(".")}`);
  return `scrolls sideways (${se.scrollWidth} > ${se.clientWidth}): ${wide.join(", ")}`;
}

// audit runs the page checks where the page is now and returns what fails,
// each line starting with where.
async function audit(page, where, { phone = false } = {}) {
  const out = [];
  const unnamed = await page.evaluate(unnamedControls);
  if (unnamed.length) out.push(`${where}: controls without a name: ${unnamed.join(", ")}`);
  const low = await page.evaluate(lowContrast);
  if (low.length) out.push(`${where}: low contrast:\n    ${low.join("\n    ")}`);
  if (phone) {
    const wide = await page.evaluate(sideways);
    if (wide) out.push(`${where}: ${wide}`);
  }
  return out;
}

// visitAll opens every main page in turn and audits it.
async function visitAll(page, opts) {
  const problems = watchConsole(page);
  await login(page, server);
  const failures = [];
  for (const path of pages()) {
    const res = await page.goto(server.base + path);
    assert.equal(res.status(), 200, path);
    // Let the pages' scripts run; the inbox keeps a stream open, so idle
    // may not come.
    await page.waitForLoadState("networkidle", { timeout: 3000 }).catch(() => {});
    failures.push(...await audit(page, path, opts));
    if (problems.length) failures.push(`${path}: console errors: ${problems.splice(0).join(" | ")}`);
  }
  return failures;
}

test("the checks catch what they look for", async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  await login(page, server);
  await page.goto(server.base + "/account");
  assert.deepEqual(await audit(page, "/account", { phone: true }), []);
  await page.evaluate(() => document.querySelector("main").insertAdjacentHTML("beforeend", `
    <div id="probe" style="background: #fff">
      <input id="probe-bare"> <button id="probe-empty"></button>
      <label>Named <input id="probe-wrapped"></label> <button title="Named by title" id="probe-titled"></button>
      <p id="probe-faint" style="color: #999">faint text</p>
      <p id="probe-large" style="color: #888; font-size: 24px">large text, 3.5:1 is enough</p>
      <div style="background: rgba(0, 0, 0, .5)"><p id="probe-veiled" style="color: #333">dark on a half-black veil</p></div>
      <div id="probe-wide" style="width: 500px">wide</div>
    </div>`));
  const found = (await audit(page, "probe", { phone: true })).join("\n");
  for (const bad of ["#probe-bare", "#probe-empty", "#probe-faint", "#probe-veiled", "#probe-wide"]) {
    assert.ok(found.includes(bad), `${bad} is not reported:\n${found}`);
  }
  for (const fine of ["probe-wrapped", "probe-titled", "probe-large"]) {
    assert.ok(!found.includes(fine), `${fine} is reported:\n${found}`);
  }
});

test("every main page: no console errors, named controls, readable contrast", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  assert.deepEqual(await visitAll(page), []);
});

test("every main page at 375 px: no sideways scroll, and the same checks", async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  assert.deepEqual(await visitAll(page, { phone: true }), []);
  await page.goto(server.base + `/contacts/${seed.contact}`);
  await page.screenshot({ path: join(artifacts, "quality-profile-phone.png"), fullPage: true });
});

test("what opens on a click passes the same checks", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchConsole(page);
  await login(page, server);
  const failures = [];
  await page.goto(`${server.base}/contacts/${seed.contact}`);
  await page.locator(`a.pf-open[aria-controls="pf-conv-${seed.conversation}"]`).click();
  await page.locator(`#pf-conv-${seed.conversation} .pf-msg`).first().waitFor();
  failures.push(...await audit(page, "profile transcript"));
  await page.locator('[data-card="basic"] .pf-edit-all').click();
  failures.push(...await audit(page, "profile basic card in edit"));
  for (const [link, name] of [["Merge with…", /Merge/], ["Delete", /Delete Grace Hopper/]]) {
    await page.goto(`${server.base}/contacts/${seed.contact}`);
    await page.getByRole("link", { name: link }).click();
    await page.getByRole("dialog", { name }).waitFor();
    failures.push(...await audit(page, `profile ${link} dialog`));
  }
  await page.goto(server.base + "/contacts");
  await page.getByRole("button", { name: "Export this view…" }).click();
  await page.getByRole("dialog", { name: "Export contacts" }).waitFor();
  failures.push(...await audit(page, "contacts export dialog"));

  const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
  const phoneProblems = watchConsole(phone);
  await login(phone, server);
  await phone.getByRole("button", { name: "Menu" }).click();
  await phone.getByRole("navigation", { name: "Main" }).waitFor();
  failures.push(...await audit(phone, "phone menu open", { phone: true }));
  assert.deepEqual(failures, []);
  assert.deepEqual([...problems, ...phoneProblems], []);
});

// tabTo presses Tab (or Shift+Tab) until the focused element matches the
// selector, checking on the way that every stop shows where the focus is.
async function tabTo(page, selector, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const [hit, where, ring, ratio] = await page.evaluate((sel) => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
      const ring = outline || s.boxShadow !== "none";
      // WCAG 1.4.11: the outline must stand out 3:1 from what it is drawn
      // on (offset outside the control, so the parent's background).
      let ratio = Infinity;
      if (outline) {
        const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
          .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
        let bg = [255, 255, 255];
        for (let p = el.parentElement; p; p = p.parentElement) {
          const c = rgb(getComputedStyle(p).backgroundColor);
          if (c.length >= 3 && (c.length === 3 || c[3] === 1)) { bg = c.slice(0, 3); break; }
        }
        const [a, b] = [lum(rgb(s.outlineColor)), lum(bg)].sort((x, y) => y - x);
        ratio = (a + 0.05) / (b + 0.05);
      }
      return [el.matches(sel), `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} “${(el.getAttribute("aria-label") || el.textContent).trim().slice(0, 30)}”`, ring, ratio];
    }, selector);
    // Past the last control the focus leaves the document (body): no ring.
    assert.ok(ring || where.startsWith("body"), `no visible focus indicator on ${where}`);
    assert.ok(ratio >= 3, `the focus outline on ${where} stands out only ${ratio.toFixed(2)}:1`);
    if (hit) return;
  }
  assert.fail(`${max} presses of ${back ? "Shift+Tab" : "Tab"} never reached ${selector}`);
}

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el === document.body ? "body" : `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ${(el.getAttribute("aria-label") || el.textContent).trim().slice(0, 40)}`;
});

// focusLands waits for the focus to reach the selector (scripts move it
// once their request is done).
async function focusLands(page, selector, when) {
  await page.waitForFunction((sel) => document.activeElement?.matches(sel), selector, { timeout: 5000 })
    .catch(async () => assert.fail(`${when} the focus is on ${await focused(page)}, not ${selector}`));
}

test("the contact list by keyboard: select a row, tag it in the dialog, Escape closes dialogs", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/contacts?sort=name");
  await page.getByRole("heading", { level: 1, name: "Contacts" }).waitFor();

  await tabTo(page, 'input[data-select-row][aria-label="Select Ana Souza"]');
  await page.keyboard.press("Space");
  await page.getByText("1 selected.").waitFor();
  // The bulk actions sit above the table: back up to them.
  await tabTo(page, '#bulk-bar button[data-bulk="add_tags"]', { back: true });
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Add tags" });
  await dialog.waitFor();
  assert.match(await focused(page), /^input#bulk-tags/, "the dialog takes the focus");
  await page.keyboard.type("keyboard-made");
  await tabTo(page, "#tags-dialog button[type=submit]");
  await page.keyboard.press("Enter");
  await page.locator('tr:has([aria-label="Select Ana Souza"]) .tag', { hasText: "keyboard-made" }).waitFor();
  assert.equal(await dialog.isVisible(), false);
  const tagged = await server.api("GET", "/contacts?tags=keyboard-made");
  assert.deepEqual(tagged.body.contacts.map((c) => c.id), [seed.b]);
  // The bar that held the focus is gone with the selection: the focus
  // lands on the results' count rather than falling out of the page.
  await focusLands(page, "#contacts-count", "after the bulk action");

  // Escape closes each dialog and gives the focus back to its opener.
  await tabTo(page, 'input[data-select-row][aria-label="Select Ana Silva"]');
  await page.keyboard.press("Space");
  for (const [action, name] of [["add_tags", "Add tags"], ["set", "Set a field"], ["delete", "Delete contacts"], ["export", "Export contacts"]]) {
    await tabTo(page, `#bulk-bar button[data-bulk="${action}"]`, { back: true });
    await page.keyboard.press("Enter");
    const d = page.getByRole("dialog", { name });
    await d.waitFor();
    assert.deepEqual(await audit(page, `the ${name} dialog`), []);
    await page.keyboard.press("Escape");
    await d.waitFor({ state: "hidden" });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.bulk), action, `${name}: the focus is not back on its opener`);
  }
  // Clearing the selection hides the bar with the button just pressed.
  await tabTo(page, "#bulk-bar button[data-bulk-clear]", { back: true });
  await page.keyboard.press("Enter");
  await page.locator("#bulk-bar").waitFor({ state: "hidden" });
  await focusLands(page, "#contacts-count", "after clearing the selection");
  assert.deepEqual(problems, []);
});

test("a profile field edited by keyboard: Edit, type, Enter; Save by Tab; Escape cancels", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(`${server.base}/contacts/${seed.contact}`);
  await page.getByRole("heading", { level: 1, name: "Grace Hopper" }).waitFor();

  // Edit with Space, type, Tab on to Save: saved, and the focus is back
  // on the field's Edit.
  await tabTo(page, '[data-card="basic"] button.pf-edit[aria-label="Edit Phone"]');
  await page.keyboard.press("Space");
  assert.match(await focused(page), /^input#pf-phone/);
  assert.deepEqual(await audit(page, "the profile with a field open"), []);
  await page.keyboard.type("+14155550123");
  await tabTo(page, '[data-card="basic"] .pf-save button[type=submit]');
  await page.keyboard.press("Enter");
  await page.locator('[data-card="basic"] [data-field="phone"] .pf-value', { hasText: "+14155550123" }).waitFor();
  assert.equal((await server.api("GET", `/contacts/${seed.contact}`)).body.phone, "+14155550123");
  assert.match(await focused(page), /^button Edit Phone/);

  // Edit, type, Enter.
  await tabTo(page, '[data-card="basic"] button.pf-edit[aria-label="Edit Company"]');
  await page.keyboard.press("Enter");
  assert.match(await focused(page), /^input#pf-company/);
  await page.keyboard.type("Initech");
  await page.keyboard.press("Enter");
  await page.locator('[data-card="basic"] [data-field="company"] .pf-value', { hasText: "Initech" }).waitFor();
  assert.equal((await server.api("GET", `/contacts/${seed.contact}`)).body.company, "Initech");
  assert.match(await focused(page), /^button Edit Company/);

  // Escape drops an edit: nothing is saved.
  await tabTo(page, '[data-card="basic"] button.pf-edit[aria-label="Edit Phone"]', { back: true });
  await page.keyboard.press("Enter");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("+000");
  await page.keyboard.press("Escape");
  await page.locator('[data-card="basic"] .pf-row.is-editing').waitFor({ state: "detached" });
  assert.equal((await server.api("GET", `/contacts/${seed.contact}`)).body.phone, "+14155550123");
  // The focus goes back to the dropped field's Edit, as after a save.
  await focusLands(page, '[data-card="basic"] button.pf-edit[aria-label="Edit Phone"]', "after Escape");
  await page.screenshot({ path: join(artifacts, "quality-profile-keyboard.png"), fullPage: true });
  assert.deepEqual(problems, []);
});
