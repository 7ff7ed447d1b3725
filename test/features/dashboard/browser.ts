// Headless Chromium from Debian's packages, driven by playwright-core (no browser
// download). Tests skip when it is missing on a developer's machine — saying how
// to install it — and fail in CI (CI=true), where .ci/run installs it.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const INSTALL_HINT = `Chromium not found at ${CHROMIUM}: the dashboard's browser tests are skipped. Install it with \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH).`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh, empty profile (user data dir) of its own.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
