// Debian's Chromium driven by playwright-core; never a downloaded browser.
import { chromium } from "playwright-core";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ARGS,
  });
}

/// Opens a page that records console errors, uncaught exceptions and every
/// request URL, for the assertions every test makes.
export async function openRecordedPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const record = { errors: [], requests: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") record.errors.push(msg.text());
  });
  page.on("pageerror", (err) => record.errors.push(String(err)));
  page.on("request", (req) => record.requests.push(req.url()));
  return { context, page, record };
}
