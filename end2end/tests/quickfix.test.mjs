// A diagnostic's hover offers the rule's page and, where one edit is
// clearly right, a quick fix that applies as one undoable change.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../support/server.mjs";
import { launchBrowser, openRecordedPage } from "../support/browser.mjs";

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer({ prefix: "/docs/lab/" });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("ARGO507's quick fix guards result[0], and the rule's page is one click away", async () => {
  const { context, page, record } = await openRecordedPage(browser);
  try {
    await page.goto(`${server.url}?lesson=05-hyperspace-operations`);
    await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });
    await page.locator('[aria-label="Files"] [role="tab"]', { hasText: "analysis-template" }).click();
    const findings = page.locator(".finding", { hasText: "ARGO507" });
    await findings.first().waitFor();
    const before = await findings.count();

    const underline = page.locator('[data-file="hotrod/analysis-template.yaml"] .cm-lintRange-warning').first();
    await underline.hover();
    const tooltip = page.locator(".cm-tooltip-lint");
    await tooltip.waitFor();
    const link = tooltip.locator("a.cl-rule-link").first();
    assert.match(await link.textContent(), /ARGO5\d\d: read the rule/);
    const href = await link.getAttribute("href");
    const rulePage = await context.request.get(new URL(href, page.url()).href);
    assert.equal(rulePage.status(), 200);
    assert.match(await rulePage.text(), /<h1>ARGO5\d\d /);

    const action = tooltip.locator(".cm-diagnosticAction").first();
    await action.waitFor();
    await action.click();
    await page.waitForFunction(
      (n) => document.querySelectorAll(".finding").length > 0
        && [...document.querySelectorAll(".finding")].filter((f) => f.textContent.includes("ARGO507")).length < n,
      before,
    );
    const text = await page.locator('[data-file="hotrod/analysis-template.yaml"] .cm-content').textContent();
    assert.match(text, /len\(result\) > 0 &&/);
    // One undo takes the whole fix back.
    await page.locator('[data-file="hotrod/analysis-template.yaml"] .cm-content').click();
    await page.keyboard.press("Control+z");
    await page.waitForFunction(
      (n) => [...document.querySelectorAll(".finding")].filter((f) => f.textContent.includes("ARGO507")).length === n,
      before,
    );
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
  }
});

test("read-only files offer no fix", async () => {
  const { context, page } = await openRecordedPage(browser);
  try {
    // Lesson 9 keeps the template read-only; its ARGO507 findings have fixes.
    await page.goto(`${server.url}?lesson=09-bind-address`);
    await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });
    await page.locator('[aria-label="Files"] [role="tab"]', { hasText: "analysis-template" }).click();
    const underline = page.locator('[data-file="hotrod/analysis-template.yaml"] .cm-lintRange-warning').first();
    await underline.waitFor();
    await underline.hover();
    await page.locator(".cm-tooltip-lint").waitFor();
    assert.equal(await page.locator(".cm-tooltip-lint .cm-diagnosticAction").count(), 0);
    assert.equal(await page.locator(".cm-tooltip-lint a.cl-rule-link").count() > 0, true);
  } finally {
    await context.close();
  }
});
