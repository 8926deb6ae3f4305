// The dashboard and the import wizard in a real browser: the figures and
// the server-drawn charts, then a CSV through every step of the wizard
// (a column's mapping changed, bad rows previewed), the progress bar run
// to its end, the summary, the error rows downloaded, and the contacts in
// the API afterwards. Screenshots of each page go to e2e/artifacts.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { artifacts, launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = readFileSync(join(here, "testdata", "import-contacts.csv"), "utf8");
// Generated rows after the fixture's, so the import runs long enough for
// its progress bar to be watched.
const extraRows = 20000;

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px at ${page.viewportSize().width}px`);
}

// csvRows parses a small CSV (quoted cells with commas, doubled quotes).
function csvRows(text) {
  const rows = [];
  for (const line of text.trim().split(/\r?\n/)) {
    const cells = [];
    let cur = "", quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") { cells.push(cur); cur = ""; } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

test("the dashboard shows the figures and the charts", async () => {
  const people = [
    ["Tara", "telegram", "tara@example.com"], ["Theo", "telegram", null], ["Tess", "telegram", "tess@example.com"],
    ["Wim", "widget", "wim@example.com"], ["Wes", "widget", null], ["Mo", "manual", null],
  ];
  for (const [name, channel, email] of people) {
    const r = await server.api("POST", "/contacts", { first_name: name, channel, email: email ?? undefined });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/");
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  const figure = (key) => page.locator(`[data-figure="${key}"]`).textContent();
  assert.equal(await figure("total"), "6");
  assert.equal(await figure("new_this_month"), "6");
  assert.equal(await figure("open_conversations"), "0");
  assert.equal(await figure("email"), "3 · 50%");

  // One bar per channel, largest first, each a link to the filtered list.
  const bars = page.locator("svg.chart-bars a.bar-row");
  assert.equal(await bars.count(), 3);
  assert.equal(await bars.first().getAttribute("aria-label"), "Telegram: 3 (50%) contacts");
  assert.equal(await bars.first().getAttribute("href"), "/contacts?channel=telegram");
  assert.equal(await page.locator("svg.chart-columns g.col").count(), 30);
  assert.match(await page.locator("#chart-days-desc").textContent(), /^6 new contacts in the last 30 days/);
  // The tooltip of today's column.
  const tip = await page.locator("svg.chart-columns g.col").last().locator("title").textContent();
  assert.match(tip, /: 6 new contacts$/);
  // The bars are links a keyboard reaches.
  await bars.first().focus();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("href")), "/contacts?channel=telegram");
  await page.screenshot({ path: join(artifacts, "dashboard.png"), fullPage: true });

  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await noSidewaysScroll(page, "the dashboard");
  await page.screenshot({ path: join(artifacts, "dashboard-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("import a CSV through the wizard", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-import-"));
  const file = join(dir, "team-contacts.csv");
  let body = fixture.trimEnd() + "\n";
  for (let i = 0; i < extraRows; i++) body += `Person ${i},person${i}@example.com,,Company ${i % 50},\n`;
  writeFileSync(file, body);

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchConsole(page);
  await login(page, server);

  // Step 1: upload with the options.
  await page.goto(server.base + "/imports/new");
  await page.getByRole("heading", { name: "1. Upload a CSV file" }).waitFor();
  await page.screenshot({ path: join(artifacts, "import-1-upload.png"), fullPage: true });
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByLabel("Skip them: leave the contact as it is").check();
  await page.getByRole("button", { name: "Upload and review columns" }).click();
  await page.waitForURL(/\/imports\/new\/[0-9-a-f]+$/);

  // Step 2: the detected mapping; Firma is not recognised: make it the company.
  await page.getByRole("heading", { name: "2. Check how each column is read" }).waitFor();
  assert.equal(await page.getByLabel("Field for column E-mail").inputValue(), "email");
  assert.equal(await page.getByLabel("Field for column Mobile").inputValue(), "phone");
  assert.equal(await page.getByLabel("Field for column Firma").inputValue(), "");
  await page.getByLabel("Field for column Firma").selectOption("company");
  assert.equal(await page.locator("tr.changed").count(), 1);
  await page.screenshot({ path: join(artifacts, "import-2-columns.png"), fullPage: true });
  await page.getByRole("button", { name: "Preview the first rows" }).click();
  await page.waitForURL(/\/preview$/);

  // Step 3: the first 20 rows as stored, the bad ones with their problems.
  await page.getByRole("heading", { name: "3. Preview" }).waitFor();
  assert.match(await page.locator(".import-mapped").textContent(), /Firma → Company/);
  const row = (n) => page.locator(`tr[data-row="${n}"]`);
  assert.equal(await page.locator(".import-preview tbody tr").count(), 20);
  assert.match(await row(2).textContent(), /New contact[\s\S]*Ada Lovelace[\s\S]*Analytical Engines/);
  assert.match(await row(4).textContent(), /Fails[\s\S]*not-an-email/);
  assert.match(await row(6).textContent(), /Fails[\s\S]*phone/i);
  await page.screenshot({ path: join(artifacts, "import-3-preview.png"), fullPage: true });

  // Step 4: run it and watch the bar move to its end.
  await page.getByRole("button", { name: "Import all rows" }).click();
  await page.waitForURL(/\/imports\/[0-9]+$/);
  const importPath = new URL(page.url()).pathname;
  // Record every value the bar takes until the summary replaces it.
  const sawRunning = await page.evaluate(() => {
    const bar = document.querySelector("[data-import-progress]");
    window.progressSeen = [];
    if (!bar) return false;
    new MutationObserver(() => window.progressSeen.push(Number(bar.getAttribute("aria-valuenow"))))
      .observe(bar, { attributes: true, attributeFilter: ["aria-valuenow"] });
    return true;
  });
  assert.ok(sawRunning, "the import finished before its page showed the progress bar: make the file larger");
  await page.screenshot({ path: join(artifacts, "import-4-progress.png"), fullPage: true });
  await page.getByRole("heading", { name: "5. Summary" }).waitFor({ timeout: 120000 });
  const seen = await page.evaluate(() => window.progressSeen);
  assert.equal(seen.at(-1), 100, `the bar ended at ${seen.at(-1)}: ${seen}`);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `the bar went backwards: ${seen}`);
  assert.equal(await page.locator('.import-steps li[aria-current="step"]').textContent(), "Summary");
  await page.screenshot({ path: join(artifacts, "import-5-summary.png"), fullPage: true });

  // Step 5: the outcomes add up to the rows read.
  const count = async (key) => Number((await page.locator(`[data-count="${key}"]`).textContent()).replace(/,/g, ""));
  const rows = 6 + extraRows;
  assert.equal(await count("rows"), rows);
  assert.equal(await count("created"), rows - 2);
  assert.equal(await count("failed"), 2);
  const sum = (await count("created")) + (await count("updated")) + (await count("unchanged")) + (await count("skipped")) + (await count("failed"));
  assert.equal(sum, rows);
  assert.match(await page.locator("[data-import-sum]").textContent(), /every row read is counted once/);

  // The error rows, downloaded.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("[data-import-errors]").click()]);
  const report = csvRows(readFileSync(await download.path(), "utf8"));
  assert.deepEqual(report[0], ["row", "line", "column", "field", "value", "reason"]);
  assert.equal(report.length, 3, JSON.stringify(report));
  assert.equal(report[1][0], "4");
  assert.equal(report[1][4], "not-an-email");
  assert.equal(report[2][0], "6");
  assert.equal(report[2][4], "12");

  // The contacts are there, with the changed mapping applied.
  const ada = await server.api("GET", "/contacts?q=" + encodeURIComponent("ada@example.com"));
  assert.equal(ada.status, 200);
  assert.equal(ada.body.contacts.length, 1);
  assert.equal(ada.body.contacts[0].company, "Analytical Engines");
  assert.deepEqual([...ada.body.contacts[0].tags].sort(), ["math", "vip"]);
  const all = await server.api("GET", "/contacts?per_page=1");
  assert.equal(all.body.total, 6 + rows - 2);
  const bad = await server.api("GET", "/contacts?q=" + encodeURIComponent("badphone@example.com"));
  assert.equal(bad.body.contacts.length, 0);

  // The list of imports.
  await page.goto(server.base + "/imports");
  const listed = page.locator(`a[href="${importPath}"]`);
  assert.equal(await listed.textContent(), "team-contacts.csv");
  await page.screenshot({ path: join(artifacts, "imports.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("cancel a running import, then resume it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-import-"));
  const file = join(dir, "long.csv");
  let body = "Email,Name\n";
  const n = 60000;
  for (let i = 0; i < n; i++) body += `long${i}@example.com,Long ${i}\n`;
  writeFileSync(file, body);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/imports/new");
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload and review columns" }).click();
  await page.waitForURL(/\/imports\/new\/[0-9-a-f]+$/);
  await page.getByRole("button", { name: "Preview the first rows" }).click();
  await page.getByRole("button", { name: "Import all rows" }).click();
  await page.waitForURL(/\/imports\/[0-9]+$/);
  await page.getByRole("button", { name: "Cancel import" }).click();
  await page.getByRole("heading", { name: "5. Summary" }).waitFor({ timeout: 120000 });
  assert.equal(await page.locator("[data-import-status]").textContent(), "Cancelled");
  const rows = Number((await page.locator('[data-count="rows"]').textContent()).replace(/,/g, ""));
  assert.ok(rows < n, `all ${n} rows were imported despite the cancel`);
  assert.match(await page.locator(".import-status .notice").textContent(), /cancelled/);
  await page.screenshot({ path: join(artifacts, "import-cancelled.png"), fullPage: true });

  // Resume: it goes on from the last committed row to the end.
  await page.getByRole("button", { name: "Resume from where it stopped" }).click();
  await page.getByRole("heading", { name: "5. Summary" }).waitFor({ timeout: 120000 });
  await page.waitForFunction(() => document.querySelector("[data-import-status]")?.textContent === "Done", null, { timeout: 120000 });
  assert.equal(await page.locator('[data-count="created"]').textContent(), n.toLocaleString("en-US"));
  const all = await server.api("GET", "/contacts?per_page=1&q=" + encodeURIComponent("long59999@example.com"));
  assert.equal(all.body.contacts.length, 1);
  assert.deepEqual(problems, []);
});

test("the wizard fits a 375 px wide phone", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-import-"));
  const file = join(dir, "phone.csv");
  writeFileSync(file, fixture);
  const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  const problems = watchConsole(page);
  await login(page, server);
  await page.goto(server.base + "/imports/new");
  await noSidewaysScroll(page, "the upload step");
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByLabel("Update the contact with the row's values").check();
  await page.getByRole("button", { name: "Upload and review columns" }).click();
  await page.waitForURL(/\/imports\/new\/[0-9-a-f]+$/);
  await noSidewaysScroll(page, "the columns step");
  await page.screenshot({ path: join(artifacts, "import-2-columns-phone.png"), fullPage: true });
  await page.getByRole("button", { name: "Preview the first rows" }).click();
  await page.waitForURL(/\/preview$/);
  await noSidewaysScroll(page, "the preview step");
  // The rows are known now: they update (or leave alone) the contacts the
  // first import created.
  assert.match(await page.locator(`tr[data-row="2"]`).textContent(), /Updates a contact|No change/);
  await page.screenshot({ path: join(artifacts, "import-3-preview-phone.png"), fullPage: true });
  await page.getByRole("button", { name: "Import all rows" }).click();
  await page.getByRole("heading", { name: "5. Summary" }).waitFor({ timeout: 60000 });
  await noSidewaysScroll(page, "the summary");
  await page.screenshot({ path: join(artifacts, "import-5-summary-phone.png"), fullPage: true });
  await page.goto(server.base + "/imports");
  await noSidewaysScroll(page, "the imports list");
  assert.deepEqual(problems, []);
});
