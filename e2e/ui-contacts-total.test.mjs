// The contact list when a view's total is slow to count: the first page
// comes without it ("counting the matches"), and the page's script fetches
// the total and puts it and the pager in place, keeping the selection. The
// server runs with --list-count-wait=-1ms, so every new view's total is
// pending, as a slow filter's is at a million contacts.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await startServer(["--list-count-wait=-1ms"]);
  browser = await launchBrowser();
  for (let i = 0; i < 30; i++) {
    const r = await server.api("POST", "/contacts", { name: `Pending Person ${String(i).padStart(2, "0")}`, tags: ["later"] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a first page before its total: the total and the pager follow", async () => {
  const page = await browser.newPage();
  const problems = watchConsole(page);
  await login(page, server);

  const served = page.waitForResponse((r) => new URL(r.url()).pathname === "/contacts" && r.request().isNavigationRequest());
  await page.goto(server.base + "/contacts?tags=later");
  const html = await (await served).text();
  assert.match(html, /data-total-pending="true"/, "the page came with its total");
  assert.match(html, /counting the matches/);

  // The script asks for the total and puts it in place.
  const count = page.locator("#contacts-count");
  await count.filter({ hasText: "1–25 of 30" }).waitFor();
  assert.equal(await page.locator(".contacts-table[data-total-pending]").count(), 0);
  assert.equal(await page.locator('.contacts-table').getAttribute("data-total"), "30");
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Page 2" }).waitFor();
  assert.equal(await page.locator(".contacts-table tbody tr").count(), 25);

  // Selecting the page now offers every match, counted.
  await page.getByLabel("Select every contact on this page").check();
  await page.getByRole("button", { name: "Select all 30 matching" }).waitFor();

  // Sorting by name is a new view too, loaded by the script: its total
  // follows the same way.
  const sorted = page.waitForResponse((r) => new URL(r.url()).searchParams.get("sort") === "name" && r.request().headers()["x-fragment"] === "1" && !r.request().headers()["x-count"]);
  await page.getByRole("link", { name: "Name", exact: true }).click();
  assert.match(await (await sorted).text(), /data-total-pending="true"/);
  await page.waitForFunction(() => !document.querySelector(".contacts-table[data-total-pending]"));
  assert.equal((await count.textContent()).trim(), "1–25 of 30");
  assert.equal(await page.locator(".contacts-table tbody tr").first().locator(".contact-name").textContent(), "Pending Person 00");
  assert.deepEqual(problems, []);
});
