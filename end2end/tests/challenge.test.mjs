// The whole challenge as a learner walks it: the collector error at its
// line, the receiver typed in, a Run that explains why the latency check
// errs, the rest of the fix, and a Run that promotes 1.76.0 with every
// objective ticked. Screenshots of each state go to docs/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, mkdir } from "node:fs/promises";
import { startServer } from "../support/server.mjs";
import { launchBrowser, openRecordedPage } from "../support/browser.mjs";

const LESSON = "05-hyperspace-operations";
const SHOTS = new URL("../../docs/screenshots/", import.meta.url);

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startServer({ prefix: "/" });
  await mkdir(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const lessonFile = (path) => readFile(new URL(`../../lessons/${LESSON}/${path}`, import.meta.url), "utf8");
const START_CONFIG = await lessonFile("start/otel/config.yaml");
const SOLVED_CONFIG = await lessonFile("solution/otel/config.yaml");
const SOLVED_TEMPLATE = await lessonFile("solution/hotrod/analysis-template.yaml");
// The walkthrough's first step: a receiver HotROD can reach, nothing else.
const WITH_RECEIVER = START_CONFIG.replace(
  "    receivers:\n    connectors:",
  "    receivers:\n      otlp:\n        protocols:\n          http:\n            endpoint: 0.0.0.0:4318\n    connectors:",
);

async function replaceText(page, path, text) {
  await page.getByRole("tab", { name: new RegExp(`^${path.replace(/[./]/g, "\\$&")}`) }).click();
  const editor = page.locator(`[data-file="${path}"] .cm-content`);
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText(text);
}

async function runToEnd(page) {
  const before = await page.getByTestId("results").getAttribute("data-run-ms");
  await page.getByTestId("run").click();
  await page.waitForFunction(
    (old) => {
      const ms = document.querySelector("[data-testid=results]")?.getAttribute("data-run-ms");
      return ms && ms !== old;
    },
    before ?? "",
    { timeout: 30000 },
  );
  await page.getByTestId("to-end").click();
}

async function shoot(page, name) {
  await page.screenshot({ path: new URL(name, SHOTS).pathname, fullPage: true });
}

for (const colorScheme of ["light", "dark"]) {
  test(`the challenge, from crash loop to promotion (${colorScheme})`, async () => {
    const { context, page, record } = await openRecordedPage(browser, {
      colorScheme,
      viewport: { width: 1280, height: 900 },
    });
    try {
      await page.goto(`${server.url}?lesson=${LESSON}`);
      await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });

      // The collector error, at its line.
      const finding = page.locator(".finding", { hasText: "OTEL103" });
      await finding.waitFor();
      assert.match(await finding.textContent(), /9:5/);
      await shoot(page, `broken-${colorScheme}.png`);

      // The pipeline view marks the same breaks.
      await page.getByRole("tab", { name: "Pipeline" }).click();
      const drawing = page.locator("[data-testid=pipeline-view] .pipeline-svg");
      await drawing.waitFor();
      assert.ok(Number(await drawing.getAttribute("data-broken")) > 0);
      assert.ok((await drawing.locator('[data-state="broken"]').count()) > 0);
      await drawing.screenshot({ path: new URL(`pipeline-broken-${colorScheme}.png`, SHOTS).pathname });

      // The receiver typed in clears it.
      await replaceText(page, "otel/config.yaml", WITH_RECEIVER);
      await finding.waitFor({ state: "detached" });

      // A run: the collector still crash-loops (spanmetrics has no metrics
      // pipeline), so the latency query is empty and Argo reports the
      // reflect error; the page says why.
      await runToEnd(page);
      const verdict = page.getByTestId("verdict");
      assert.match(await verdict.textContent(), /CrashLoopBackOff/);
      const latency = page.locator('[data-metric="latency-p95-lt-1s"]');
      const errored = latency.locator('[data-testid=measurement][data-phase="Error"]').first();
      await errored.waitFor();
      await errored.locator("summary").click();
      const why = await errored.locator("details").textContent();
      assert.match(why, /reflect: slice index out of range/);
      assert.ok(
        (await errored.locator("[data-testid=explanation] li").count()) > 0,
        "the empty result is explained",
      );
      await shoot(page, `explained-failure-${colorScheme}.png`);

      // The rest of the fix, then the run that promotes.
      await replaceText(page, "otel/config.yaml", SOLVED_CONFIG);
      await replaceText(page, "hotrod/analysis-template.yaml", SOLVED_TEMPLATE);
      await page.locator(".finding.error").first().waitFor({ state: "detached" });
      await page.getByRole("tab", { name: "Pipeline" }).click();
      await page.waitForFunction(
        () => document.querySelector("[data-testid=pipeline-view] .pipeline-svg")?.dataset.broken === "0",
      );
      assert.equal(await drawing.locator(".edge.bridge").count(), 1, "spanmetrics bridges traces to metrics");
      await drawing.screenshot({ path: new URL(`pipeline-fixed-${colorScheme}.png`, SHOTS).pathname });
      await runToEnd(page);
      assert.match(await verdict.textContent(), /Promoted: jaegertracing\/example-hotrod:1\.76\.0/);
      await page.getByTestId("lesson-done").waitFor();
      const states = await page.getByTestId("objective").evaluateAll((els) => els.map((e) => e.dataset.state));
      assert.ok(states.length >= 5);
      assert.deepEqual(states, states.map(() => "passed"));
      assert.equal(await page.getByTestId("stale").count(), 0);
      // One chart per analysis metric, drawn against its threshold.
      assert.equal(await page.getByTestId("chart").count(), 3);
      assert.equal(await page.locator('[data-testid=chart][data-metric="traffic-detection"] .threshold').count(), 1);
      await shoot(page, `promoted-${colorScheme}.png`);

      // The console asks the same Prometheus.
      await page.getByRole("tab", { name: "Query console" }).click();
      await page.getByTestId("query-input").fill("sum(rate(hotrod_requests_total[1m]))");
      await page.getByTestId("query-run").click();
      const table = page.getByTestId("query-table");
      await table.waitFor();
      assert.match(await table.textContent(), /\d/);
      await page.getByTestId("query-input").fill("sum(rate(hotrod_requests_total[1m])");
      await page.getByTestId("query-run").click();
      const error = page.getByTestId("query-error");
      await error.waitFor();
      assert.match(await error.textContent(), /parse error/);

      const foreign = record.requests.filter((u) => !u.startsWith(`${server.origin}/`));
      assert.deepEqual(foreign, []);
      assert.deepEqual(record.errors, []);
    } finally {
      await context.close();
    }
  });
}

