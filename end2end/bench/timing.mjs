// Browser timing benchmark (not a test): how fast the built app becomes
// interactive, and how long a keystroke takes to reach updated diagnostics.
// Run: DIST_DIR=dist node end2end/bench/timing.mjs   (after a release build)
// Figures go to docs/benchmarks.md by hand, with the machine they came from.
import { startServer } from "../support/server.mjs";
import { launchBrowser } from "../support/browser.mjs";

const LOADS = 15;
const KEYSTROKES = 60;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function describe(name, values) {
  const f = (v) => v.toFixed(1);
  console.log(`${name}: n=${values.length} median=${f(percentile(values, 50))} ms p95=${f(percentile(values, 95))} ms max=${f(Math.max(...values))} ms`);
}

const server = await startServer({ prefix: "/" });
const browser = await launchBrowser();

// Navigation start → an editor that can be typed into, and → the same
// editor showing the lint worker's markers.
const editable = [];
const loads = [];
for (let i = 0; i < LOADS; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator(".cm-editor .cm-content").first().waitFor({ timeout: 15000 });
  editable.push(await page.evaluate(() => performance.now()));
  await page.locator(".cm-editor .cm-lintRange-error").first().waitFor({ timeout: 15000 });
  loads.push(await page.evaluate(() => performance.now()));
  await context.close();
}
describe("navigation to editable editor", editable);
describe("navigation to editor with lint markers", loads);

// Keystroke → the next finished lint pass (data-lint-run changes).
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(server.url);
await page.locator(".cm-editor").first().waitFor();
await page.locator('[data-file="otel/config.yaml"] .cm-content').click();
await page.keyboard.press("Control+End");
const latencies = [];
for (let i = 0; i < KEYSTROKES; i++) {
  const key = i % 2 === 0 ? "x" : "Backspace";
  const latency = page.evaluate(
    () =>
      new Promise((resolve) => {
        const panel = document.querySelector("[data-testid=diagnostics]");
        let typedAt;
        addEventListener("keydown", () => (typedAt = performance.now()), { once: true, capture: true });
        // A keystroke that changes nothing never lints; do not wait forever.
        setTimeout(() => resolve(null), 2000);
        new MutationObserver((_, observer) => {
          // A lint pass still finishing from the previous keystroke is not ours.
          if (typedAt === undefined) return;
          observer.disconnect();
          resolve(performance.now() - typedAt);
        }).observe(panel, { attributes: true, attributeFilter: ["data-lint-run"] });
      }),
  );
  await page.waitForTimeout(5);
  await page.keyboard.press(key);
  const measured = await latency;
  if (measured !== null) latencies.push(measured);
  await page.waitForTimeout(60);
}
describe("keystroke to updated diagnostics", latencies);
if (latencies.length < KEYSTROKES) console.log(`(${KEYSTROKES - latencies.length} keystrokes produced no lint pass and were left out)`);
await context.close();

// Run → result in the page, for the challenge's fixed manifests (the
// sandbox lesson starts from them). The first run also fetches and starts
// the simulation worker; it is reported apart.
const RUNS = 10;
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}?lesson=11-sandbox`);
  await page.locator(".cm-editor").first().waitFor();
  const runOnce = async () => {
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
    return Number(await page.getByTestId("results").getAttribute("data-run-ms"));
  };
  describe("first Run, worker start included", [await runOnce()]);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runOnce());
  describe("Run of the fixed challenge (click to result)", runs);
  await context.close();
}
await browser.close();
await server.close();
