// The contact list in a real browser: search as you type, filters, sort and
// saved views in the URL, selection of every matching contact with a bulk
// action's progress, a bulk delete confirmed in a dialog, an export of the
// filtered view downloaded from its notification, the exports page, escaped
// names, and the page at phone width.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

const XSS = "<img src=x onerror=alert(1)>";
const BATCH = 620; // more than the 500 a bulk action does at once: it runs as a job

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const people = [
    { name: "Alice Archer", email: "alice@example.com", tags: ["vip"], channel: "telegram", telegram_id: "7001", country: "GB" },
    { name: "Bruno Baker", email: "bruno@example.com", tags: ["vip", "eu"], channel: "widget", country: "BR" },
    { name: "Chloe Carter", phone: "+14155550101", tags: ["lead"], channel: "telegram", telegram_id: "7002" },
    { name: "Dmitri Dunn", email: "dmitri@example.org", channel: "manual", country: "DE" },
    { name: "Erin Ellis", email: "erin@example.net", tags: ["vip"], channel: "import" },
    { first_name: XSS, email: "xss@example.com", tags: ["x"], channel: "manual" },
  ];
  for (const p of people) {
    const r = await server.api("POST", "/contacts", p);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  // The batch for bulk actions, eight requests at a time.
  for (let i = 0; i < BATCH; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, BATCH - i) }, (_, k) => {
      const n = String(i + k).padStart(4, "0");
      return server.api("POST", "/contacts", { name: `Batch Person ${n}`, email: `batch${n}@example.com`, tags: ["batch"], channel: "widget" })
        .then((r) => assert.equal(r.status, 201, JSON.stringify(r.body)));
    }));
  }
});
after(async () => {
  await browser?.close();
  server?.stop();
});

// names are the display names in the table, in order.
const names = (page) => page.locator(".contacts-table .contact-name").allTextContents();

// waitForQuery waits until the address bar's query satisfies pred.
async function waitForQuery(page, pred) {
  for (const end = Date.now() + 10000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (pred(new URLSearchParams(await page.evaluate(() => location.search)))) return;
  }
  throw new Error("the URL's query never matched: " + page.url());
}

