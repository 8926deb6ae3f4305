// The live inbox: visitors write (one in the widget embedded on another
// site), their conversations show up and move up in the staff inbox
// without a reload, staff take over, reply (the reply shows in the
// widget), see the visitor's next message arrive live, and close it.
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

// markWindow marks the page's window; the mark survives only if the page is
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

  // A first shopper writes over the widget's HTTP API: the conversation
  // appears in the inbox without a reload.
  const say = async (visitor_id, text, name) => {
    const r = await fetch(`${server.base}/channels/widget/${ch.body.public_key}/messages`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ visitor_id, text, name }) });
    assert.equal(r.status, 201);
    return (await r.json()).message;
  };
  const botAnswered = async (conversationId, n) => {
    for (let i = 0; i < 100; i++) {
      const r = await server.api("GET", `/conversations/${conversationId}/messages`);
      if (r.body.messages.filter((m) => m.sender_kind === "bot").length >= n) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.fail(`the bot did not answer conversation ${conversationId}`);
  };
  const first = await say("bea-visitor-0001", "Do you sell gift cards?", "Bea Second");
  const bea = staff.locator(`#conv-${first.conversation_id}`);
  await bea.waitFor({ timeout: 10000 });
  assert.equal(await bea.locator(".inbox-name").textContent(), "Bea Second");
  await botAnswered(first.conversation_id, 1);

  // The visitor writes in the widget embedded on the shop's site.
  const visitorCtx = await browser.newContext();
  const visitor = await visitorCtx.newPage();
  const visitorProblems = watchConsole(visitor);
  await visitor.goto(`http://127.0.0.1:${site.address().port}/`);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  await visitor.getByLabel("Message").fill(XSS_TEXT);
  await visitor.getByRole("button", { name: "Send" }).click();
  await visitor.locator('.sbw-msg[data-sender="contact"]').first().waitFor();
  await visitor.locator('.sbw-msg[data-sender="bot"]').first().waitFor({ timeout: 10000 });

  // It appears on top, live; its text stays text.
  await staff.locator(".inbox-row").nth(1).waitFor({ timeout: 10000 });
  const top = staff.locator(".inbox-row").first();
  const convId = await top.getAttribute("data-id");
  assert.notEqual(convId, String(first.conversation_id));
  await staff.locator(`#conv-${convId} .inbox-preview`, { hasText: "Bot:" }).waitFor({ timeout: 10000 });
  assert.match(await staff.locator("#inbox-count").textContent(), /^2 open conversations/);
  assert.equal(await top.locator(".badge", { hasText: "widget" }).count(), 1);
  assert.equal(await staff.locator("img").count(), 0);

  // A new message moves Bea's conversation back to the top, live.
  await say("bea-visitor-0001", "Hello again? <b>anyone</b>");
  await staff.locator(".inbox-row").first().and(bea).waitFor({ timeout: 10000 });
  await bea.locator(".inbox-preview", { hasText: "<b>anyone</b>" }).or(bea.locator(".inbox-preview", { hasText: "Bot:" })).first().waitFor();
  assert.ok(await windowKept(staff), "the inbox reloaded");

  // The widget visitor's name is hostile; it stays text everywhere.
  const found = await server.api("GET", "/contacts?channel=widget");
  assert.equal(found.body.total, 2);
  const contact = found.body.contacts.find((c) => c.first_name !== "Bea");
  const patched = await server.api("PATCH", `/contacts/${contact.id}`, { first_name: XSS_NAME, email: "shopper@example.com", tags: ["vip"] });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  await staff.reload();
  await staff.locator("html[data-inbox-live]").waitFor();
  assert.equal(await staff.locator(`#conv-${convId} .inbox-name`).textContent(), XSS_NAME);
  assert.equal(await staff.locator("img").count(), 0);
  await staff.screenshot({ path: join(artifacts, "inbox.png") });
  await staff.setViewportSize({ width: 375, height: 800 });
  const listOverflow = await staff.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(listOverflow <= 0, `the inbox scrolls sideways by ${listOverflow}px at 375px`);
  await staff.screenshot({ path: join(artifacts, "inbox-phone.png") });
  await staff.setViewportSize({ width: 1280, height: 860 });

  // Staff open it: the transcript with customer and bot told apart, the
  // contact card beside it.
  await staff.locator(`#conv-${convId} .inbox-link`).click();
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
  // Staff have it: the bot stays silent.
  await staff.waitForTimeout(1000);
  assert.equal(await staff.locator('#inbox-transcript li[data-sender="staff"] ~ li[data-sender="bot"]').count(), 0);
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

  // Close it: back in the inbox, where Bea's is left.
  await staff.getByRole("button", { name: "Close" }).click();
  await staff.waitForURL(server.base + "/inbox");
  await staff.getByText(`Closed the conversation with ${XSS_NAME}.`).waitFor();
  assert.match(await staff.locator("#inbox-count").textContent(), /^1 open conversation\b/);
  assert.equal(await staff.locator(`#conv-${convId}`).count(), 0);
  const convs = await server.api("GET", `/contacts/${contact.id}/conversations`);
  assert.equal(convs.body.conversations[0].status, "closed");

  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  assert.deepEqual(visitorProblems, []);
  await staffCtx.close();
  await visitorCtx.close();
});
