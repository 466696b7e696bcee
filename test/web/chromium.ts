/** Debian's chromium, headless, for the browser tests (setup.sh installs it). */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const executablePath = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(executablePath), `no browser at ${executablePath}: install it with \`apt-get install chromium\``);
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
