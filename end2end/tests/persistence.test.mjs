// Never lose work: edits survive a reload, a share link carries them to a
// new browser, a damaged link is explained, and reset asks first.
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

const MARK = "# edited by the persistence test";

async function ready(page) {
  await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });
}

async function typeMark(page) {
  const editor = page.locator('[data-file="otel/config.yaml"] .cm-content');
  await editor.click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.insertText(`${MARK}\n`);
}

function configText(page) {
  return page.locator('[data-file="otel/config.yaml"] .cm-content').textContent();
}

test("a reload keeps the edits", async () => {
  const { context, page, record } = await openRecordedPage(browser);
  try {
    await page.goto(server.url);
    await ready(page);
    await typeMark(page);
    await page.reload();
    await ready(page);
    assert.match(await configText(page), new RegExp(MARK));
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
  }
});

test("reset asks first, and only a yes resets", async () => {
  const { context, page } = await openRecordedPage(browser);
  try {
    await page.goto(server.url);
    await ready(page);
    await typeMark(page);
    page.once("dialog", (dialog) => dialog.dismiss());
    await page.getByTestId("reset").click();
    assert.match(await configText(page), new RegExp(MARK), "a no keeps the edits");
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByTestId("reset").click();
    assert.doesNotMatch(await configText(page), new RegExp(MARK));
    await page.reload();
    await ready(page);
    assert.doesNotMatch(await configText(page), new RegExp(MARK), "the reset is saved too");
  } finally {
    await context.close();
  }
});

test("a share link reproduces the edits in a new browser context", async () => {
  const first = await openRecordedPage(browser);
  let link;
  try {
    await first.page.goto(server.url);
    await ready(first.page);
    await typeMark(first.page);
    await first.page.getByTestId("share").click();
    link = first.page.url();
    assert.match(link, /#share=v1\./);
    assert.deepEqual(first.record.errors, []);
  } finally {
    await first.context.close();
  }
  const second = await openRecordedPage(browser);
  try {
    await second.page.goto(link);
    await ready(second.page);
    assert.match(await configText(second.page), new RegExp(MARK));
    assert.deepEqual(second.record.errors, []);
  } finally {
    await second.context.close();
  }
});

test("a damaged share link shows a message, not a crash", async () => {
  const { context, page, record } = await openRecordedPage(browser);
  try {
    await page.goto(`${server.url}#share=v1.this-is-not-a-real-link`);
    await ready(page);
    const notice = page.getByTestId("notice");
    await notice.waitFor();
    assert.match(await notice.textContent(), /damaged/);
    assert.equal(await page.getByTestId("panic-banner").count(), 0);
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
  }
});

test("progress exported to a file comes back in another browser", async () => {
  const first = await openRecordedPage(browser, { acceptDownloads: true });
  let saved;
  try {
    await first.page.goto(server.url);
    await ready(first.page);
    await typeMark(first.page);
    // Saving happens on each change; give the debounce a moment.
    await first.page.waitForTimeout(100);
    const download = first.page.waitForEvent("download");
    await first.page.getByTestId("export").click();
    // The download is deleted with its context: keep its bytes.
    saved = await readFile(await (await download).path());
    assert.equal((await download).suggestedFilename(), "canary-lab-progress.json");
    assert.deepEqual(first.record.errors, []);
  } finally {
    await first.context.close();
  }
  const second = await openRecordedPage(browser);
  try {
    await second.page.goto(server.url);
    await ready(second.page);
    assert.doesNotMatch(await configText(second.page), new RegExp(MARK));
    await second.page.getByTestId("import").setInputFiles({
      name: "canary-lab-progress.json",
      mimeType: "application/json",
      buffer: saved,
    });
    await second.page.waitForEvent("load");
    await ready(second.page);
    assert.match(await configText(second.page), new RegExp(MARK));
    assert.deepEqual(second.record.errors, []);
  } finally {
    await second.context.close();
  }
});

test("a file that is not a progress file is refused with a message", async () => {
  const { context, page, record } = await openRecordedPage(browser);
  try {
    await page.goto(server.url);
    await ready(page);
    await page.getByTestId("import").setInputFiles({
      name: "notes.json",
      mimeType: "application/json",
      buffer: Buffer.from('{"format": "something-else", "version": 1, "saved": {}}'),
    });
    const notice = page.getByTestId("notice");
    await notice.waitFor();
    assert.match(await notice.textContent(), /something-else/);
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
  }
});
