// End-to-end flows for what a visitor asks of one film and of the list (issue 16): a movie's own
// view (opened by a click on a title, `#movie=<movieId>`, closed by Esc, Back or its button
// with the focus returned, opened straight from an address too) with "More like this"; at
// desktop and phone widths, with screenshots.
//
// Run alone (after `trunk build --release`): node tests/e2e/visitor.mjs

import { readFile } from 'node:fs/promises';
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
  readRecs,
  searchAndRate,
  waitForCount,
  waitForRecsToChange,
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

/// A fresh visitor (a context of its own, at phone or desktop size) who rated `specs`.
async function visitorWho({ browser, server, problems }, specs, label, phone = false) {
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
      : { viewport: { width: 1280, height: 900 } },
  );
  const page = await context.newPage();
  await watch(context, page, server.origin, problems, label);
  await page.goto(server.url, { waitUntil: 'commit' });
  await waitForFirstRecs(page, problems, label);
  for (const [i, spec] of specs.entries()) await searchAndRate(page, spec, i + 1);
  return { context, page };
}

export async function movieViewFlow({ browser, server, problems, shots, phone = false }) {
  const label = phone ? 'movie view (phone)' : 'movie view';
  const { context, page } = await visitorWho({ browser, server, problems }, RATINGS.slice(0, 3), label, phone);
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

const SCIFI = [
  { query: 'matrix', title: 'The Matrix', year: '1999', rating: '5' },
  { query: 'blade runner', title: 'Blade Runner', year: '1982', rating: '5' },
  { query: 'alien', title: 'Alien', year: '1979', rating: '5' },
  { query: 'titanic', title: 'Titanic', year: '1997', rating: '1' },
];
const ROMANCE = [
  { query: 'notting hill', title: 'Notting Hill', year: '1999', rating: '5' },
  { query: 'pretty woman', title: 'Pretty Woman', year: '1990', rating: '5' },
  { query: 'titanic', title: 'Titanic', year: '1997', rating: '5' },
  { query: 'alien', title: 'Alien', year: '1979', rating: '1' },
];

/// A visitor's share link after rating `specs`, made in a context of its own.
async function shareLinkOf(ctx, specs, label) {
  const { context, page } = await visitorWho(ctx, specs, label);
  await page.click(T('share-open'));
  await page.waitForSelector(T('share-link'), { timeout: UI_TIMEOUT_MS });
  const link = await page.inputValue(T('share-link'));
  await context.close();
  return link;
}

/// The group's list as the page shows it: each row's title and members' predictions.
const readTogether = (page) =>
  page.$$eval(T('together-item'), (els) =>
    els.map((e) => ({
      title: e.querySelector('.title')?.textContent.trim() ?? '',
      preds: [...e.querySelectorAll('[data-testid="together-pred"]')].map((p) => p.textContent.trim()),
      group: e.querySelector('.pred strong')?.textContent.trim() ?? '',
    })),
  );

/// Watch together: a sci-fi fan adds a romance fan's share link; the group's list shows both
/// predictions on every row, scores each film by the lower one, leaves out what either rated,
/// survives neither a reload (friends are never stored) nor a bad link (a clear message).
export async function togetherFlow(ctx, phone = false) {
  const { browser, server, problems, shots } = ctx;
  const label = phone ? 'watch together (phone)' : 'watch together';
  const friendLink = await shareLinkOf(ctx, ROMANCE, `${label}: friend`);
  const { context, page } = await visitorWho(ctx, SCIFI, label, phone);
  await page.click(T('nav-together'));
  await page.waitForSelector(T('together'), { timeout: UI_TIMEOUT_MS });

  // A broken link: a message, nobody added.
  await page.fill(T('together-add'), `${friendLink.slice(0, -6)}xxxxxx`);
  await page.press(T('together-add'), 'Enter');
  await page.waitForSelector(T('together-error'), { timeout: UI_TIMEOUT_MS });
  if ((await page.locator(T('together-item')).count()) !== 0) fail(`${label}: a bad link made a group list`);

  await page.fill(T('together-add'), friendLink);
  await page.press(T('together-add'), 'Enter');
  await page.waitForSelector(T('together-item'), { timeout: UI_TIMEOUT_MS });
  if (await page.locator(T('together-error')).count()) fail(`${label}: the error stays after a good link`);
  const rows = await readTogether(page);
  log(`${label}: ${rows.slice(0, 10).map((r) => `${r.title} [${r.preds.join(', ')}]`).join('; ')}`);
  if (rows.length < 10) fail(`${label}: only ${rows.length} films for the group`);
  const stars = (t) => Number(/(\d\.\d)★/.exec(t)?.[1]);
  let previous = Infinity;
  for (const r of rows) {
    if (r.preds.length !== 2 || !r.preds[0].startsWith('You ') || !r.preds[1].startsWith('Friend 1 '))
      fail(`${label}: "${r.title}" does not show You and Friend 1: ${r.preds.join(', ')}`);
    const low = Math.min(...r.preds.map(stars));
    if (Math.abs(Number(r.group) - low) > 0.051)
      fail(`${label}: "${r.title}" scores ${r.group}, the lower prediction is ${low}`);
    if (Number(r.group) > previous + 0.051) fail(`${label}: the list is not ordered by the group's score at "${r.title}"`);
    previous = Number(r.group);
    if ([...SCIFI, ...ROMANCE].some((s) => s.title === r.title)) fail(`${label}: "${r.title}" was rated by a member`);
  }
  await page.screenshot({ path: join(shots, phone ? 'phone-together.png' : 'together.png'), fullPage: !phone });

  // Friends are never stored: after a reload the group is the visitor alone.
  await page.reload({ waitUntil: 'commit' });
  await waitForFirstRecs(page, problems, `${label}, reload`);
  await page.click(T('nav-together'));
  await page.waitForSelector(T('together'), { timeout: UI_TIMEOUT_MS });
  const members = await page.locator(`${T('together')} .member`).allInnerTexts();
  if (members.length !== 1 || (await page.locator(T('together-item')).count()))
    fail(`${label}: the friend survived a reload: ${members.join('; ')}`);
  await page.click(T('nav-search'));
  await waitForCount(page, SEL.rated, SCIFI.length, `${label}: the visitor's own ratings only`);
  assertNoProblems(problems, label);
  await context.close();
}

/// The pair on screen, as its two titles.
const pairTitles = async (page) =>
  (await page.locator(`${T('pair-question')} ${T('question-title')}`).allInnerTexts()).map((t) => t.trim());

/// My answers, undo and skip: a comparison, a skip and a dislike are listed (latest first);
/// Undo takes the dislike back (the film can come back to the list) and the comparison back
/// (its films can be listed again); a skipped pair is not asked again, even after a reload.
export async function answersFlow(ctx) {
  const label = 'my answers';
  const { context, page } = await visitorWho(ctx, RATINGS.slice(0, 3), label);
  const { problems, shots } = ctx;
  // How well do you know me? Each rated film predicted without its own rating, drawn.
  await page.click(T('nav-search'));
  await page.click(T('know-me'));
  await page.waitForSelector(T('calibration-plot'), { timeout: UI_TIMEOUT_MS });
  const knowMe = await page.$eval(T('know-me-report'), (r) => ({
    points: r.querySelectorAll('svg .pt circle').length,
    ranges: r.querySelectorAll('svg .pt .range').length,
    titles: [...r.querySelectorAll('svg .pt title')].map((t) => t.textContent),
    text: r.textContent,
  }));
  log(`${label}: know me: ${knowMe.points} films; ${knowMe.text.match(/On \d+ films[^.]*\./)?.[0] ?? knowMe.text.slice(0, 200)}`);
  if (knowMe.points !== 3 || knowMe.ranges !== 3) fail(`${label}: the scatter has ${knowMe.points} films, 3 rated`);
  if (!RATINGS.slice(0, 3).every((r) => knowMe.titles.some((t) => t.startsWith(`${r.title}: you ${r.rating}★`))))
    fail(`${label}: the scatter's films are ${knowMe.titles.join(' | ')}`);
  if (!/On \d+ films, MovieMatch misses your rating by \d\.\d\d★ on average/.test(knowMe.text))
    fail(`${label}: the figures read ${knowMe.text.slice(0, 300)}`);
  await page.locator(T('my-ratings')).screenshot({ path: join(shots, 'know-me.png') });
  await page.click(T('nav-questions'));
  await page.click(T('ask-pairs'));
  await page.waitForSelector(T('pair-question'), { timeout: UI_TIMEOUT_MS });
  const compared = await pairTitles(page);
  await page.click(T('answer-a'));
  await page.waitForFunction(
    ([sel, before]) => [...document.querySelectorAll(sel)].map((e) => e.textContent.trim()).join('|') !== before,
    [`${T('pair-question')} ${T('question-title')}`, compared.join('|')],
    { timeout: UI_TIMEOUT_MS },
  );
  const skipped = await pairTitles(page);
  await page.click(T('answer-skip'));
  await page.waitForFunction(
    ([sel, before]) => [...document.querySelectorAll(sel)].map((e) => e.textContent.trim()).join('|') !== before,
    [`${T('pair-question')} ${T('question-title')}`, skipped.join('|')],
    { timeout: UI_TIMEOUT_MS },
  );
  // Dislike the list's first film.
  const disliked = (await page.locator(`${SEL.rec} ${T('rec-title')}`).first().textContent()).trim();
  await page.locator(SEL.rec).first().locator(T('fb-dislike')).click();
  await page.click(T('nav-search'));
  await page.waitForSelector(T('my-answers'), { timeout: UI_TIMEOUT_MS });
  const rows = await page.locator(T('answer-item')).allInnerTexts();
  log(`${label}: ${rows.map((r) => r.replace(/\s*Undo$/, '')).join(' | ')}`);
  if (rows.length !== 3) fail(`${label}: ${rows.length} answers listed, 3 expected: ${rows.join(' | ')}`);
  if (!rows[0].includes(`Disliked “${disliked}”`)) fail(`${label}: the latest answer is not the dislike: ${rows[0]}`);
  if (!rows[1].startsWith('Skipped') || !skipped.every((t) => rows[1].includes(t))) fail(`${label}: the skip reads ${rows[1]}`);
  if (!rows[2].includes(`“${compared[0]}” over “${compared[1]}”`)) fail(`${label}: the comparison reads ${rows[2]}`);
  await page.locator(T('my-answers')).screenshot({ path: join(shots, 'my-answers.png') });

  // Undo the dislike: gone from My answers, and the film may be listed again.
  await page.locator(T('answer-undo')).first().click();
  await waitForCount(page, T('answer-item'), 2, `${label}: after undoing the dislike`);
  // Undo the comparison: both its films may be listed again, nothing of it stays.
  await page.locator(T('answer-undo')).nth(1).click();
  await waitForCount(page, T('answer-item'), 1, `${label}: after undoing the comparison`);
  const stored = await page.evaluate(() => Object.values(localStorage).find((v) => v.includes('"events"')) ?? '');
  if (!stored.includes('"version":3') || !stored.includes('"uncompare"') || !stored.includes('"unlike"'))
    fail(`${label}: the stored profile lacks the withdrawals: ${stored.slice(0, 200)}`);

  // The skipped pair is not asked again, even after a reload (it is stored).
  await page.reload({ waitUntil: 'commit' });
  await waitForFirstRecs(page, problems, `${label}, reload`);
  await page.click(T('nav-questions'));
  await page.click(T('ask-pairs'));
  for (let n = 0; n < 6; n++) {
    await page.waitForSelector(T('pair-question'), { timeout: UI_TIMEOUT_MS });
    const pair = await pairTitles(page);
    if (pair.slice().sort().join('|') === skipped.slice().sort().join('|')) fail(`${label}: the skipped pair was asked again`);
    await page.click(T('answer-skip'));
    await page.waitForFunction(
      ([sel, before]) => [...document.querySelectorAll(sel)].map((e) => e.textContent.trim()).join('|') !== before,
      [`${T('pair-question')} ${T('question-title')}`, pair.join('|')],
      { timeout: UI_TIMEOUT_MS },
    );
  }

  // Take the list elsewhere: the Letterboxd file lists the list's films, in order.
  const titles = await page.$$eval(`${SEL.rec} ${T('rec-title')}`, (els) => els.map((e) => e.textContent.trim()));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`${T('recommendations')} ${T('export-letterboxd')}`),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  if (lines[0] !== 'Title,Year,imdbID') fail(`${label}: the Letterboxd file starts ${lines[0]}`);
  if (lines.length - 1 !== titles.length) fail(`${label}: ${lines.length - 1} films exported, ${titles.length} listed`);
  const first = lines[1].startsWith('"') ? JSON.parse(lines[1].slice(0, lines[1].indexOf('",') + 1)) : lines[1].split(',')[0];
  if (first !== titles[0]) fail(`${label}: the export starts with ${first}, the list with ${titles[0]}`);
  if (!/,\d{4},tt\d{7,}$/.test(lines[1])) fail(`${label}: no year and IMDb id in ${lines[1]}`);
  const [plain] = await Promise.all([page.waitForEvent('download'), page.click(`${T('recommendations')} ${T('export-csv')}`)]);
  const table = (await readFile(await plain.path(), 'utf8')).trim().split(/\r?\n/);
  if (table[0] !== 'imdb_id,title,year,predicted,low,high' || !/,\d\.\d,\d\.\d,\d\.\d$/.test(table[1]))
    fail(`${label}: the CSV with predictions reads ${table.slice(0, 2).join(' / ')}`);
  log(`${label}: exported ${lines.length - 1} films (${download.suggestedFilename()}, ${plain.suggestedFilename()})`);
  assertNoProblems(problems, label);
  await context.close();
}

