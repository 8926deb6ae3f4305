// The live inbox: a visitor writes in the widget embedded on another site,
// the conversation shows up in the staff inbox without a reload, staff take
// over, reply (the reply shows in the widget), see the visitor's next
// message arrive live, and close the conversation.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { join } from "node:path";
import { artifacts, launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

const XSS_NAME = "<img src=x onerror=alert(1)>";
const XSS_TEXT = "Hello from the shop <script>alert(1)</script>";

let server, browser, site;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  site?.close();
  server?.stop();
});

// noReload marks the page's window; the mark survives only if the page is
// never reloaded or left.
const markWindow = (page) => page.evaluate(() => { window.__inboxMark = "kept"; });
const windowKept = async (page) => (await page.evaluate(() => window.__inboxMark)) === "kept";

test("a widget visitor and staff chat live through the inbox", async () => {
  const ch = await server.api("POST", "/channels", { type: "widget", name: "Shop" });
  assert.equal(ch.status, 201, JSON.stringify(ch.body));
  // A site on another origin (another port) embedding the widget script.
  site = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><title>Shop</title><link rel="icon" href="data:,"></head><body><h1>Shop</h1>
      <script src="${server.base}/widget.js" data-key="${ch.body.public_key}" async></script></body></html>`);
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));

  // Staff have the inbox open, and it is live before anyone writes.
  const staffCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const staff = await staffCtx.newPage();
  const problems = watchConsole(staff);
  const dialogs = [];
  staff.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  await login(staff, server);
  await staff.goto(server.base + "/inbox");
  await staff.getByRole("heading", { name: "Inbox" }).waitFor();
  await staff.locator("html[data-inbox-live]").waitFor();
  assert.match(await staff.locator("#inbox-count").textContent(), /^0 open conversations/);
  await markWindow(staff);

  // The visitor writes on the shop's site.
  const visitorCtx = await browser.newContext();
  const visitor = await visitorCtx.newPage();
  const visitorProblems = watchConsole(visitor);
  await visitor.goto(`http://127.0.0.1:${site.address().port}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  await visitor.getByLabel("Message").fill(XSS_TEXT);
  await visitor.getByRole("button", { name: "Send" }).click();
  await visitor.locator('.sbw-msg[data-sender="contact"]').first().waitFor();

  // The conversation appears in the inbox without a reload, its text as text.
  const row = staff.locator(".inbox-row").first();
  await row.waitFor({ timeout: 10000 });
  assert.ok(await windowKept(staff), "the inbox reloaded");
  assert.match(await staff.locator("#inbox-count").textContent(), /^1 open conversation\b/);
  assert.equal(await row.locator(".badge", { hasText: "widget" }).count(), 1);

  // The contact's name is hostile; it stays text everywhere.
  const found = await server.api("GET", "/contacts?channel=widget");
  assert.equal(found.body.total, 1);
  const contact = found.body.contacts[0];
  const patched = await server.api("PATCH", `/contacts/${contact.id}`, { first_name: XSS_NAME, email: "shopper@example.com", tags: ["vip"] });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  // The bot's greeting moves the row again; then the row shows the new name.
  await staff.locator(".inbox-preview", { hasText: "Bot:" }).waitFor({ timeout: 10000 });
  await staff.reload();
  await staff.locator("html[data-inbox-live]").waitFor();
  assert.equal(await staff.locator(".inbox-name").first().textContent(), XSS_NAME);
  assert.equal(await staff.locator("img").count(), 0);
  await staff.screenshot({ path: join(artifacts, "inbox.png") });

  // Staff open it: the transcript with customer and bot told apart, the
  // contact card beside it.
  await staff.locator(".inbox-link").first().click();
  await staff.waitForURL(/\/inbox\/\d+$/);
  await staff.getByRole("heading", { name: XSS_NAME }).waitFor();
  const customerMsg = staff.locator('#inbox-transcript li[data-sender="contact"]').first();
  assert.equal(await customerMsg.locator(".msg-text").textContent(), XSS_TEXT);
  assert.equal(await customerMsg.locator(".msg-who").textContent(), "Customer");
  await staff.locator('#inbox-transcript li[data-sender="bot"] .msg-who', { hasText: "Bot" }).first().waitFor();
  const card = staff.locator("aside.inbox-contact");
  await card.getByText("shopper@example.com").waitFor();
  await card.getByText("vip").waitFor();
  assert.equal(await card.getByRole("link", { name: "Open the profile" }).getAttribute("href"), `/contacts/${contact.id}`);

  // Take over from the bot, so the bot stays out of it.
  await staff.getByRole("button", { name: "Take over from the bot" }).click();
  await staff.getByRole("button", { name: "Hand back to the bot" }).waitFor();
  await staff.locator("html[data-inbox-live]").waitFor();
  await markWindow(staff);

  // The staff reply goes out through the widget.
  await staff.getByLabel("Reply as staff").fill("A person here: yes, it ships tomorrow.");
  await staff.getByRole("button", { name: "Send reply" }).click();
  await staff.locator('#inbox-transcript li[data-sender="staff"]', { hasText: "it ships tomorrow" }).waitFor();
  assert.equal(await staff.getByLabel("Reply as staff").inputValue(), "");
  const staffInWidget = visitor.locator('.sbw-msg[data-sender="staff"]');
  await staffInWidget.waitFor({ timeout: 10000 });
  assert.equal(await staffInWidget.textContent(), "A person here: yes, it ships tomorrow.");

  // The visitor's next message appears in the open transcript, live.
  await visitor.getByLabel("Message").fill("Great, thanks! Can I pay by card?");
  await visitor.getByRole("button", { name: "Send" }).click();
  await staff.locator('#inbox-transcript li[data-sender="contact"]', { hasText: "Can I pay by card?" }).waitFor({ timeout: 10000 });
  assert.ok(await windowKept(staff), "the conversation page reloaded");
  // Staff have it: the bot did not answer.
  assert.equal(await staff.locator('#inbox-transcript li[data-sender="bot"]').count(), 1);
  await staff.screenshot({ path: join(artifacts, "inbox-conversation.png"), fullPage: true });

  // At phone width the contact card sits below the transcript, and nothing
  // scrolls sideways.
  await staff.setViewportSize({ width: 375, height: 800 });
  const transcriptBox = await staff.locator(".inbox-transcript-card").boundingBox();
  const cardBox = await card.boundingBox();
  assert.ok(cardBox.y >= transcriptBox.y + transcriptBox.height, "the contact card is not below the transcript at 375px");
  const overflow = await staff.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 375px`);
  await staff.screenshot({ path: join(artifacts, "inbox-conversation-phone.png"), fullPage: true });
  await staff.setViewportSize({ width: 1280, height: 860 });

  // Close it: back in the inbox, which has nothing open.
  await staff.getByRole("button", { name: "Close" }).click();
  await staff.waitForURL(server.base + "/inbox");
  await staff.getByText(`Closed the conversation with ${XSS_NAME}.`).waitFor();
  assert.match(await staff.locator("#inbox-count").textContent(), /^0 open conversations/);
  const convs = await server.api("GET", `/contacts/${contact.id}/conversations`);
  assert.equal(convs.body.conversations[0].status, "closed");

  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  assert.deepEqual(visitorProblems, []);
  await staffCtx.close();
  await visitorCtx.close();
});
