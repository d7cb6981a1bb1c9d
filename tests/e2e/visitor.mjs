// End-to-end flows for what a visitor asks of one film and of the list (issue 16): a movie's own
// view (opened by a click on a title, `#movie=<movieId>`, closed by Esc, Back or its button
// with the focus returned, opened straight from an address too) with "More like this"; at
// desktop and phone widths, with screenshots.
//
// Run alone (after `trunk build --release`): node tests/e2e/visitor.mjs

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  RATINGS,
  SEL,
  T,
  UI_TIMEOUT_MS,
  assertNoProblems,
  fail,
  log,
  searchAndRate,
  waitForFirstRecs,
  watch,
} from './lib.mjs';

const VIEW = T('movie-view');

/// What the open movie view shows: its title, the hash, the similar films' titles.
async function readView(page) {
  return page.$eval(VIEW, (v) => ({
    title: v.querySelector('h2')?.textContent.trim() ?? '',
    text: v.textContent,
    similar: [...v.querySelectorAll('[data-testid="similar-item"] a')].map((a) => a.textContent.trim()),
    hash: location.hash,
  }));
}

async function waitClosed(page, what) {
  await page.waitForSelector(VIEW, { state: 'detached', timeout: UI_TIMEOUT_MS }).catch(() => {
    fail(`${what}: the movie view did not close`);
  });
}

/// The focused element's text and test id (to check that closing gives the focus back).
const focused = (page) =>
  page.evaluate(() => ({
    text: document.activeElement?.textContent.trim() ?? '',
    testid: document.activeElement?.getAttribute('data-testid') ?? '',
  }));

