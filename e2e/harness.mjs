// Shared set-up for the browser tests: a real `switchboard serve` on a free
// port over a fresh SQLite file, and the system Chromium through
// playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const artifacts = join(root, "e2e", "artifacts");

export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(`no Chromium at ${path}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return path;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

// startServer runs bin/switchboard serve and resolves once it answers, with
// the API key it printed on first start.
// startServer runs bin/switchboard serve on a fresh database; extraArgs go
// to serve after the database and address flags.
export async function startServer(extraArgs = []) {
  const bin = join(root, "bin", "switchboard");
  if (!existsSync(bin)) {
    throw new Error("bin/switchboard is missing: run `make build` (make test does)");
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "switchboard-e2e-"));
  const proc = spawn(bin, ["serve", "--db", join(dir, "e2e.db"), "--addr", `127.0.0.1:${port}`, ...extraArgs], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout.on("data", (d) => { out += d; });
  proc.stderr.on("data", (d) => { out += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(base + "/healthz");
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const key = /API key:\s+(sb_\S+)/.exec(out)?.[1];
  const password = /Password:\s+(\S+)/.exec(out)?.[1];
  if (!key) {
    proc.kill();
    throw new Error("serve did not print an API key:\n" + out);
  }
  const api = async (method, path, body) => {
    const r = await fetch(base + "/api/v1" + path, {
      method, headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  return { base, api, email: "admin@localhost", password, dir, stop: () => proc.kill("SIGTERM"), log: () => out };
}

export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

// login signs the page in as the server's first-start owner (or as the
// given user) and waits for the dashboard.
export async function login(page, srv, email = srv.email, password = srv.password) {
  await page.goto(srv.base + "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

// watchConsole collects console errors and page errors, for the "no
// console errors" check at the end of a test.
export function watchConsole(page) {
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}
