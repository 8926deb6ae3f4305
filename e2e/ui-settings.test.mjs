// The settings pages in a real browser: channels (widget embed code and
// live preview, Telegram with a write-only token and its webhook URL),
// API keys shown once and revoked, a new agent refused settings, the bot,
// screenshots of every page, no console errors, no sideways scroll at 375 px.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

let server, browser, context, page, problems;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
  page = await context.newPage();
  problems = watchConsole(page);
  await login(page, server);
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const shot = (name) => page.screenshot({ path: join(artifacts, `settings-${name}.png`), fullPage: true });

test("the settings index lists every section", async () => {
  await page.goto(server.base + "/settings");
  for (const name of ["Channels", "Bot", "API keys", "Users", "Privacy & retention", "Webhooks", "Audit log"]) {
    await page.getByRole("heading", { name }).waitFor();
  }
  await shot("index");
  assert.deepEqual(problems, []);
});

test("a widget channel: embed code to copy and a live preview", async () => {
  await page.goto(server.base + "/settings/channels");
  await page.getByRole("link", { name: "Add Website widget" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Shop <b>site</b>");
  await page.getByLabel("email", { exact: true }).check();
  await page.getByRole("button", { name: "Create channel" }).click();
  await page.getByRole("heading", { name: "Shop <b>site</b>" }).waitFor();
  await page.getByText('Channel "Shop <b>site</b>" created.').waitFor();

  const snippet = await page.locator("#embed-snippet").textContent();
  assert.match(snippet, new RegExp(`^<script src="${server.base}/widget\\.js" data-key="pk_[\\w-]+" async></script>$`));
  await page.getByRole("button", { name: "Copy code" }).click();
  await page.getByText("Copied.").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
  // The notice sits over the corner where the preview's bubble is.
  await page.getByText("Copied.").waitFor({ state: "detached" });

  // The preview frames a page with the real widget: open it and write.
  // The bubble is fixed in the frame's corner: bring the whole frame into view.
  await page.locator("iframe.preview").scrollIntoViewIfNeeded();
  const frame = page.frameLocator("iframe.preview");
  await frame.getByRole("button", { name: "Open chat" }).click();
  await frame.getByLabel("Your email").fill("preview@example.com"); // the pre-chat question ticked above
  await frame.getByLabel("Message").fill("Hello from the preview");
  await frame.getByRole("button", { name: "Send" }).click();
  await frame.locator('.sbw-msg[data-sender="bot"]').first().waitFor({ timeout: 10000 });
  await shot("channel-widget");

  const list = await server.api("GET", "/contacts?channel=widget");
  assert.equal(list.body.total, 1, "the preview's visitor reached the contacts");
  assert.equal(list.body.contacts[0].email, "preview@example.com");
  assert.deepEqual(problems, []);
});

test("a Telegram channel: the token is write-only, the webhook URL is shown", async () => {
  const token = "123456:AAF-e2e-telegram-token-secret";
  await page.goto(server.base + "/settings/channels/new?type=telegram");
  await page.getByLabel("Name").fill("Support bot");
  await page.getByLabel("Bot token").fill(token);
  await page.getByRole("button", { name: "Generate" }).click();
  const secretToken = await page.getByLabel("Webhook secret token").inputValue();
  assert.ok(secretToken.length >= 16, "a secret token was generated");
  await page.getByRole("button", { name: "Create channel" }).click();
  await page.getByRole("heading", { name: "Webhook URL" }).waitFor();

  const url = await page.locator("#webhook-url").textContent();
  assert.match(url, new RegExp(`^${server.base}/channels/telegram/\\d+/webhook$`));
  const html = await page.content();
  assert.ok(!html.includes(token) && !html.includes(secretToken), "a secret is on the page");
  assert.equal(await page.locator("label[for=cfg-token] [data-secret-state]").textContent(), "set");
  assert.equal(await page.getByLabel("Bot token").inputValue(), "");

  // Saving with the secrets left empty keeps them.
  await page.getByLabel("Name").fill("Support bot 2");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Channel settings saved.").waitFor();
  const id = url.match(/telegram\/(\d+)\//)[1];
  const ch = await server.api("GET", `/channels/${id}`);
  assert.equal(ch.body.name, "Support bot 2");
  assert.equal(ch.body.config.token_set, true);
  assert.equal(ch.body.config.secret_token_set, true);
  await shot("channel-telegram");

  const audit = await server.api("GET", "/audit?action=channel.create,channel.update");
  const text = JSON.stringify(audit.body);
  assert.ok(audit.body.entries.filter((e) => e.after?.type === "telegram").length === 2, text);
  assert.ok(!text.includes(token) && !text.includes(secretToken), "a secret is in the audit log");
  assert.deepEqual(problems, []);
});

test("a WhatsApp channel shows the QR code and its state live", async () => {
  await page.goto(server.base + "/settings/channels/new?type=whatsapp");
  await page.getByLabel("Name").fill("Phone");
  await page.getByRole("button", { name: "Create channel" }).click();
  await page.getByRole("heading", { name: "Linked phone" }).waitFor();
  await page.getByText("not linked").waitFor();
  const id = new URL(page.url()).pathname.split("/").pop();
  await shot("channel-whatsapp");

  // Nothing here reaches WhatsApp: its answers are played by the test, in
  // the shape the pairing API gives (a PNG data URL of the QR code).
  const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==";
  let state = { state: "pairing", qr: "2@code", qr_png: png, pairing_code: null };
  await page.route(`**/api/v1/channels/${id}/pairing`, (route) => route.fulfill({ json: state }));
  await page.getByRole("button", { name: "Link a phone" }).click();
  const qr = page.getByRole("img", { name: "QR code to scan with WhatsApp" });
  await qr.waitFor();
  assert.equal(await qr.getAttribute("src"), png);
  await page.getByText("waiting for the phone to scan").waitFor();
  assert.equal(await page.getByRole("button", { name: "Link a phone" }).isVisible(), false);
  // The phone scans: the next poll shows it connected and the QR goes.
  state = { state: "connected", qr: null, qr_png: null, pairing_code: null };
  await page.getByText("connected", { exact: true }).waitFor({ timeout: 10000 });
  assert.equal(await qr.isVisible(), false);
  await page.unroute(`**/api/v1/channels/${id}/pairing`);
  assert.deepEqual(problems, []);
});

test("an API key is shown once, works, and stops working when revoked", async () => {
  await page.goto(server.base + "/settings/api-keys");
  await page.getByLabel("Name of the new key").fill("E2E integration");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByText("it is shown only this once").waitFor();
  const secret = await page.locator("#secret-value").textContent();
  assert.match(secret, /^sb_[\w-]{43}$/);
  await shot("api-key-created");
  const use = (key) => fetch(server.base + "/api/v1/contacts", { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.status);
  assert.equal(await use(secret), 200);

  await page.reload();
  await page.getByText("was shown once and is not kept").waitFor();
  assert.ok(!(await page.content()).includes(secret), "the key shows again after a reload");

  await page.goto(server.base + "/settings/api-keys");
  const row = page.getByRole("row", { name: /E2E integration/ });
  await row.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: /Revoke “E2E integration”/ });
  await dialog.waitFor();
  await shot("api-key-revoke");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await dialog.isVisible(), false);
  assert.equal(await use(secret), 200, "cancel revoked the key");
  await row.getByRole("button", { name: "Revoke" }).click();
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await page.getByText("no longer works").waitFor();
  assert.equal(await use(secret), 401);
  await shot("api-keys");
  assert.deepEqual(problems, []);
});

test("a new agent signs in and is refused the settings", async () => {
  await page.goto(server.base + "/settings/users");
  await page.getByLabel("Email").fill("agent@example.com");
  await page.getByLabel("Role", { exact: true }).selectOption("agent");
  await page.getByRole("button", { name: "Add user" }).click();
  await page.getByRole("heading", { name: "User added" }).waitFor();
  const password = await page.locator("#secret-value").textContent();
  await page.goto(server.base + "/settings/users");
  await page.getByRole("cell", { name: "agent@example.com", exact: true }).waitFor();
  await shot("users");

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  const agentProblems = watchConsole(agent);
  await login(agent, server, "agent@example.com", password);
  assert.equal(await agent.getByRole("link", { name: "Settings" }).count(), 0, "an agent sees the settings link");
  for (const path of ["/settings", "/settings/channels", "/settings/bot", "/settings/users"]) {
    const res = await agent.goto(server.base + path);
    assert.equal(res.status(), 403, path);
    const message = await agent.getByRole("alert").textContent();
    assert.match(message, path === "/settings/users" ? /only owners manage users/ : /only admins and owners change settings/, path);
  }
  await agent.screenshot({ path: join(artifacts, "settings-agent-refused.png") });
  const apiRes = await agent.evaluate(async () => {
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    const r = await fetch("/api/v1/channels", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: '{"type":"widget"}' });
    return r.status;
  });
  assert.equal(apiRes, 403);
  // A refused page is an answer, not a script error.
  assert.deepEqual(agentProblems.filter((p) => !p.includes("403")), []);
  await agentContext.close();
  assert.deepEqual(problems, []);
});

