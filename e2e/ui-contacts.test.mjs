// The contact list in a real browser: search as you type, filters, sort and
// saved views in the URL, the created, reachability and country filters,
// selection of every matching contact with a bulk action's progress, setting
// and clearing a field and removing a tag in bulk, a bulk delete confirmed in
// a dialog, exports of the filtered view (CSV, and XLSX with its progress)
// downloaded from their notification, the exports page, escaped names, and
// the page at phone width.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

const XSS = "<img src=x onerror=alert(1)>";
const BATCH = 620; // more than the 500 a bulk action does at once: it runs as a job

let server, browser, session;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Sign in once: the login form allows ten attempts in 15 minutes.
  const first = await browser.newPage();
  await login(first, server);
  session = await first.context().storageState();
  await first.close();
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

// signedInPage is a page of its own browser context, signed in as the owner.
const signedInPage = (options = {}) => browser.newPage({ ...options, storageState: session });

// names are the display names in the table, in order.
const names = (page) => page.locator(".contacts-table .contact-name").allTextContents();

// waitForQuery waits until the address bar's query satisfies pred.
async function waitForQuery(page, pred) {
  for (const end = Date.now() + 10000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (pred(new URLSearchParams(await page.evaluate(() => location.search)))) return;
  }
  throw new Error("the URL's query never matched: " + page.url());
}

// createMany makes n contacts through the API, eight requests at a time.
async function createMany(n, make) {
  const ids = [];
  for (let i = 0; i < n; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, n - i) }, (_, k) =>
      server.api("POST", "/contacts", make(i + k)).then((r) => {
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids[i + k] = r.body.id;
      })));
  }
  return ids;
}

// applyBulk submits an open bulk dialog and waits for its notice and for
// the reloaded table (which clears the selection, hiding the bulk bar).
async function applyBulk(page, dialog, button, notice) {
  await page.evaluate(() => document.querySelectorAll(".toast").forEach((t) => t.remove()));
  await dialog.getByRole("button", { name: button, exact: true }).click();
  await page.locator(".toast", { hasText: notice }).waitFor({ timeout: 30000 });
  await page.locator("#bulk-bar").waitFor({ state: "hidden" });
  assert.equal(await dialog.isHidden(), true);
}

