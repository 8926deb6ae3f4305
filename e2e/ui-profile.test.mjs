// The contact profile in a real browser: an inline edit refused by the
// server then saved, a tag and a note added in place, a transcript opened;
// two duplicates merged from the duplicates page with a field winner, and
// the merge undone; a merge started from a profile's dialog; a contact
// deleted keeping its history anonymised; hostile names and messages shown
// as text. Screenshots of the profile, the merge page and the duplicates
// page land in e2e/artifacts.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, launchBrowser, login, startServer, watchConsole } from "./harness.mjs";

let server, browser, chat;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const ch = await server.api("POST", "/channels", { type: "livechat", name: "Help" });
  assert.equal(ch.status, 201, JSON.stringify(ch.body));
  chat = ch.body.public_key;
});
after(async () => {
  await browser?.close();
  server?.stop();
});

let visitors = 0;

// visitorSays posts a live-chat message as a new visitor (with the name and
// email the pre-chat form would send) and returns the contact it made and
// its conversation.
async function visitorSays(text, hints = {}) {
  const visitor = `e2e-visitor-${++visitors}-${Date.now()}`;
  const r = await fetch(`${server.base}/channels/widget/${chat}/messages`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ visitor_id: visitor, text, ...hints }),
  });
  const raw = await r.text();
  assert.equal(r.status, 201, raw);
  const { message } = JSON.parse(raw);
  const found = await server.api("GET", "/contacts?q=" + encodeURIComponent(hints.email));
  assert.equal(found.body.total, 1, JSON.stringify(found.body));
  return { contact: found.body.contacts[0], conversationID: message.conversation_id };
}

// newPage is a signed-in page that records console errors and any dialog
// (an alert() from injected markup would open one).
async function newPage(opts) {
  const page = await browser.newPage(opts);
  const problems = watchConsole(page);
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  await login(page, server);
  return { page, problems, dialogs };
}