export async function movieViewFlow({ browser, server, problems, shots, phone = false }) {
  const label = phone ? 'movie view (phone)' : 'movie view';
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
      : { viewport: { width: 1280, height: 900 } },
  );
  const page = await context.newPage();
  await watch(context, page, server.origin, problems, label);
  await page.goto(server.url, { waitUntil: 'commit' });
  await waitForFirstRecs(page, problems, label);
  for (const [i, spec] of RATINGS.slice(0, 3).entries()) await searchAndRate(page, spec, i + 1);
  const rated = RATINGS.slice(0, 3).map((r) => r.title);

  // A click on a recommendation's title opens its view; the address says which film.
  const link = page.locator(`${SEL.rec} [data-testid="movie-link"]`).first();
  const title = (await link.textContent()).trim();
  const historyBefore = await page.evaluate(() => history.length);
  await link.click();
  await page.waitForSelector(VIEW, { timeout: UI_TIMEOUT_MS });
  let view = await readView(page);
  if (view.title !== title) fail(`${label}: the view shows "${view.title}", the title clicked was "${title}"`);
  if (!/^#movie=\d+$/.test(view.hash)) fail(`${label}: the address does not name the film: ${view.hash}`);
  for (const [what, re] of [
    ['the prediction', /Predicted for you \d\.\d★ \(\d\.\d–\d\.\d\)/],
    ['the IMDb rating', /IMDb \d\.\d\/10/],
    ['the vote count', /\d+(\.\d)?[KM]? votes/],
  ]) {
    if (!re.test(view.text)) fail(`${label}: ${what} is missing: ${view.text.slice(0, 300)}`);
  }

  // More like this: ten neighbours, none the film itself or a film the visitor rated.
  await page.click(`${VIEW} ${T('more-like-this')}`);
  await page.waitForSelector(`${VIEW} ${T('similar-item')}`, { timeout: UI_TIMEOUT_MS });
  view = await readView(page);
  log(`${label}: "${title}" → more like this: ${view.similar.join('; ')}`);
  if (view.similar.length < 5) fail(`${label}: only ${view.similar.length} similar films`);
  if (view.similar.includes(title)) fail(`${label}: "${title}" is listed as similar to itself`);
  const leaked = view.similar.filter((t) => rated.includes(t));
  if (leaked.length) fail(`${label}: rated films listed as similar: ${leaked.join('; ')}`);
  await page.screenshot({ path: join(shots, phone ? 'phone-movie-view.png' : 'movie-view.png') });

  // Following a neighbour replaces the history entry: Esc then closes the view at once.
  const next = view.similar[0];
  await page.click(`${VIEW} ${T('similar-item')} a >> nth=0`);
  await page.waitForFunction(
    ([sel, t]) => document.querySelector(sel)?.querySelector('h2')?.textContent.trim() === t,
    [VIEW, next],
    { timeout: UI_TIMEOUT_MS },
  );
  const historyInView = await page.evaluate(() => history.length);
  if (historyInView !== historyBefore + 1)
    fail(`${label}: history grew from ${historyBefore} to ${historyInView} (one entry for the view expected)`);
  await page.keyboard.press('Escape');
  await waitClosed(page, `${label}, Esc`);
  let hash = await page.evaluate(() => location.hash);
  if (hash) fail(`${label}: Esc left the address at ${hash}`);
  let f = await focused(page);
  if (f.testid !== 'movie-link' || f.text !== title)
    fail(`${label}: after Esc the focus is on ${JSON.stringify(f)}, not the title "${title}"`);

  // Back closes it too, and the focus comes back.
  await link.click();
  await page.waitForSelector(VIEW, { timeout: UI_TIMEOUT_MS });
  await page.goBack();
  await waitClosed(page, `${label}, Back`);
  f = await focused(page);
  if (f.text !== title) fail(`${label}: after Back the focus is on ${JSON.stringify(f)}`);

  // Rated from its view: the rating shows beside the prediction made without it.
  await link.click();
  await page.waitForSelector(VIEW, { timeout: UI_TIMEOUT_MS });
  await page.click(`${VIEW} .stars button[data-rating="4"]`);
  await page
    .waitForFunction((sel) => /You rated it 4★/.test(document.querySelector(sel)?.textContent ?? ''), VIEW, {
      timeout: UI_TIMEOUT_MS,
    })
    .catch(() => fail(`${label}: rating from the view does not show "You rated it 4★"`));
  await page.click(`${VIEW} ${T('movie-view-close')}`);
  await waitClosed(page, `${label}, close button`);
  const ratedNow = await page.$$eval(SEL.rated, (els) => els.map((e) => e.querySelector('.title')?.textContent.trim()));
  if (!ratedNow.includes(title)) fail(`${label}: "${title}" rated from its view is not in My ratings`);

  // An address naming a film opens its view on load; closing it keeps the visitor on the site.
  const movieId = view.hash.replace('#movie=', '');
  await page.goto(`${server.url}#movie=${movieId}`, { waitUntil: 'commit' });
  await page.waitForSelector(VIEW, { timeout: UI_TIMEOUT_MS * 4 });
  view = await readView(page);
  if (view.title !== title) fail(`${label}: #movie=${movieId} opened "${view.title}", not "${title}"`);
  await page.click(`${VIEW} ${T('movie-view-close')}`);
  await waitClosed(page, `${label}, close after a direct load`);
  hash = await page.evaluate(() => location.hash);
  if (hash) fail(`${label}: closing left the address at ${hash}`);
  if (!page.url().startsWith(server.url)) fail(`${label}: closing left the site for ${page.url()}`);
  // A film id nobody has: a plain message, not a blank dialog.
  await page.evaluate(() => { location.hash = 'movie=999999999'; });
  await page.waitForSelector(VIEW, { timeout: UI_TIMEOUT_MS });
  view = await readView(page);
  if (!/No film in the catalogue|still loading/.test(view.text)) fail(`${label}: unknown id shows ${view.text}`);
  await page.keyboard.press('Escape');
  await waitClosed(page, `${label}, unknown id`);
  assertNoProblems(problems, label);
  await context.close();
}

export async function visitorFlows(ctx) {
  await movieViewFlow(ctx);
  await movieViewFlow({ ...ctx, phone: true });
}

// Alone: serve dist/ and run these flows only.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { chromium } = await import('playwright-core');
  const { startServer } = await import('./static-server.mjs');
  const { CHROMIUM_ARGS } = await import('./lib.mjs');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const server = await startServer({ root: process.env.DIST_DIR ?? join(root, 'dist'), prefix: '/sub/path/' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const problems = [];
  try {
    await visitorFlows({ browser, server, problems, shots: process.env.SHOTS_DIR ?? join(root, 'tests', 'artifacts') });
    log('visitor flows PASS');
  } catch (e) {
    console.error(`E2E FAILED: ${e.message}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
    await server.close();
  }
}
