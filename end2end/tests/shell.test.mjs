// The app shell loads cleanly, stays on its own origin and works from a sub-path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../support/server.mjs";
import { launchBrowser, openRecordedPage } from "../support/browser.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function loadApp(prefix) {
  const server = await startServer({ prefix });
  const { context, page, record } = await openRecordedPage(browser);
  await page.goto(server.url);
  // The editor appears only once the wasm module has run and mounted CodeMirror.
  await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });
  return { server, context, page, record };
}

test("the page loads with its header and editor and no console error", async () => {
  const { server, context, page, record } = await loadApp("/");
  try {
    assert.equal(await page.locator("h1").textContent(), "Canary Lab");
    assert.match(await page.locator(".cm-content").first().textContent(), /collector-config/);
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test("every request stays on the page's own origin", async () => {
  const { server, context, record } = await loadApp("/");
  try {
    assert.ok(record.requests.length >= 3, `expected html, js and wasm requests, got ${record.requests}`);
    const foreign = record.requests.filter((u) => !u.startsWith(`${server.origin}/`));
    assert.deepEqual(foreign, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test("the app works when dist/ is served under a sub-path", async () => {
  const { server, context, page, record } = await loadApp("/docs/lab/");
  try {
    assert.equal(await page.locator("h1").textContent(), "Canary Lab");
    const outside = record.requests.filter((u) => !u.startsWith(server.url));
    assert.deepEqual(outside, [], "every asset must be fetched relative to the sub-path");
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});