test("edit a field inline, add a tag and a note, read a transcript", async () => {
  const { contact, conversationID } = await visitorSays("Hello, do you ship to Berlin?", { name: "Grace Hopper", email: "grace@example.com" });
  const { page, problems, dialogs } = await newPage();
  await page.goto(`${server.base}/contacts/${contact.id}`);
  await page.getByRole("heading", { level: 1, name: "Grace Hopper" }).waitFor();

  // The server refuses an invalid email; the message sits at the field.
  const basic = page.locator('[data-card="basic"]');
  await basic.getByRole("button", { name: "Edit Email" }).click();
  const email = basic.getByLabel("Email", { exact: true });
  await email.fill("not-an-email");
  await basic.getByRole("button", { name: "Save" }).click();
  await page.locator("#pf-e-email", { hasText: "Email is not a valid email address." }).waitFor();
  assert.equal(await page.locator("#pf-email").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#pf-email").evaluate((el) => el === document.activeElement), true);
  // Corrected, it saves and shows.
  await page.locator("#pf-email").fill("grace.hopper@example.com");
  await page.locator('[data-card="basic"]').getByRole("button", { name: "Save" }).click();
  await page.locator('[data-card="basic"] [data-field="email"] .pf-value', { hasText: "grace.hopper@example.com" }).waitFor();
  assert.equal(await page.locator("#pf-e-email").count(), 0);
  const saved = await server.api("GET", `/contacts/${contact.id}`);
  assert.equal(saved.body.email, "grace.hopper@example.com");
  assert.equal(saved.body.sources.email.source, "staff");

  // Custom fields edit in place too, one "key = value" per line.
  const custom = page.locator('[data-card="custom"]');
  await custom.getByRole("button", { name: "Edit Custom fields" }).first().click();
  await page.locator("#pf-custom").fill("plan = gold\nseats = 12");
  await custom.getByRole("button", { name: "Save" }).click();
  await custom.locator(".pf-value", { hasText: "seats = 12" }).waitFor();
  const withCustom = await server.api("GET", `/contacts/${contact.id}`);
  assert.deepEqual(withCustom.body.custom, { plan: "gold", seats: "12" });

  // A tag and a note, in place.
  await page.getByLabel("Add a tag").fill("vip");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("button", { name: "Remove tag vip" }).waitFor();
  await page.getByLabel("Add a note").fill("Called back, all good");
  await page.getByRole("button", { name: "Add note" }).click();
  await page.locator(".pf-note-body", { hasText: "Called back, all good" }).waitFor();
  assert.match(await page.locator(".pf-note-meta").first().textContent(), /admin@localhost/);

  // The transcript opens in place: customer and bot told apart.
  const open = page.locator(`a.pf-open[aria-controls="pf-conv-${conversationID}"]`);
  await open.click();
  const customer = page.locator(`#pf-conv-${conversationID} .pf-msg-contact`).first();
  await customer.waitFor();
  assert.equal(await customer.locator(".pf-sender").textContent(), "Customer");
  assert.equal(await customer.locator(".pf-msg-text").textContent(), "Hello, do you ship to Berlin?");
  assert.equal(await open.getAttribute("aria-expanded"), "true");

  // Everything survives a reload.
  await page.reload();
  await page.locator('[data-field="email"] .pf-value', { hasText: "grace.hopper@example.com" }).waitFor();
  await page.getByRole("button", { name: "Remove tag vip" }).waitFor();
  await page.screenshot({ path: join(artifacts, "profile.png"), fullPage: true });
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
});

test("the profile fits a 375 px wide phone", async () => {
  const { contact } = await visitorSays("A rather long message from a phone user", { name: "Phoebe Phoneuser-Withaverylongsurname", email: "phoebe.with.a.very.long.address@example.com" });
  const { page, problems } = await newPage({ viewport: { width: 375, height: 740 } });
  await page.goto(`${server.base}/contacts/${contact.id}`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await page.locator("a.pf-open").first().click();
  await page.locator(".pf-msg").first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the profile scrolls sideways by ${overflow}px at 375px`);
  await page.screenshot({ path: join(artifacts, "profile-phone.png"), fullPage: true });
  assert.deepEqual(problems, []);
});

test("merge two duplicates choosing a field winner, then undo", async () => {
  const a = (await server.api("POST", "/contacts", { name: "Ana Silva", email: "ana@example.com", company: "Acme" })).body;
  const b = (await server.api("POST", "/contacts", { name: "Ana Souza", email: "ana+shop@example.com", phone: "+14155552671" })).body;
  const { page, problems, dialogs } = await newPage();
  await page.goto(`${server.base}/contacts/duplicates`);
  const group = page.locator(".dup-group", { hasText: "ana@example.com" });
  await group.getByRole("link", { name: "Ana Souza" }).waitFor();
  await page.screenshot({ path: join(artifacts, "duplicates.png"), fullPage: true });
  await group.getByRole("link", { name: /Review merge/ }).click();
  await page.waitForURL(/\/contacts\/merge\?ids=/);

  // Ana Silva stays; her last name loses to Souza. The preview follows.
  await page.getByRole("radio", { name: /Ana Silva/ }).check();
  await page.getByRole("group", { name: "Last name" }).getByRole("radio", { name: /Souza/ }).check();
  await page.locator("#merge-preview .mg-name", { hasText: "Ana Souza" }).waitFor();
  await page.locator("#merge-preview .mg-kept", { hasText: "Silva" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Update the preview" }).isVisible(), false);
  await page.screenshot({ path: join(artifacts, "merge.png"), fullPage: true });

  await page.getByRole("button", { name: "Merge 2 contacts" }).click();
  await page.waitForURL(/\/contacts\/merge\/\d+$/);
  await page.getByText("Merged 1 contact into").waitFor();
  const merged = await server.api("GET", `/contacts/${a.id}`);
  assert.equal(merged.body.last_name, "Souza");
  assert.equal(merged.body.email, "ana@example.com");
  assert.equal(merged.body.phone, "+14155552671");
  assert.equal((await server.api("GET", `/contacts/${b.id}`)).status, 404);

  await page.getByRole("button", { name: "Undo merge" }).click();
  await page.waitForURL(`${server.base}/contacts/${a.id}`);
  await page.locator(".flash", { hasText: "Merge undone" }).waitFor();
  assert.equal((await server.api("GET", `/contacts/${b.id}`)).body.last_name, "Souza");
  assert.equal((await server.api("GET", `/contacts/${a.id}`)).body.last_name, "Silva");
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
});

test("start a merge from a profile: search, pick, land on the merge page", async () => {
  const me = (await server.api("POST", "/contacts", { name: "Odile Marchetti", email: "odile@example.com" })).body;
  const twin = (await server.api("POST", "/contacts", { name: "Odile Marchetti-Rossi", email: "o.rossi@example.com" })).body;
  const { page, problems, dialogs } = await newPage();
  await page.goto(`${server.base}/contacts/${me.id}`);
  await page.getByRole("link", { name: "Merge with…" }).click();
  const dialog = page.getByRole("dialog", { name: "Merge Odile Marchetti with…" });
  await dialog.waitFor();
  // The search box has the focus: typing goes straight in.
  await page.keyboard.type("Marchetti");
  // The profile's own contact is left out of what it may merge with.
  await dialog.getByRole("status").filter({ hasText: "1 found" }).waitFor();
  const hit = dialog.getByRole("link", { name: "Odile Marchetti-Rossi" });
  assert.equal(await dialog.locator("#pf-merge-results a").count(), 1);
  await page.screenshot({ path: join(artifacts, "profile-merge-dialog.png") });
  await hit.click();

  await page.waitForURL(`${server.base}/contacts/merge?ids=${me.id},${twin.id}`);
  await page.getByRole("heading", { level: 1, name: "Merge contacts" }).waitFor();
  assert.deepEqual(await page.locator(".mg-contact .mg-name").allTextContents(), ["Odile Marchetti", "Odile Marchetti-Rossi"]);
  assert.equal(await page.locator('input[type=hidden][name="ids"]').first().inputValue(), `${me.id},${twin.id}`);
  await page.getByRole("button", { name: "Merge 2 contacts" }).waitFor();

  // Backing out merges nothing.
  await page.goBack();
  await page.getByRole("heading", { level: 1, name: "Odile Marchetti", exact: true }).waitFor();
  assert.equal((await server.api("GET", `/contacts/${me.id}`)).status, 200);
  assert.equal((await server.api("GET", `/contacts/${twin.id}`)).status, 200);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
});

test("delete a contact keeping its history anonymised", async () => {
  const { contact, conversationID } = await visitorSays("Please write to kim@example.com", { name: "Kim Keeper", email: "kim@example.com" });
  const { page, problems, dialogs } = await newPage();
  await page.goto(`${server.base}/contacts/${contact.id}`);
  await page.getByRole("link", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete Kim Keeper?" });
  await dialog.waitFor();
  const keep = dialog.getByLabel("Keep the conversation history, anonymised");
  assert.equal(await keep.isChecked(), false); // the project's default: delete
  await keep.check();
  await page.screenshot({ path: join(artifacts, "profile-delete.png") });
  await dialog.getByRole("button", { name: "Delete contact" }).click();
  await page.waitForURL(`${server.base}/contacts`);
  await page.getByText("Kim Keeper was deleted; the conversation history is kept, anonymised.").waitFor();
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);

  assert.equal((await server.api("GET", `/contacts/${contact.id}`)).status, 404);
  const msgs = await server.api("GET", `/conversations/${conversationID}/messages`);
  assert.equal(msgs.status, 200, "the conversation is kept");
  const customer = msgs.body.messages.find((m) => m.sender_kind === "contact");
  assert.equal(customer.text, "Please write to [redacted]");
});

test("hostile names and messages stay text", async () => {
  const name = "<img src=x onerror=alert(1)>";
  const script = "<script>alert(1)</script>";
  const { contact, conversationID } = await visitorSays(script, { name, email: "evil@example.com" });
  const twin = (await server.api("POST", "/contacts", { first_name: name, email: "evil+2@example.com" })).body;
  const { page, problems, dialogs } = await newPage();

  await page.goto(`${server.base}/contacts/${contact.id}`);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), name);
  await page.locator(`a.pf-open[aria-controls="pf-conv-${conversationID}"]`).click();
  const msg = page.locator(`#pf-conv-${conversationID} .pf-msg-contact .pf-msg-text`);
  await msg.waitFor();
  assert.equal(await msg.textContent(), script);
  assert.equal(await page.locator("img[src=x]").count(), 0);

  await page.goto(`${server.base}/contacts/${contact.id}/conversations/${conversationID}`);
  assert.equal(await page.locator(".pf-msg-contact .pf-msg-text").textContent(), script);

  await page.goto(`${server.base}/contacts/duplicates`);
  await page.locator(".dup-group", { hasText: "evil@example.com" }).getByRole("link", { name }).first().waitFor();
  await page.goto(`${server.base}/contacts/merge?ids=${contact.id},${twin.id}`);
  assert.equal(await page.locator(".mg-contact .mg-name").first().textContent(), name);
  await page.getByText(name, { exact: true }).first().waitFor();
  assert.equal(await page.locator("img[src=x]").count(), 0);

  // The merge dialog's search puts API text in with textContent.
  await page.goto(`${server.base}/contacts/${twin.id}`);
  await page.getByRole("link", { name: "Merge with…" }).click();
  await page.getByLabel("Find the other contact by name, email or phone").fill("evil");
  const hit = page.locator("#pf-merge-results a").first();
  await hit.waitFor();
  assert.equal(await hit.textContent(), name);
  assert.equal(await page.locator("img[src=x]").count(), 0);

  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
});
