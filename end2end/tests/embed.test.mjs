// Embedded in a documentation page of another origin: compact, working,
// and telling the parent frame its height.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdir } from "node:fs/promises";
import { startServer } from "../support/server.mjs";
import { launchBrowser, openRecordedPage } from "../support/browser.mjs";

let browser;
let app;
let docs;
let docsUrl;

before(async () => {
  browser = await launchBrowser();
  app = await startServer({ prefix: "/lab/" });
  // The docs page lives on another origin (another port) and sizes the
  // iframe from the app's height messages, as the README's snippet does.
  const page = `<!doctype html><html><body><h1>Walkthrough</h1>
<iframe id="lab" src="${app.url}?embed&lesson=05-hyperspace-operations" style="width:360px;height:200px;border:0"></iframe>
<script>
  window.addEventListener("message", (e) => {
    if (e.data && e.data.type === "canary-lab:height") {
      document.getElementById("lab").style.height = e.data.height + "px";
    }
  });
</script></body></html>`;
  docs = createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
  await new Promise((resolve) => docs.listen(0, "127.0.0.1", resolve));
  docsUrl = `http://127.0.0.1:${docs.address().port}/`;
});

after(async () => {
  await browser?.close();
  await app?.close();
  await new Promise((resolve) => docs?.close(resolve));
});

test("embedded at 360 px in another origin's page, the app works and resizes its frame", async () => {
  const { context, page, record } = await openRecordedPage(browser, { viewport: { width: 400, height: 700 } });
  try {
    await page.goto(docsUrl);
    const frame = page.frameLocator("#lab");
    await frame.locator(".cm-editor").first().waitFor({ timeout: 15000 });
    await frame.locator(".finding", { hasText: "OTEL103" }).waitFor();
    assert.equal(await frame.locator(".app-header").count(), 0, "embed mode drops the header");
    assert.equal(await frame.locator(".lesson-list").count(), 0, "and the lesson list");
    await page.waitForFunction(() => parseInt(document.getElementById("lab").style.height, 10) > 400);
    await mkdir(new URL("../../docs/screenshots/", import.meta.url), { recursive: true });
    await page.screenshot({
      path: new URL("../../docs/screenshots/embed-360.png", import.meta.url).pathname,
      fullPage: true,
    });
    const width = await frame.locator("body").evaluate((b) => b.scrollWidth);
    assert.ok(width <= 360, `no horizontal overflow at 360 px (content is ${width} px wide)`);
    const foreign = record.requests.filter((u) => !u.startsWith(app.origin) && !u.startsWith(docsUrl));
    assert.deepEqual(foreign, []);
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
  }
});
