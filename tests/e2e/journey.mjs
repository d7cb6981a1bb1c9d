// A visitor's data from start to end in one journey: import a file, share a
// link, open it in a fresh browser context, go offline and reload.
//
//   1. Alice imports her IMDb export (the file picker) and merges it;
//   2. she takes the share link of her ratings;
//   3. Bob, in a fresh browser context (empty storage), opens the link, sees her profile's
//      recommendations read-only and merges them into his own (empty) profile;
//   4. the network goes away (the server is stopped and the browser is offline); Bob reloads and
//      still has the site, his merged ratings and recommendations that leave them out.
// On a server of its own (it is switched off), under another sub-path than the other flows.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './static-server.mjs';
import {
  MODEL_TIMEOUT_MS,
  SEL,
  T,
  assertNoProblems,
  fail,
  key,
  log,
  readRated,
  readRecs,
  waitForCount,
  waitForFirstRecs,
  waitVisible,
  watch,
} from './lib.mjs';
import { expectSummary, openImport, waitNotice } from './data.mjs';

const FIXTURES = fileURLToPath(new URL('../fixtures/imports/', import.meta.url));

export async function journeyFlow({ browser, dist, problems, shots }) {
  const server = await startServer({ root: dist, prefix: '/journey/' });
  const alice = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const bob = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    // 1. Alice imports her IMDb export.
    const a = await alice.newPage();
    await watch(alice, a, server.origin, problems, 'journey-alice');
    await a.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(a, problems, 'journey: Alice opens the site');
    // A file dropped beside the drop zone must not replace the app (the browser would open it).
    const opened = await a.evaluate(() =>
      ['dragover', 'drop'].filter((t) => document.body.dispatchEvent(new DragEvent(t, { bubbles: true, cancelable: true }))),
    );
    if (opened.length) fail(`journey: a stray ${opened.join('/')} on the page is not cancelled`);
    await openImport(a);
    await a.setInputFiles(T('import-file'), join(FIXTURES, 'imdb-current.csv'));
    await expectSummary(a, ['15 rows', '10 matched'], 'journey: the preview of her IMDb export');
    await a.click(T('import-merge'));
    await waitForCount(a, SEL.rated, 15, 'journey: after Alice merges her export');
    await waitNotice(a, /Imported 15 ratings/, 'journey: after Alice merges her export');
    const hers = await readRated(a);

    // 2. Her share link.
    if (!(await a.locator(T('share-open')).isVisible())) await a.click(T('nav-search'));
    await a.click(T('share-open'));
    await waitVisible(a, T('share-link'), 'journey: after "Share my ratings"');
    const link = await a.inputValue(T('share-link'));
    const chars = link.length - server.url.length;
    log(`journey: Alice's link carries ${hers.length} ratings in ${chars} characters after the address`);
    console.log(`share_link_15_ratings_chars=${chars}`);
    assertNoProblems(problems, 'journey: import and share');

    // 3. Bob opens it with empty storage and merges it into his profile.
    const b = await bob.newPage();
    await watch(bob, b, server.origin, problems, 'journey-bob');
    await b.goto(link, { waitUntil: 'commit' });
    await waitForFirstRecs(b, problems, 'journey: Bob opens the link');
    await waitVisible(b, T('shared-banner'), 'journey: the shared view');
    const banner = await b.locator(T('shared-banner')).innerText();
    if (!banner.includes(`${hers.length} ratings`)) fail(`journey: the banner says "${banner}", not ${hers.length} ratings`);
    await b.click(T('share-merge'));
    await waitForCount(b, SEL.rated, hers.length, 'journey: after Bob merges');
    const online = await readRecs(b);

    // 4. The network goes away; the service worker (registered once the model loaded) serves.
    try {
      await b.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: MODEL_TIMEOUT_MS });
    } catch {
      fail('journey: the service worker never took control of the page');
    }
    await server.close();
    await bob.setOffline(true);
    await b.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(b, problems, 'journey: Bob reloads offline');
    await waitForCount(b, SEL.rated, hers.length, 'journey: offline, his merged ratings');
    const his = await readRated(b);
    const missing = hers.filter((m) => !his.some((h) => h.title === m.title));
    if (missing.length) fail(`journey: offline, ratings are missing: ${missing.map(key).join('; ')}`);
    const offline = await readRecs(b);
    const rated = new Set(his.filter((m) => m.year).map(key));
    const leaked = offline.filter((m) => rated.has(key(m)));
    if (leaked.length) fail(`journey: offline, rated movies are recommended: ${leaked.map(key).join('; ')}`);
    if (offline.length < 10) fail(`journey: offline, only ${offline.length} recommendations`);
    await b.screenshot({ path: join(shots, 'phone-journey-offline.png') });
    log(`journey: offline reload shows ${his.length} ratings and ${offline.length} recommendations ` +
      `(${offline.filter((m) => online.some((o) => key(o) === key(m))).length} as online)`);
    assertNoProblems(problems, 'journey');
  } finally {
    await alice.close();
    await bob.close();
    await server.close();
  }
}