test("the bot settings save and validate", async () => {
  await page.goto(server.base + "/settings/bot");
  await page.getByLabel("Persona").fill("You are Ana, the assistant of the E2E shop.");
  await page.getByLabel("Knowledge").fill("We open at 9.");
  // The browser checks the number before the server does.
  const after = page.getByLabel("Number of customer messages before asking");
  await after.fill("300");
  assert.equal(await after.evaluate((el) => el.validity.valid), false);
  await after.fill("3");
  assert.equal(await page.getByLabel("After", { exact: true }).isChecked(), true, "typing the number picks its choice");
  await page.getByLabel("phone").check();
  await page.getByRole("button", { name: "Save bot settings" }).click();
  await page.getByText("Bot settings saved. The bot is on.").waitFor();
  const bot = await server.api("GET", "/bot");
  assert.equal(bot.body.persona, "You are Ana, the assistant of the E2E shop.");
  assert.equal(bot.body.collect_email, "after:3");
  assert.deepEqual(bot.body.collect, ["phone"]);
  await shot("bot");
  assert.deepEqual(problems, []);
});

test("privacy, webhooks and the audit log", async () => {
  await page.goto(server.base + "/settings/privacy");
  await page.getByLabel("Grace period in days (0: erase at once)").fill("14");
  await page.getByRole("button", { name: "Save privacy settings" }).click();
  await page.getByText("Privacy settings saved.").waitFor();
  await shot("privacy");

  await page.goto(server.base + "/settings/webhooks");
  await page.getByLabel("URL").fill("https://crm.example.com/hooks/switchboard");
  await page.getByLabel("Description").fill("CRM <script>alert(1)</script>");
  await page.getByRole("button", { name: "Add webhook" }).click();
  await page.getByText("it is shown only this once").waitFor();
  assert.match(await page.locator("#secret-value").textContent(), /^whsec_/);
  await page.getByRole("link", { name: "Back to the webhook" }).click();
  await page.getByText("CRM <script>alert(1)</script>").waitFor();
  await shot("webhook");
  await page.goto(server.base + "/settings/webhooks");
  await shot("webhooks");

  await page.goto(server.base + "/settings/audit");
  await page.getByLabel("Action").selectOption("bot.update");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/action=bot\.update/);
  await page.locator("ins", { hasText: "after:3" }).waitFor();
  await page.goto(server.base + "/settings/audit");
  await shot("audit");
  assert.deepEqual(problems, []);
});

test("every settings page fits a 375 px phone", async () => {
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 375, height: 740 });
  const phoneProblems = watchConsole(phone);
  const channels = await server.api("GET", "/channels");
  const paths = ["/settings", "/settings/channels", "/settings/channels/new?type=messenger", "/settings/bot", "/settings/api-keys",
    "/settings/users", "/settings/privacy", "/settings/webhooks", "/settings/webhooks/1", "/settings/audit",
    ...channels.body.channels.map((c) => `/settings/channels/${c.id}`)];
  for (const path of paths) {
    const res = await phone.goto(server.base + path);
    assert.equal(res.status(), 200, path);
    const [overflow, wide] = await phone.evaluate(() => [document.documentElement.scrollWidth - window.innerWidth,
      [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 8).map((el) => `${el.tagName}.${el.className}`)]);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 375px: ${wide}`);
  }
  await phone.goto(server.base + "/settings/channels/1");
  await phone.screenshot({ path: join(artifacts, "settings-channel-phone.png"), fullPage: true });
  await phone.goto(server.base + "/settings/audit");
  await phone.screenshot({ path: join(artifacts, "settings-audit-phone.png"), fullPage: true });
  assert.deepEqual(phoneProblems, []);
  assert.deepEqual(problems, []);
});