test("search as you type narrows the table without leaving the page", async () => {
  const page = await signedInPage();
  const problems = watchConsole(page);
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
  const page = await signedInPage();
  const problems = watchConsole(page);
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

test("created, reachability and country filters narrow the table and the URL", async () => {
  const page = await signedInPage();
  const problems = watchConsole(page);
  await page.goto(server.base + "/contacts");
  await page.evaluate(() => { window.__samePage = true; });
  const filters = page.locator("#contact-filters");
  await page.getByText("Filters", { exact: true }).click();
  const country = filters.getByLabel("Country codes (comma separated)");
  await country.fill("de");
  await country.press("Enter");
  await waitForQuery(page, (p) => p.get("country") === "de");
  await page.getByText("1–1 of 1").waitFor();
  assert.deepEqual(await names(page), ["Dmitri Dunn"]);

  // A created preset keeps the country and the match (everyone is new).
  await filters.getByLabel("When").selectOption("7d");
  await waitForQuery(page, (p) => p.get("created") === "7d" && p.get("country") === "de");
  await page.getByText("1–1 of 1").waitFor();
  assert.deepEqual(await names(page), ["Dmitri Dunn"]);
  // Dmitri has an email: "without email" leaves no one.
  await filters.getByLabel("Has email").selectOption("false");
  await waitForQuery(page, (p) => p.get("has_email") === "false");
  await page.getByText("No contacts match.").waitFor();
  await filters.getByLabel("Has email").selectOption("true");
  await waitForQuery(page, (p) => p.get("has_email") === "true");
  await page.getByText("1–1 of 1").waitFor();
  // Nobody was created before yesterday ended... and everyone after.
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  await filters.locator("#f-created-to").fill(yesterday);
  await waitForQuery(page, (p) => p.get("created_to") === yesterday);
  await page.getByText("No contacts match.").waitFor();
  await filters.locator("#f-created-to").fill("");
  await filters.locator("#f-created-from").fill(yesterday);
  await waitForQuery(page, (p) => p.get("created_from") === yesterday && !p.has("created_to"));
  await page.getByText("1–1 of 1").waitFor();
  // Do-not-contact: nobody here is marked.
  await filters.getByLabel("Do not contact").selectOption("true");
  await waitForQuery(page, (p) => p.get("do_not_contact") === "true");
  await page.getByText("No contacts match.").waitFor();
  await filters.getByLabel("Do not contact").selectOption("");
  await waitForQuery(page, (p) => !p.has("do_not_contact"));
  await page.getByText("1–1 of 1").waitFor();
  assert.equal(await page.evaluate(() => window.__samePage), true, "the page was reloaded");

  // The URL alone restores the view and its controls.
  const url = page.url();
  assert.deepEqual(Object.fromEntries(new URL(url).searchParams), { country: "de", created: "7d", created_from: yesterday, has_email: "true" });
  await page.goto(url);
  assert.deepEqual(await names(page), ["Dmitri Dunn"]);
  assert.equal(await filters.getByLabel("Country codes (comma separated)").inputValue(), "de");
  assert.equal(await filters.getByLabel("When").inputValue(), "7d");
  assert.equal(await filters.locator("#f-created-from").inputValue(), yesterday);
  assert.equal(await filters.getByLabel("Has email").inputValue(), "true");

  // A country no contact could have is named, not silently matched.
  await filters.getByLabel("Country codes (comma separated)").fill("x".repeat(101));
  await filters.getByLabel("Country codes (comma separated)").press("Enter");
  await waitForQuery(page, (p) => p.get("country")?.length === 101);
  await page.getByText("Fix the filters to see contacts.").waitFor();
  await page.locator("#contacts-results .notice", { hasText: "country a country is too long" }).waitFor();
  const api = await server.api("GET", "/contacts?country=" + "x".repeat(101));
  assert.equal(api.status, 422);
  assert.equal(api.body.error.fields.country, "a country is too long");
  // Reloaded, the message sits beside the field.
  await page.goto(page.url());
  assert.equal(await page.locator("#f-country").getAttribute("aria-invalid"), "true");
  await filters.locator(".field-error", { hasText: "a country is too long" }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test("select every matching contact and tag them, with progress", async () => {
  const page = await signedInPage();
  const problems = watchConsole(page);
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
  const page = await signedInPage();
  const problems = watchConsole(page);
  let alerts = 0;
  page.on("dialog", (d) => { alerts++; d.dismiss(); });
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

test("bulk: set a field, clear it, mark do-not-contact and remove a tag", async () => {
  const [one, two, three] = await createMany(3, (i) => ({
    name: `Setter ${["One", "Two", "Three"][i]}`, email: `setter${i}@example.com`, tags: ["setters", "drop-me", "keep-me"], channel: "manual",
  }));
  const contact = async (id) => (await server.api("GET", `/contacts/${id}`)).body;
  const page = await signedInPage();
  const problems = watchConsole(page);
  await page.goto(server.base + "/contacts?tags=setters&sort=name");
  await page.getByText("1–3 of 3").waitFor();
  const bar = page.locator("#bulk-bar");
  const dialog = page.getByRole("dialog", { name: "Set a field" });
  const selectTwo = async () => {
    await page.getByLabel("Select Setter One").check();
    await page.getByLabel("Select Setter Two").check();
    await page.getByText("2 selected.").waitFor();
  };

  // Company, with characters that must stay text.
  const company = `Acme & Sons <b>`;
  await selectTwo();
  await bar.getByRole("button", { name: "Set a field" }).click();
  await dialog.getByText("Applies to 2 selected contacts.").waitFor();
  await dialog.getByLabel("Field").selectOption("company");
  await dialog.getByLabel("New value (empty clears it)").fill(company);
  await applyBulk(page, dialog, "Apply", "Updated 2 contacts.");
  assert.equal((await contact(one)).company, company);
  assert.equal((await contact(two)).company, company);
  assert.equal((await contact(three)).company, "");

  // Empty clears it.
  await selectTwo();
  await bar.getByRole("button", { name: "Set a field" }).click();
  await dialog.getByLabel("Field").selectOption("company");
  assert.equal(await dialog.getByLabel("New value (empty clears it)").inputValue(), "");
  await applyBulk(page, dialog, "Apply", "Updated 2 contacts.");
  assert.equal((await contact(one)).company, "");
  assert.equal((await contact(two)).company, "");

  // Do not contact is a yes/no, sent as its own action.
  await selectTwo();
  await bar.getByRole("button", { name: "Set a field" }).click();
  await dialog.getByLabel("Field").selectOption("do_not_contact");
  assert.equal(await dialog.getByLabel("New value (empty clears it)").isVisible(), false);
  await dialog.getByLabel("Do not contact").selectOption("true");
  await applyBulk(page, dialog, "Apply", "Updated 2 contacts.");
  assert.equal((await contact(one)).do_not_contact, true);
  assert.equal((await contact(two)).do_not_contact, true);
  assert.equal((await contact(three)).do_not_contact, false);
  assert.equal(await page.locator(".contacts-table tr", { hasText: "Setter One" }).locator(".badge.danger", { hasText: "DNC" }).count(), 1);
  assert.equal(await page.locator(".contacts-table tr", { hasText: "Setter Three" }).locator(".badge.danger").count(), 0);

  // Opened again, the dialog is back on Company with its text box, so
  // Apply cannot clear a company by accident.
  await selectTwo();
  await bar.getByRole("button", { name: "Set a field" }).click();
  assert.equal(await dialog.getByLabel("Field").inputValue(), "company");
  assert.equal(await dialog.getByLabel("New value (empty clears it)").isVisible(), true);
  assert.equal(await dialog.getByLabel("Do not contact").isVisible(), false);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await dialog.isHidden(), true);

  // Remove a tag from the two.
  await bar.getByRole("button", { name: "Remove tags" }).click();
  const tags = page.getByRole("dialog", { name: "Remove tags" });
  await tags.getByText("Applies to 2 selected contacts.").waitFor();
  await tags.getByLabel("Tags (comma separated)").fill("drop-me");
  await applyBulk(page, tags, "Remove tags", "Untagged 2 contacts.");
  assert.deepEqual((await contact(one)).tags.sort(), ["keep-me", "setters"]);
  assert.deepEqual((await contact(two)).tags.sort(), ["keep-me", "setters"]);
  assert.deepEqual((await contact(three)).tags.sort(), ["drop-me", "keep-me", "setters"]);
  const rowTags = (name) => page.locator(".contacts-table tr", { hasText: name }).locator(".tag").allTextContents();
  assert.deepEqual((await rowTags("Setter One")).sort(), ["keep-me", "setters"]);
  assert.deepEqual((await rowTags("Setter Three")).sort(), ["drop-me", "keep-me", "setters"]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("export the filtered view as CSV and download it from the notification", async () => {
  const page = await signedInPage({ acceptDownloads: true });
  const problems = watchConsole(page);
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
  await page.close();
});

test("export a larger view as XLSX, with progress, and download it", async () => {
  const SHEET = 320;
  await createMany(SHEET, (i) => ({ name: `Sheet Person ${String(i).padStart(3, "0")}`, email: `sheet${i}@example.com`, tags: ["sheet"], channel: "widget" }));
  const page = await signedInPage({ acceptDownloads: true });
  const problems = watchConsole(page);
  await page.goto(server.base + "/contacts?tags=sheet");
  await page.getByText(`1–25 of ${SHEET}`).waitFor();
  await page.getByRole("button", { name: "Export this view…" }).click();
  const dialog = page.getByRole("dialog", { name: "Export contacts" });
  await dialog.getByText(`Exports ${SHEET} contacts matching this view.`).waitFor();
  // Record every state the progress box passes through.
  await page.evaluate(() => {
    const box = document.querySelector("#export-dialog [data-export-progress]");
    const bar = box.querySelector("[role=progressbar]");
    window.__exportProgress = [];
    new MutationObserver(() => {
      if (!box.hidden) window.__exportProgress.push({ value: bar.getAttribute("aria-valuenow"), text: box.querySelector("[data-export-status]").textContent });
    }).observe(box, { attributes: true, childList: true, subtree: true, characterData: true });
  });
  await dialog.getByLabel("Excel (XLSX)").check();
  await dialog.getByLabel("All columns").check();
  await dialog.getByRole("button", { name: "Start export" }).click();
  const toast = page.locator(".toast", { hasText: `Your XLSX export of ${SHEET} contacts is ready.` });
  await toast.waitFor({ timeout: 60000 });
  assert.equal(await dialog.isHidden(), true);
  const seen = await page.evaluate(() => window.__exportProgress);
  assert.ok(seen.length > 0, "the progress never showed");
  assert.ok(seen.some((s) => s.text === "Starting…"), JSON.stringify(seen));
  // Every poll's answer is shown, the last one counting every contact.
  assert.ok(seen.some((s) => s.text === `${SHEET} of ${SHEET} contacts`), JSON.stringify(seen));
  assert.deepEqual(seen.at(-1), { value: "100", text: `Done: ${SHEET} contacts.` });
  const values = seen.map((s) => Number(s.value));
  assert.deepEqual(values, [...values].sort((a, b) => a - b), "progress went backwards: " + values);

  const link = toast.getByRole("link", { name: "Download" });
  const id = /^\/api\/v1\/exports\/(\d+)\/download$/.exec(await link.getAttribute("href"))?.[1];
  assert.ok(id, "the link is not an export's download");
  // The export holds the view's filter and every one of its contacts.
  const exp = (await server.api("GET", `/exports/${id}`)).body;
  assert.equal(exp.format, "xlsx");
  assert.equal(exp.query, "tags=sheet");
  assert.equal(exp.rows, SHEET);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK", "not a zip file");
  // A zip stores its entry names as they are: these make it a workbook.
  for (const part of ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]) {
    assert.ok(bytes.includes(part), "no " + part + " in the file");
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("a name made of markup stays text", async () => {
  const page = await signedInPage();
  const problems = watchConsole(page);
  let alerts = 0;
  page.on("dialog", (d) => { alerts++; d.dismiss(); });
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
  const page = await signedInPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchConsole(page);
  await page.goto(server.base + "/contacts?sort=name");
  await page.screenshot({ path: join(artifacts, "contacts.png") });

  const phone = await signedInPage({ viewport: { width: 375, height: 740 } });
  problems.push(...watchConsole(phone));
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
