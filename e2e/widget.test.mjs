// A visitor writes in the hosted live-chat page (the embeddable widget, full
// page), the contact appears, the bot's greeting shows, staff answer from
// the API and the answer shows in the page without a reload.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { join } from "node:path";
import { artifacts, launchBrowser, startServer } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("visitor chats live with the bot and staff", async () => {
  const ch = await server.api("POST", "/channels", { type: "livechat", name: "Help <b>desk</b>" });
  assert.equal(ch.status, 201, JSON.stringify(ch.body));
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${server.base}/chat/${ch.body.public_key}`);
  assert.equal(await page.title(), "Help <b>desk</b>"); // the name stays text

  await page.getByLabel("Message").fill("Hello from the browser <script>alert(1)</script>");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator('.sbw-msg[data-sender="contact"]').first().waitFor();
  assert.equal(await page.locator('.sbw-msg[data-sender="contact"]').first().textContent(),
    "Hello from the browser <script>alert(1)</script>");
  const greeting = page.locator('.sbw-msg[data-sender="bot"]').first();
  await greeting.waitFor({ timeout: 10000 });
  assert.match(await greeting.textContent(), /^Hi!/);

  const list = await server.api("GET", "/contacts?channel=livechat");
  assert.equal(list.body.total, 1);
  const contact = list.body.contacts[0];
  const convs = await server.api("GET", `/contacts/${contact.id}/conversations`);
  const sent = await server.api("POST", `/conversations/${convs.body.conversations[0].id}/messages`, { text: "A person here: how can I help?" });
  assert.equal(sent.status, 201);
  const staff = page.locator('.sbw-msg[data-sender="staff"]');
  await staff.waitFor({ timeout: 10000 });
  assert.equal(await staff.textContent(), "A person here: how can I help?");

  await page.screenshot({ path: join(artifacts, "livechat.png") });
  assert.deepEqual(problems, []);
});

test("the widget embeds on another site and keeps the visitor", async () => {
  const ch = await server.api("POST", "/channels", { type: "widget", name: "Shop" });
  // A site on another origin (another port) that embeds the script.
  const site = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><title>Shop</title><link rel="icon" href="data:,"></head><body><h1>Shop</h1>
      <script src="${server.base}/widget.js" data-key="${ch.body.public_key}" async></script></body></html>`);
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  after(() => site.close());
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${site.address().port}/`);
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.getByLabel("Message").fill("Is the blue one in stock?");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator('.sbw-msg[data-sender="bot"]').first().waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(artifacts, "widget.png") });
  // Reloaded, the visitor sees the same conversation.
  await page.reload();
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.locator('.sbw-msg[data-sender="contact"]').first().waitFor();
  assert.equal(await page.locator(".sbw-msg").count(), 2);
});

test("the pre-chat form collects what the channel asks for", async () => {
  const ch = await server.api("POST", "/channels", { type: "livechat", name: "Sales", config: { collect: ["name", "email"] } });
  const page = await browser.newPage();
  await page.goto(`${server.base}/chat/${ch.body.public_key}`);
  await page.getByLabel("Your email").fill("not-an-email");
  await page.getByLabel("Message").fill("I'd like a quote");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator(".sbw-err", { hasText: "email" }).waitFor(); // the server's validation, shown
  assert.equal(await page.getByLabel("Message").inputValue(), "I'd like a quote"); // not lost
  await page.getByLabel("Your name").fill("Rita Moreno");
  await page.getByLabel("Your email").fill("rita@example.com");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator('.sbw-msg[data-sender="bot"]').first().waitFor({ timeout: 10000 });
  assert.match(await page.locator('.sbw-msg[data-sender="bot"]').first().textContent(), /^Hi Rita!/);
  assert.equal(await page.getByLabel("Your email").isVisible(), false); // the form is done
  const found = await server.api("GET", "/contacts?q=rita@example.com");
  assert.equal(found.body.total, 1);
  assert.equal(found.body.contacts[0].last_name, "Moreno");
  await page.screenshot({ path: join(artifacts, "prechat.png") });
});

test("a site's logged-in user is one contact on every device, and logging out starts afresh", async () => {
  const secret = "e2e-identity-secret-0123456789";
  const ch = await server.api("POST", "/channels", { type: "widget", name: "Members", config: { identity_secret: secret } });
  assert.equal(ch.status, 201, JSON.stringify(ch.body));
  assert.equal(ch.body.config.identity_secret, undefined); // write-only
  // The site signs its user's id on its server, as the README shows.
  const hash = createHmac("sha256", secret).update("user-42").digest("hex");
  const site = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><title>Members</title><link rel="icon" href="data:,"></head><body><h1>Members</h1>
      <script src="${server.base}/widget.js" data-key="${ch.body.public_key}" data-identifier="user-42"
        data-identifier-hash="${hash}" async></script></body></html>`);
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  after(() => site.close());
  const send = async (page, text) => {
    await page.getByLabel("Message").fill(text);
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator(".sbw-msg", { hasText: text }).waitFor();
  };
  const widgetContacts = async () => (await server.api("GET", "/contacts?channel=widget&limit=100")).body.contacts;
  const before = (await widgetContacts()).length;

  // Two browsers (a laptop and a phone: separate storage) of one user.
  const laptop = await browser.newPage();
  await laptop.goto(`http://127.0.0.1:${site.address().port}/`);
  await laptop.getByRole("button", { name: "Open chat" }).click();
  await send(laptop, "Hello from the laptop");
  const phone = await browser.newPage();
  await phone.goto(`http://127.0.0.1:${site.address().port}/`);
  await phone.getByRole("button", { name: "Open chat" }).click();
  await send(phone, "Hello from the phone");
  let cs = await widgetContacts();
  assert.equal(cs.length, before + 1, JSON.stringify(cs));
  assert.equal(cs.filter((c) => c.external_id === "user-42").length, 1);

  // Logged out on the laptop: a new anonymous visitor, who sees nothing of
  // the user's conversation.
  await laptop.evaluate(() => window.Switchboard.identify(null));
  assert.equal(await laptop.locator(".sbw-msg", { hasText: "Hello from the laptop" }).count(), 0);
  await send(laptop, "Just browsing");
  cs = await widgetContacts();
  assert.equal(cs.length, before + 2, JSON.stringify(cs));
  assert.equal(cs.filter((c) => c.external_id === "user-42").length, 1);
});
