// Every lesson through the playground, as a learner who has found the
// answer would do it: open the lesson, type each solution file into its tab,
// press Run, and see every objective ticked. The same objectives the lesson
// test judges natively, judged here by the workers in the browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { startServer } from "../support/server.mjs";
import { launchBrowser, openRecordedPage } from "../support/browser.mjs";

const LESSONS = new URL("../../lessons/", import.meta.url);

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

async function filesUnder(dir, prefix = "") {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) out.push(...(await filesUnder(new URL(`${entry.name}/`, dir), `${path}/`)));
    else out.push(path);
  }
  return out;
}

const ids = (await readdir(LESSONS, { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

for (const id of ids) {
  test(`lesson ${id}: the solution, typed in, ticks every objective`, async () => {
    const solution = new URL(`${id}/solution/`, LESSONS);
    const files = await filesUnder(solution).catch(() => []);
    const { context, page, record } = await openRecordedPage(browser);
    try {
      await page.goto(`${server.url}?lesson=${id}`);
      await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });
      if (/^0[1-4]-/.test(id)) {
        // What a newcomer meets first in the course: the story and the checklist.
        await page.getByTestId("lesson").screenshot({
          path: new URL(`../../docs/screenshots/lesson-${id.slice(0, 2)}-start.png`, import.meta.url).pathname,
        });
      }
      for (const path of files) {
        const text = await readFile(new URL(path, solution), "utf8");
        await page.locator('[aria-label="Files"] [role="tab"]', { hasText: path }).first().click();
        const editor = page.locator(`[data-file="${path}"] .cm-content`);
        await editor.waitFor();
        await editor.click();
        await page.keyboard.press("Control+a");
        await page.keyboard.insertText(text);
      }
      await page.getByTestId("run").click();
      await page.getByTestId("run-result").waitFor({ timeout: 30000 });
      if ((await page.getByTestId("objective").count()) === 0) {
        // The sandbox has no objectives; its run must still promote.
        assert.match(await page.getByTestId("verdict").textContent(), /Promoted/);
        return;
      }
      await page.waitForFunction(
        () => {
          const states = [...document.querySelectorAll("[data-testid=objective]")].map((e) => e.dataset.state);
          return states.length > 0 && states.every((s) => s === "passed");
        },
        null,
        { timeout: 10000 },
      ).catch(async () => {
        const texts = await page.getByTestId("objective").allTextContents();
        assert.fail(`objectives not all ticked in ${id}:\n${texts.join("\n")}`);
      });
      assert.deepEqual(record.errors, []);
    } finally {
      await context.close();
    }
  });
}
