import { existsSync } from 'node:fs';
import { type RunningEmulator, startEmulator } from '@gcal-sync/google-emulator';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, CLIENT_ID, CLIENT_SECRET, createWorld, type World } from './harness';

/** Debian's Chromium (apt-get install chromium); playwright-core never downloads a browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`[oauth] admin browser test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!haveChromium)('admin page in a real browser', () => {
  let emulator: RunningEmulator;
  let world: World;
  let browser: Browser;
  const email = 'frank@example.com';

  beforeAll(async () => {
    // No auto-consent: the browser clicks the emulator's real consent page.
    emulator = await startEmulator({ clients: { [CLIENT_ID]: CLIENT_SECRET } });
    await emulator.control.createUser({ email });
    await emulator.control.createCalendar({ ownerEmail: email, summary: 'Sales demos' });
    await emulator.control.createCalendar({ ownerEmail: email, summary: 'Support rota' });
    world = await createWorld(emulator.url);
    await world.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-gpu',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
    await emulator?.stop();
  });

  it('connects an account through Google consent, ticks two calendars, saves, and sees them ticked after reload', async () => {
    const page = await browser.newPage();
    await page.goto(`${world.url}/admin`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).toContain('/admin');
    expect(await page.textContent('body')).toContain('No Google account is connected yet.');

    await page.getByRole('button', { name: 'Connect Google account' }).click();
    await page.waitForURL(`${emulator.url}/o/oauth2/v2/auth**`);
    await page.fill('#identifierId', email);
    await page.click('#submit_approve_access');
    await page.waitForURL(`${world.url}/admin?done=connected`);
    const section = page.locator('section.connection', { hasText: email });
    await expect.poll(() => section.getAttribute('data-status')).toBe('active');

    await section.getByRole('checkbox', { name: 'Sync Sales demos' }).check();
    await section.getByRole('checkbox', { name: 'Sync Support rota' }).check();
    await section.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${world.url}/admin?done=saved`);

    await page.goto(`${world.url}/admin`);
    const after = page.locator('section.connection', { hasText: email });
    expect(await after.getByRole('checkbox', { name: 'Sync Sales demos' }).isChecked()).toBe(true);
    expect(await after.getByRole('checkbox', { name: 'Sync Support rota' }).isChecked()).toBe(true);
    expect(await after.getByRole('checkbox', { name: `Sync ${email}` }).isChecked()).toBe(true);
    expect(await after.getByRole('radio', { name: `Write bookings to ${email}` }).isChecked()).toBe(true);

    const selected = await world.lifecycle.waitForMessage(
      (m) => m.value.payload.type === 'calendars.selected' && (m.value.payload.calendars as unknown[]).length === 2,
    );
    expect((selected.value.payload.calendars as { summary: string }[]).map((c) => c.summary).sort()).toEqual([
      'Sales demos',
      'Support rota',
    ]);
  });
});
