// The playground as a learner meets it: the collector error at its line,
// a click that jumps there, an edit that clears it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { startServer } from "../support/server.mjs";
import { launchBrowser, openRecordedPage } from "../support/browser.mjs";

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer({ prefix: "/" });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const FIXED_CONFIG = await readFile(
  new URL("../../fixtures/challenge/fixed/otel/config.yaml", import.meta.url),
  "utf8",
);

async function open() {
  const { context, page, record } = await openRecordedPage(browser);
  await page.goto(`${server.url}?lesson=05-hyperspace-operations`);
  await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });
  return { context, page, record };
}

test("the empty receivers section is reported at its line and a click jumps there", async () => {
  const { context, page, record } = await open();
  try {
    const finding = page.locator(".finding", { hasText: "OTEL103" });
    await finding.waitFor();
    assert.match(await finding.textContent(), /9:5/);
    assert.match(await finding.textContent(), /no receiver configuration specified in config/);
    // The editor underlines it too.
    await page.locator('[data-file="otel/config.yaml"] .cm-lintRange-error').first().waitFor();
    await finding.locator("button").click();
    const activeLine = page.locator('[data-file="otel/config.yaml"] .cm-activeLine');
    assert.match(await activeLine.textContent(), /receivers:/);
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
  }
});

test("typing the walkthrough's collector fix clears the collector errors", async () => {
  const { context, page, record } = await open();
  try {
    await page.locator(".finding", { hasText: "OTEL103" }).waitFor();
    const editor = page.locator('[data-file="otel/config.yaml"] .cm-content');
    await editor.click();
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(FIXED_CONFIG);
    await page.locator(".finding", { hasText: "OTEL103" }).waitFor({ state: "detached" });
    const remaining = await page.locator('.file-group:has(h3:text-is("otel/config.yaml")) .finding.error').count();
    assert.equal(remaining, 0, "the fixed collector config has no error left");
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
  }
});

test("tabs are keyboard-operable and read-only files say so", async () => {
  const { context, page } = await open();
  try {
    const first = page.locator('[aria-label="Files"] [role="tab"]').first();
    await first.focus();
    await page.keyboard.press("ArrowRight");
    const selected = page.locator('[aria-label="Files"] [role="tab"][aria-selected="true"]');
    assert.match(await selected.textContent(), /analysis-template/);
    await page.keyboard.press("End");
    assert.match(await selected.textContent(), /appset.*read-only/);
    const visible = page.locator('[data-testid="editor"][role="tabpanel"]:not([hidden])');
    assert.equal(await visible.count(), 1);
    assert.equal(await visible.getAttribute("data-file"), "appset.yaml");
  } finally {
    await context.close();
  }
});

test("the results tabs are keyboard-operable too", async () => {
  const { context, page } = await open();
  try {
    const run = page.getByRole("tab", { name: "Run" });
    await run.focus();
    await page.keyboard.press("ArrowRight");
    const selected = page.locator('[aria-label="Results"] [role="tab"][aria-selected="true"]');
    assert.equal(await selected.textContent(), "Pipeline");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Pipeline");
    await page.keyboard.press("End");
    assert.equal(await selected.textContent(), "Query console");
    await page.getByTestId("query-console").waitFor();
  } finally {
    await context.close();
  }
});