/// How many of `recs` share a genre with `genres` (read from each row's meta line).
const sharing = (recs, genres) => recs.filter((r) => genres.some((g) => r.meta.includes(g))).length;

/// Items 7–8: "Stay close ↔ surprise me" re-ranks the list (−1 keeps at least as many films in
/// the visitor's genres as +1 does), and "Recent ratings count more" is on by default, can be
/// switched off, and stays off after a reload (stored in the profile as `"drift":false`).
export async function settingsFlow(ctx, phone = false) {
  const label = phone ? 'list settings (phone)' : 'list settings';
  const { context, page } = await visitorWho(ctx, RATINGS.slice(0, 3), label, phone);
  const liked = ['Sci-Fi', 'Animation', 'Crime'];
  await page.click(`${T('settings')} summary`);
  const drift = page.locator(T('set-drift'));
  if (!(await drift.isChecked())) fail('"Recent ratings count more" is not on by default');
  const plain = await readRecs(page);
  const setKnob = async (key, shown) => {
    await page.focus('#set-genre-distance');
    await page.keyboard.press(key);
    await page.waitForFunction(
      (want) => document.querySelector('label[for="set-genre-distance"] output')?.textContent === want,
      shown,
      { timeout: UI_TIMEOUT_MS },
    );
  };
  await setKnob('Home', '-1.0');
  const close = await waitForRecsToChange(page, plain, 'after "stay close" at −1');
  await setKnob('End', '1.0');
  const surprise = await waitForRecsToChange(page, close, 'after "surprise me" at 1');
  const [c, u] = [sharing(close.slice(0, 10), liked), sharing(surprise.slice(0, 10), liked)];
  if (c < u) fail(`stay close lists ${c} of 10 in the rated films' genres, surprise me ${u}`);
  log(`${label}: top 10 in ${liked.join('/')}: stay close ${c}, plain ${sharing(plain.slice(0, 10), liked)}, surprise ${u}`);
  await page.locator(T('settings')).screenshot({ path: join(ctx.shots, phone ? 'phone-settings-knobs.png' : 'settings-knobs.png') });
  await drift.uncheck();
  await page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('"drift":false')), null, {
    timeout: UI_TIMEOUT_MS,
  });
  await page.reload({ waitUntil: 'commit' });
  await waitForFirstRecs(page, ctx.problems, `${label} after reload`);
  await page.click(`${T('settings')} summary`);
  if (await page.locator(T('set-drift')).isChecked()) fail('"Recent ratings count more" came back on after a reload');
  if ((await page.inputValue('#set-genre-distance')) !== '1') fail('the genre-distance setting was lost on reload');
  await page.click(T('settings-reset'));
  if (!(await page.locator(T('set-drift')).isChecked())) fail('"Reset all to defaults" left drift off');
  log(`${label}: drift on by default, off kept across a reload, back on after reset`);
  await context.close();
}

export async function visitorFlows(ctx) {
  await settingsFlow(ctx);
  await settingsFlow(ctx, true);
  await answersFlow(ctx);
  await movieViewFlow(ctx);
  await movieViewFlow({ ...ctx, phone: true });
  await togetherFlow(ctx);
  await togetherFlow(ctx, true);
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