test("the simulator is fetched on the first Run, not with the page", async () => {
  const { context, page, record } = await openRecordedPage(browser);
  try {
    await page.goto(`${server.url}?lesson=${LESSON}`);
    await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });
    assert.equal(record.requests.filter((u) => u.includes("sim-worker")).length, 0);
    await runToEnd(page);
    assert.ok(record.requests.some((u) => u.includes("canary-lab-sim-worker_bg.wasm")));
    assert.deepEqual(record.errors, []);
  } finally {
    await context.close();
  }
});

test("hints come one at a time and the solution hides behind a question", async () => {
  const { context, page } = await openRecordedPage(browser);
  try {
    await page.goto(`${server.url}?lesson=${LESSON}`);
    await page.locator(".cm-editor").first().waitFor({ timeout: 15000 });
    assert.equal(await page.getByTestId("hint").count(), 0);
    await page.getByTestId("next-hint").click();
    assert.equal(await page.getByTestId("hint").count(), 1);
    await page.getByTestId("next-hint").click();
    assert.equal(await page.getByTestId("hint").count(), 2);
    page.once("dialog", (d) => d.dismiss());
    await page.getByTestId("show-solution").click();
    assert.equal(await page.getByTestId("solution-diff").count(), 0, "a no keeps it hidden");
    page.once("dialog", (d) => d.accept());
    await page.getByTestId("show-solution").click();
    const diff = page.getByTestId("solution-diff");
    await diff.waitFor();
    assert.match(await diff.textContent(), /\+ .*0\.0\.0\.0:4318/);
  } finally {
    await context.close();
  }
});
