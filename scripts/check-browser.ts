/**
 * npm run check:browser — GraphiQL proven in a real browser, offline.
 *
 * Starts the server on 127.0.0.1 with a fresh demo (SQLite in a scratch directory, today pinned to
 * 2026-11-22), opens /graphql in Debian's Chromium driven by playwright-core, with every request to anything
 * but 127.0.0.1 refused, checks that GraphiQL opens with the project's example tabs and the demo token,
 * presses Run, waits for the demo county's data in the result, and saves a screenshot.
 *
 *   npm run check:browser                       # screenshot: artifacts/graphiql.png
 *   CHROMIUM=/usr/bin/chromium SCREENSHOT=/tmp/g.png npm run check:browser
 *
 * Exit 0 when all holds, 1 otherwise (with what failed). Needs Chromium: apt-get install -y chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { createDb } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { createApp } from '../src/server/app';
import { pinnedClock } from '../src/server/demoClock';
import { DEMO_TOKENS, loadDemo } from '../seeds/demo';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.SCREENSHOT ?? path.join('artifacts', 'graphiql.png');
const TIMEOUT = 60_000;

async function main(): Promise<number> {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)`);
    return 1;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-browser-'));
  // Always a scratch SQLite file, whatever DATABASE_URL says.
  const db = createDb({ sqliteFile: path.join(dir, 'demo.sqlite'), databaseUrl: '' });
  await migrateLatest(db);
  const clock = pinnedClock('2026-11-22');
  await loadDemo(db, clock);
  const app = createApp({
    db,
    clock,
    graphiqlTokens: {
      finance: DEMO_TOKENS.COUNTY_FINANCE,
      clerk: DEMO_TOKENS.VILLAGE_CLERK,
      reviewer: DEMO_TOKENS.TOWNSHIP_REVIEWER,
      planner: DEMO_TOKENS.COUNTY_PLANNER,
    },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  // The container runs as root, where Chromium's sandbox cannot start.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const outside: string[] = [];
  const problems: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // The network: 127.0.0.1 only. Anything else is refused and recorded.
    await context.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.hostname === '127.0.0.1') return route.continue();
      outside.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT });
    await page.waitForSelector('.graphiql-container', { timeout: TIMEOUT });

    const tabs = await page.locator('.graphiql-tab').count();
    if (tabs < 4) problems.push(`expected the 4 example tabs, found ${tabs}`);
    const editor = await page.locator('.graphiql-query-editor').innerText({ timeout: TIMEOUT });
    if (!editor.includes('CountyRegister')) problems.push('the query editor does not show the CountyRegister example');
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    const headers = await page.locator('section.graphiql-editor-tool[aria-label="Headers"]').innerText();
    if (!headers.includes(DEMO_TOKENS.COUNTY_FINANCE)) problems.push('the headers do not carry the county-finance demo token');

    await page.locator('.graphiql-execute-button').click();
    // me.name of the county-finance demo user, and an asset of the demo county, in the result.
    await page.locator('.graphiql-response').getByText('南江县财政局', { exact: false }).first().waitFor({ timeout: TIMEOUT });
    const result = await page.locator('.graphiql-response').innerText();
    if (!result.includes('"totalCount"')) problems.push('the result has no assets.totalCount');
    if (/"errors"/.test(result)) problems.push(`the result has errors: ${result.slice(0, 500)}`);
    if (consoleErrors.length) problems.push(`page errors: ${consoleErrors.join('; ')}`);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    console.log(`screenshot: ${SCREENSHOT}`);
  } catch (e) {
    problems.push((e as Error).message);
    // DEBUG_HTML=/tmp/page.html keeps the page as it was when the check failed, to adjust selectors.
    const page = browser.contexts()[0]?.pages()[0];
    if (process.env.DEBUG_HTML && page) fs.writeFileSync(process.env.DEBUG_HTML, await page.content());
  } finally {
    await browser.close();
    server.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (outside.length) problems.push(`requests left the machine (refused): ${[...new Set(outside)].join(', ')}`);
  if (problems.length) {
    for (const p of problems) console.error(`FAIL: ${p}`);
    return 1;
  }
  console.log('GraphiQL works offline: example tabs, demo token, Run returns the demo county.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