test("search as you type narrows the table without leaving the page", async () => {
  const page = await browser.newPage();
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/contacts");
  await page.getByText(`1–25 of ${(BATCH + 6).toLocaleString("en-US")}`).waitFor();
  await page.evaluate(() => { window.__samePage = true; });
  await page.getByLabel("Search contacts").pressSequentially("arche", { delay: 60 });
  await waitForQuery(page, (p) => p.get("q") === "arche");
  await page.getByText("1–1 of 1").waitFor();
  assert.deepEqual(await names(page), ["Alice Archer"]);
  assert.equal(await page.evaluate(() => window.__samePage), true, "the page was reloaded");
  // Clearing the box brings everyone back, still without a reload.
  await page.getByLabel("Search contacts").fill("");
  await waitForQuery(page, (p) => !p.has("q"));
  await page.getByText(`of ${(BATCH + 6).toLocaleString("en-US")}`).waitFor();
  assert.equal(await page.evaluate(() => window.__samePage), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test("filters, sort and saved views live in the URL", async () => {
  const page = await browser.newPage();
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/contacts");
  const filters = page.locator("#contact-filters");
  await page.getByText("Filters", { exact: true }).click();
  await filters.getByLabel("telegram", { exact: true }).check();
  await waitForQuery(page, (p) => p.get("channel") === "telegram");
  await page.getByText("1–2 of 2").waitFor();
  assert.deepEqual((await names(page)).sort(), ["Alice Archer", "Chloe Carter"]);

  // Sort by name: ascending, then descending; the header says so.
  await filters.getByLabel("Tags (comma separated)").fill("vip");
  await filters.getByLabel("telegram", { exact: true }).uncheck();
  await waitForQuery(page, (p) => p.get("tags") === "vip" && !p.has("channel"));
  await page.getByText("1–3 of 3").waitFor();
  await page.getByRole("link", { name: "Name", exact: true }).click();
  await waitForQuery(page, (p) => p.get("sort") === "name");
  await page.locator('th[aria-sort="ascending"]', { hasText: "Name" }).waitFor();
  assert.deepEqual(await names(page), ["Alice Archer", "Bruno Baker", "Erin Ellis"]);
  await page.getByRole("link", { name: "Name", exact: true }).click();
  await waitForQuery(page, (p) => p.get("sort") === "-name");
  await page.locator('th[aria-sort="descending"]', { hasText: "Name" }).waitFor();
  assert.deepEqual(await names(page), ["Erin Ellis", "Bruno Baker", "Alice Archer"]);
  assert.equal(await filters.getByLabel("Sort by").inputValue(), "-name");

  // The URL alone gives the same view.
  const url = page.url();
  assert.match(url, /\/contacts\?tags=vip&sort=-name$/);
  await page.goto(url);
  assert.deepEqual(await names(page), ["Erin Ellis", "Bruno Baker", "Alice Archer"]);
  assert.equal(await page.locator("#contact-filters").getByLabel("Tags (comma separated)").inputValue(), "vip");

  // Save the view, open it from the list, delete it.
  await page.getByLabel("Save this view as").fill("VIPs, Z to A");
  await page.getByRole("button", { name: "Save view" }).click();
  const saved = page.locator("#saved-filters").getByRole("link", { name: "VIPs, Z to A" });
  await saved.waitFor();
  await page.goto(server.base + "/contacts");
  await page.locator("#saved-filters").getByRole("link", { name: "VIPs, Z to A" }).click();
  await page.waitForURL(/\/contacts\?tags=vip&sort=-name$/);
  assert.deepEqual(await names(page), ["Erin Ellis", "Bruno Baker", "Alice Archer"]);
  await page.getByRole("button", { name: "Delete saved filter VIPs, Z to A" }).click();
  await page.locator("#saved-filters").getByText("None yet.").waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test("select every matching contact and tag them, with progress", async () => {
  const page = await browser.newPage();
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/contacts?tags=batch");
  await page.getByText(`1–25 of ${BATCH}`).waitFor();
  await page.getByLabel("Select every contact on this page").check();
  await page.getByText("25 selected.").waitFor();
  await page.getByRole("button", { name: `Select all ${BATCH} matching` }).click();
  await page.getByText(`All ${BATCH} matching contacts are selected.`).waitFor();
  // Note when the progress bar shows, however briefly.
  await page.evaluate(() => {
    const box = document.getElementById("bulk-progress");
    new MutationObserver(() => { if (!box.hidden) window.__progressShown = true; }).observe(box, { attributes: true });
  });
  await page.getByRole("button", { name: "Add tags" }).click();
  const dialog = page.getByRole("dialog", { name: "Add tags" });
  await dialog.getByText(`Applies to all ${BATCH} contacts matching the filter.`).waitFor();
  await dialog.getByLabel("Tags (comma separated)").fill("wave-2");
  await dialog.getByRole("button", { name: "Add tags" }).click();
  await page.locator(".toast", { hasText: `Tagged ${BATCH} contacts.` }).waitFor({ timeout: 60000 });
  assert.equal(await page.evaluate(() => window.__progressShown), true, "no progress bar");
  assert.equal(await page.locator("#bulk-bar").isHidden(), true);
  const tagged = await server.api("GET", "/contacts?tags=wave-2&per_page=1");
  assert.equal(tagged.body.total, BATCH);
  // The table was reloaded and shows the new tag.
  await page.locator(".contacts-table .tag", { hasText: "wave-2" }).first().waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test("a bulk delete asks in a dialog and can keep the history", async () => {
  const page = await browser.newPage();
  const problems = watchConsole(page);
  let alerts = 0;
  page.on("dialog", (d) => { alerts++; d.dismiss(); });
  await login(page, server);
  await page.goto(server.base + "/contacts?tags=batch&sort=name&per_page=50");
  await page.getByLabel("Select Batch Person 0000").check();
  await page.getByLabel("Select Batch Person 0001").check();
  await page.getByText("2 selected.").waitFor();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Delete contacts" });
  await dialog.getByText("Delete 2 selected contacts?").waitFor();
  assert.equal(await dialog.getByLabel("Keep the conversation history, anonymised").isChecked(), true);
  await dialog.getByRole("button", { name: "Delete 2" }).click();
  await page.locator(".toast", { hasText: "Deleted 2 contacts." }).waitFor();
  await page.getByText(`1–50 of ${BATCH - 2}`).waitFor();
  assert.equal((await names(page))[0], "Batch Person 0002");
  assert.equal(alerts, 0, "a native dialog was used");
  assert.deepEqual(problems, []);
  await page.close();
});

test("export the filtered view as CSV and download it from the notification", async () => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/contacts?tags=vip&sort=name");
  await page.getByText("1–3 of 3").waitFor();
  await page.getByRole("button", { name: "Export this view…" }).click();
  const dialog = page.getByRole("dialog", { name: "Export contacts" });
  await dialog.getByText("Exports 3 contacts matching this view.").waitFor();
  await dialog.getByLabel("CSV").check();
  await dialog.getByLabel("Choose columns").check();
  for (const col of ["first_name", "last_name", "email", "tags"]) await dialog.getByLabel(col, { exact: true }).check();
  await dialog.getByRole("button", { name: "Start export" }).click();
  const toast = page.locator(".toast", { hasText: "Your CSV export of 3 contacts is ready." });
  await toast.waitFor({ timeout: 30000 });
  assert.equal(await dialog.isHidden(), true);
  const [download] = await Promise.all([page.waitForEvent("download"), toast.getByRole("link", { name: "Download" }).click()]);
  const csv = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split("\n");
  assert.equal(lines[0], "first_name,last_name,email,tags");
  assert.deepEqual(lines.slice(1).sort(), ["Alice,Archer,alice@example.com,vip", 'Bruno,Baker,bruno@example.com,"vip,eu"', "Erin,Ellis,erin@example.net,vip"].sort());
  await page.screenshot({ path: join(artifacts, "contacts-export.png") });

  // A selection exports just those contacts.
  await page.getByLabel("Select Bruno Baker").check();
  await page.getByLabel("Select Erin Ellis").check();
  await page.locator("#bulk-bar").getByRole("button", { name: "Export" }).click();
  await dialog.getByText("Exports 2 selected contacts.").waitFor();
  await dialog.getByLabel("All columns").check();
  await dialog.getByLabel("NDJSON").check();
  await dialog.getByRole("button", { name: "Start export" }).click();
  const toast2 = page.locator(".toast", { hasText: "Your NDJSON export of 2 contacts is ready." });
  await toast2.waitFor({ timeout: 30000 });
  const [download2] = await Promise.all([page.waitForEvent("download"), toast2.getByRole("link", { name: "Download" }).click()]);
  const rows = readFileSync(await download2.path(), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => r.email).sort(), ["bruno@example.com", "erin@example.net"]);

  // The exports page lists both, newest first, with their links.
  await page.goto(server.base + "/exports");
  const rows2 = page.locator(".exports-table tbody tr");
  assert.equal(await rows2.count(), 2);
  assert.match(await rows2.nth(0).textContent(), /ids=\d+,\d+/);
  assert.match(await rows2.nth(1).textContent(), /tags=vip&sort=name/);
  for (const i of [0, 1]) {
    await rows2.nth(i).getByText("done").waitFor();
    await rows2.nth(i).getByRole("link", { name: "Download" }).waitFor();
  }
  await page.screenshot({ path: join(artifacts, "exports.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a name made of markup stays text", async () => {
  const page = await browser.newPage();
  const problems = watchConsole(page);
  let alerts = 0;
  page.on("dialog", (d) => { alerts++; d.dismiss(); });
  await login(page, server);
  await page.goto(server.base + "/contacts?tags=x");
  assert.deepEqual(await names(page), [XSS]);
  // And in a fragment swapped in by the search box.
  await page.getByLabel("Search contacts").pressSequentially("xss@", { delay: 40 });
  await waitForQuery(page, (p) => p.get("q") === "xss@");
  await page.getByText("1–1 of 1").waitFor();
  assert.deepEqual(await names(page), [XSS]);
  assert.equal(await page.locator(".contacts-table img").count(), 0);
  assert.equal(alerts, 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the list at desktop and phone width", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/contacts?sort=name");
  await page.screenshot({ path: join(artifacts, "contacts.png") });

  const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
  problems.push(...watchConsole(phone));
  await login(phone, server);
  await phone.goto(server.base + "/contacts");
  await phone.getByText("Filters", { exact: true }).click();
  await phone.getByLabel("Select every contact on this page").check();
  await phone.getByText("25 selected.").waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375px`);
  await phone.screenshot({ path: join(artifacts, "contacts-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
  await phone.close();
});
