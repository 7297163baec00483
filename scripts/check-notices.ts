/**
 * Real-browser check of the printable notices (issue 14): loads the demo into an in-memory database, serves
 * the API, opens every published notice in Debian's chromium (playwright-core, executablePath
 * /usr/bin/chromium) with print media emulated, checks the page (title, amounts, masked IDs, fingerprint, fits
 * the A4 width) and saves a screenshot and an A4 PDF under artifacts/notices/. Disposal notices (处置公示,
 * /notices/disposal-<id>) are checked too: title, dates, objection contact, content hash, journal head, no full
 * ID number, A4 width.
 *
 *   npx tsx scripts/check-notices.ts
 *
 * playwright-core is loaded at run time (it is the browser check's dependency, added with npm run
 * check:browser); without it, or without chromium, the script says so and exits 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createDb } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { fixedClock } from '../src/shared/clock';
import { createApp } from '../src/server/app';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';
import { disposalNoticeSha256 } from '../src/modules/reports/reports.notices';

interface Page {
  emulateMedia(o: { media: 'print' }): Promise<void>;
  goto(url: string): Promise<{ status(): number } | null>;
  textContent(sel: string): Promise<string | null>;
  evaluate<T>(fn: () => T): Promise<T>;
  screenshot(o: { path: string; fullPage: boolean }): Promise<unknown>;
  pdf(o: { path: string; format: string; printBackground: boolean }): Promise<unknown>;
}
interface Browser {
  newContext(o: { extraHTTPHeaders: Record<string, string>; viewport: { width: number; height: number } }): Promise<{ newPage(): Promise<Page> }>;
  close(): Promise<void>;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.join(process.cwd(), 'artifacts', 'notices');

async function main(): Promise<number> {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`No chromium at ${CHROMIUM} (apt-get install chromium)`);
    return 2;
  }
  let chromium: { launch(o: { executablePath: string; headless: boolean }): Promise<Browser> };
  try {
    const name = 'playwright-core';
    ({ chromium } = await import(name));
  } catch {
    console.error('playwright-core is not installed (npm install playwright-core)');
    return 2;
  }
  const db = createDb({ sqliteFile: ':memory:' });
  await migrateLatest(db);
  const clock = fixedClock('2026-11-22T02:00:00.000Z');
  await loadDemo(db, clock);
  const distributionNotices = await db('distribution_notices').select('id', 'kind', 'content_sha256').orderBy('id');
  const disposalNotices = await db('disposal_notices').select('id', 'content').orderBy('id');
  // Distribution notices at /notices/<id>; disposal notices (处置公示) at /notices/disposal-<id>, with the SHA-256
  // of their stored content (canonical JSON) as the fingerprint to find on the page.
  const notices = [
    ...distributionNotices.map((n: { id: number; kind: string; content_sha256: string }) => ({ path: String(n.id), kind: String(n.kind), sha: n.content_sha256, title: /收益分配(方案公示|结果公开)/, ids: true })),
    ...disposalNotices.map((n: { id: number; content: unknown }) => ({
      path: `disposal-${n.id}`,
      kind: 'DISPOSAL',
      sha: disposalNoticeSha256(typeof n.content === 'string' ? JSON.parse(n.content) : (n.content as Record<string, unknown>)),
      title: /村集体资产处置公示/,
      ids: false,
    })),
  ];
  if (!disposalNotices.length) console.error('warning: the demo has no disposal notice');
  const server = createApp({ db, clock }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  fs.mkdirSync(OUT, { recursive: true });
  let failures = 0;
  try {
    // A4 at 96 dpi is 794 px wide.
    const context = await browser.newContext({ extraHTTPHeaders: { Authorization: `Bearer ${DEMO_TOKENS.ADMIN}` }, viewport: { width: 794, height: 1123 } });
    const page = await context.newPage();
    await page.emulateMedia({ media: 'print' });
    for (const n of notices) {
      const res = await page.goto(`${base}/notices/${n.path}`);
      const text = (await page.textContent('body')) ?? '';
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
      const problems = [
        res?.status() !== 200 && `HTTP ${res?.status()}`,
        !n.title.test(text) && 'no title',
        !text.includes(n.sha) && 'no content hash',
        !text.includes('发布时账簿链头') && 'no journal head',
        n.ids && !/\d{4}\*{10}[\dX]{4}/.test(text) && 'no masked ID number',
        !n.ids && !/公示期/.test(text) && 'no notice dates',
        !n.ids && !/村务监督委员会/.test(text) && 'no objection contact',
        /\d{17}[\dX]/.test(text) && 'a full ID number is shown',
        overflow && 'wider than A4',
      ].filter(Boolean);
      const shot = path.join(OUT, `notice-${n.path}-${String(n.kind).toLowerCase()}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      await page.pdf({ path: shot.replace(/\.png$/, '.pdf'), format: 'A4', printBackground: true });
      console.log(`${problems.length ? 'FAIL' : 'ok  '} /notices/${n.path} (${n.kind}) → ${path.relative(process.cwd(), shot)}${problems.length ? ': ' + problems.join(', ') : ''}`);
      if (problems.length) failures++;
    }
  } finally {
    await browser.close();
    server.close();
    await db.destroy();
  }
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
