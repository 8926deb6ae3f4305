// Signing in and out of the admin UI, the password change, and the page
// frame: keyboard reachable, no console errors, usable at phone width.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("sign in, change the password, sign out", async () => {
  const page = await browser.newPage();
  const problems = watchConsole(page);
  await page.goto(server.base + "/account");
  assert.match(page.url(), /\/login\?next=%2Faccount$/);

  await page.getByLabel("Email").fill(server.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("Wrong email or password.").waitFor();
  await page.screenshot({ path: join(artifacts, "login.png") });

  await page.getByLabel("Password").fill(server.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(server.base + "/account");
  await page.getByRole("heading", { name: "Your account" }).waitFor();

  await page.getByLabel("Current password").fill(server.password);
  await page.getByLabel("New password (8 to 72 characters)").fill("a new password");
  await page.getByLabel("Repeat the new password").fill("a new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText("Your password has been changed.").waitFor();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login$/);
  await login(page, server, server.email, "a new password");
  server.password = "a new password";
  assert.deepEqual(problems, []);
});

test("the frame works by keyboard and at phone width", async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  const problems = watchConsole(page);
  await login(page, server);
  // The first Tab reaches the skip link, which moves focus to the content.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
  // At phone width the navigation folds into a menu.
  const nav = page.getByRole("navigation", { name: "Main" });
  assert.equal(await nav.isVisible(), false);
  await page.getByRole("button", { name: "Menu" }).click();
  assert.equal(await nav.isVisible(), true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375px`);
  await page.screenshot({ path: join(artifacts, "frame-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
});
