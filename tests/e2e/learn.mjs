// End-to-end scenario "learn a visitor fast", on a fresh browser profile:
//   - the first screen offers three ways in (rate known movies, answer questions, import; the
//     import itself is data.mjs's);
//   - rating tiles of the popular grid makes the list personal;
//   - the question screen: answers of every kind, including "haven't seen A", "haven't seen B"
//     and "haven't seen it", and pair answers given with the keyboard (← → ↓); each answer
//     brings a new question, the certainty meter rises, and the list and its reasons change;
//   - rating a movie by comparisons runs to the end and its derived rating can be saved;
//   - like, dislike, hide, save and "seen it → rate" on recommendations, each visible at once;
//   - the watchlist tab: saved movies with the predicted rating and interval their list rows
//     show, best first; it survives a reload; "Remove" takes a movie off it (and the list's
//     "Saved" mark goes), "Seen it → rate" rates it (under My ratings) and takes it off;
//   - exploration at its maximum: every movie the plain list would not show says "exploring"
//     first, and no other does;
//   - the IMDb link is a plain new-tab link (never followed here);
//   - a filter (year from 2000) is obeyed, survives a reload, and "reset" lifts it;
//   - screenshots of every screen at desktop (1280×800) and phone (390×844) widths.
// Everything is read the way a visitor reads it: texts, counts, what is listed.

import { join } from 'node:path';
import {
  T,
  SEL,
  UI_TIMEOUT_MS,
  assertIntervals,
  assertNoProblems,
  escapeRe,
  fail,
  key,
  log,
  readRecs,
  waitForCount,
  waitForFirstRecs,
  waitForRecsToChange,
  watch,
} from './lib.mjs';


// What each recommendation gives as its reasons, in list order.
const readReasons = (page) => page.$$eval(SEL.rec, (els) =>
  els.map((e) => e.querySelector('[data-testid="rec-reasons"]')?.textContent.trim() ?? ''));

// The first number in an element's text.
async function numberIn(page, selector) {
  const text = await page.locator(selector).first().innerText();
  const m = text.match(/-?\d+(\.\d+)?/);
  if (!m) fail(`no number in ${selector}: "${text}"`);
  return parseFloat(m[0]);
}

async function waitForText(page, selector, re, what) {
  try {
    await page.waitForFunction(
      ([s, src]) => [...document.querySelectorAll(s)].some((e) => new RegExp(src).test(e.textContent)),
      [selector, re.source],
      { timeout: UI_TIMEOUT_MS },
    );
  } catch {
    const now = await page.locator(selector).allInnerTexts().catch(() => []);
    fail(`${what}: no ${selector} matching ${re} (shown: ${JSON.stringify(now.slice(0, 3))})`);
  }
}

// What a visitor sees at this window size: the viewport, scrolled to `sel` when given.
async function viewShot(page, path, sel) {
  if (sel) await page.locator(sel).first().evaluate((e) => e.scrollIntoView({ block: 'start' }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path });
}

// A recommendation by its exact title.
const recByTitle = (page, title) =>
  page.locator(SEL.rec).filter({
    has: page.locator('[data-testid="rec-title"]', { hasText: new RegExp(`^\\s*${escapeRe(title)}\\s*$`) }),
  });

async function waitGone(page, title, what) {
  try {
    await recByTitle(page, title).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  } catch {
    fail(`${what}: "${title}" is still recommended`);
  }
}

// Which question is on screen: {kind, titles}.
async function currentQuestion(page) {
  await page.waitForSelector(`${T('pair-question')}, ${T('rate-question')}`, { timeout: UI_TIMEOUT_MS });
  const kind = (await page.locator(T('pair-question')).count()) ? 'pair' : 'rate';
  const titles = await page.locator(`${T('questions')} ${T('question-title')}`).allInnerTexts();
  return { kind, titles: titles.map((t) => t.trim()) };
}

// Answers questions: first in the default mode ("most useful", mostly "rate this movie"), then
// with "Only A or B?" until every kind of answer was given at least once (and at least `min`
// answers in all), checking after each that a new question came and the answer was counted.
async function answerQuestions(page, min, shot) {
  const done = { left: false, right: false, down: false, unseenA: false, unseenB: false, unseenIt: false, rated: false };
  const kinds = new Set();
  let shotPair = false;
  let shotRate = false;
  for (let n = 0; n < 40; n++) {
    const pairNeeds = !done.left || !done.right || !done.down || !done.unseenA || !done.unseenB;
    if (n >= min && !pairNeeds) break;
    if (n === 4) {
      await page.click(T('ask-pairs'));
      await waitForText(page, `${T('ask-pairs')}[aria-pressed="true"]`, /A or B/, 'choosing "Only A or B?"');
      log('switched to "Only A or B?" questions');
    }
    const q = await currentQuestion(page);
    kinds.add(q.kind);
    if (n >= 4 && q.kind !== 'pair') fail(`"Only A or B?" is chosen but a ${q.kind} question came`);
    const count = await numberIn(page, T('answered-count'));
    if (count !== n) fail(`question screen says ${count} answered after ${n} answers`);
    let how;
    if (q.kind === 'pair') {
      if (!shotPair) {
        await shot('questions-pair');
        shotPair = true;
      }
      if (!done.left) { await page.keyboard.press('ArrowLeft'); done.left = true; how = 'key ←'; }
      else if (!done.unseenB) { await page.click(T('unseen-b')); done.unseenB = true; how = "haven't seen B"; }
      else if (!done.down) { await page.keyboard.press('ArrowDown'); done.down = true; how = 'key ↓'; }
      else if (!done.unseenA) { await page.click(T('unseen-a')); done.unseenA = true; how = "haven't seen A"; }
      else if (!done.right) { await page.keyboard.press('ArrowRight'); done.right = true; how = 'key →'; }
      else { await page.click(T(n % 2 ? 'answer-a' : 'answer-b')); how = n % 2 ? 'A' : 'B'; }
    } else {
      if (!shotRate) {
        await shot('questions-rate');
        shotRate = true;
      }
      if (!done.unseenIt) { await page.click(T('unseen-it')); done.unseenIt = true; how = "haven't seen it"; }
      else {
        const stars = ['4', '2', '4.5', '3'][n % 4];
        await page.click(`${T('rate-question')} button[data-rating="${stars}"]`);
        done.rated = true;
        how = `${stars}★`;
      }
    }
    log(`question ${n + 1} (${q.kind}: ${q.titles.join(' vs ')}) → ${how}`);
    await waitForText(page, T('answered-count'), new RegExp(`^${n + 1} answered$`), `after answer ${n + 1}`);
    const next = await currentQuestion(page);
    if (JSON.stringify(next) === JSON.stringify(q)) fail(`the same question was asked again after "${how}": ${q.titles.join(' vs ')}`);
  }
  if (!done.left || !done.right || !done.down) fail(`not every keyboard answer was tried: ${JSON.stringify(done)}`);
  if (!done.unseenA || !done.unseenB) fail(`"haven't seen A/B" were not both tried: ${JSON.stringify(done)}`);
  if (kinds.has('rate') && !done.unseenIt) fail('a rating question came but "haven\'t seen it" was not tried');
  if (!kinds.has('rate')) fail('the default mode never asked "rate this movie"');
  return done;
}

async function rateByComparison(page, query, title, year, truth) {
  await page.click(T('nav-search'));
  await page.fill(SEL.search, query);
  const result = page.locator(SEL.result)
    .filter({ has: page.locator('.title', { hasText: new RegExp(`^\\s*${escapeRe(title)}\\s*$`) }) })
    .filter({ has: page.locator('.meta', { hasText: year }) })
    .first();
  await result.waitFor({ timeout: UI_TIMEOUT_MS });
  await result.locator(T('compare-it')).click();
  await page.waitForSelector(T('compare'), { timeout: UI_TIMEOUT_MS });
  // The film's prediction for the visitor, above the questions.
  await waitForText(page, `${T('compare')} ${T('prediction')}`, /Predicted for you \d\.\d★/, 'the compare panel\'s prediction');
  let asked = 0;
  for (; asked < 12; asked++) {
    await page.waitForSelector(`${T('compare-question')}, ${T('compare-result')}`, { timeout: UI_TIMEOUT_MS });
    if (await page.locator(T('compare-result')).count()) break;
    const text = await page.locator(`${T('compare-question')} .question-text`).innerText();
    const m = text.match(/you gave it (\d(?:\.5)?)★/);
    if (!m) fail(`comparison question does not say the anchor's rating: "${text}"`);
    const anchor = parseFloat(m[1]);
    // A visitor whose true rating of the title is `truth`.
    const button = anchor < truth ? 'compare-better' : anchor > truth ? 'compare-worse' : 'compare-same';
    await page.click(T(button));
    await waitForText(page, `${T('compare')} .hint, ${T('compare-result')}`, new RegExp(`Question ${asked + 2} |After`), `comparison ${asked + 1}`);
  }
  const derived = await numberIn(page, T('derived-rating'));
  const interval = (await page.locator(T('derived-interval')).innerText()).match(/(\d\.\d)–(\d\.\d)/);
  if (!interval) fail('the derived rating shows no interval');
  const [lo, hi] = [parseFloat(interval[1]), parseFloat(interval[2])];
  log(`rate-by-comparison "${title}": ${asked} questions → ${derived}★ (80% ${lo}–${hi}), truth ${truth}`);
  if (asked < 2) fail(`rate-by-comparison stopped after ${asked} question(s)`);
  if (!(lo <= derived && derived <= hi)) fail(`derived ${derived} is outside its interval ${lo}–${hi}`);
  if (Math.abs(derived - truth) > 1) fail(`derived ${derived}★ is far from the answers' ${truth}★`);
  // The answers are the evidence (not a rating): every one is counted as a comparison.
  const note = await page.locator(T('compare-saved-note')).innerText();
  if (!note.includes(`${asked} answers`)) fail(`the result does not say the ${asked} answers were saved: "${note}"`);
  const counted = async () => {
    const m = (await page.locator(T('recs-sub')).innerText()).match(/(\d+) comparisons?/);
    return m ? parseInt(m[1], 10) : 0;
  };
  if ((await counted()) < asked) fail(`the list counts ${await counted()} comparisons after ${asked} answers`);
  await page.click(T('compare-done'));
  if (await page.locator(SEL.rated).filter({ hasText: title }).count()) fail(`"${title}" was saved as a rating too`);
  log(`"${title}": ${asked} comparisons counted as answers, not as a rating`);
}

async function feedback(page) {
  const used = new Set();
  // The next listed movie not acted on yet (the list moves after every answer).
  const pick = async () => {
    const t = (await readRecs(page)).map((r) => r.title).find((t) => !used.has(t));
    if (!t) fail('no recommendation left to give feedback on');
    used.add(t);
    return t;
  };
  const liked = await pick();

  // IMDb link: a plain link to the title's page, opened in a new tab, never followed here.
  const link = recByTitle(page, liked).locator(T('imdb-link'));
  const href = await link.getAttribute('href');
  if (!/^https:\/\/www\.imdb\.com\/title\/tt\d{7,}\/$/.test(href ?? '')) fail(`IMDb link of "${liked}" is ${href}`);
  if ((await link.getAttribute('target')) !== '_blank') fail('the IMDb link does not open a new tab');
  const rel = (await link.getAttribute('rel')) ?? '';
  if (!rel.includes('noopener') || !rel.includes('noreferrer')) fail(`IMDb link rel="${rel}"`);

  const subBefore = await page.locator(T('recs-sub')).innerText();
  await recByTitle(page, liked).locator(T('fb-like')).click();
  await waitForText(page, `${SEL.rec} ${T('fb-like')}[aria-pressed="true"]`, /Liked/, `after liking "${liked}"`);
  await waitForText(page, T('recs-sub'), /like or dislike/, 'after a like');
  log(`liked "${liked}": "${subBefore}" → "${await page.locator(T('recs-sub')).innerText()}"`);

  const disliked = await pick();
  await recByTitle(page, disliked).locator(T('fb-dislike')).click();
  await waitGone(page, disliked, 'after disliking it');
  await waitForText(page, T('recs-sub'), /2 likes and dislikes/, 'after a dislike');
  log(`disliked "${disliked}": gone from the list`);

  const hidden = await pick();
  await recByTitle(page, hidden).locator(T('fb-hide')).click();
  await waitGone(page, hidden, 'after hiding it');
  await waitForText(page, T('hidden-note'), /^1 hidden/, 'after hiding one');
  log(`hid "${hidden}": gone from the list, "1 hidden" shown`);

  const saved = await pick();
  await recByTitle(page, saved).locator(T('fb-save')).click();
  await waitForText(page, `${SEL.rec} ${T('fb-save')}[aria-pressed="true"]`, /Saved/, `after saving "${saved}"`);

  const seen = await pick();
  const ratedBefore = await page.locator(SEL.rated).count();
  await recByTitle(page, seen).locator(T('fb-seen')).click();
  await recByTitle(page, seen).locator(`${T('seen-rate')} button[data-rating="4"]`).click();
  await waitGone(page, seen, 'after rating it from the list');
  await waitForCount(page, SEL.rated, ratedBefore + 1, `after rating "${seen}" from the list`);
  log(`saved "${saved}" to the watchlist; rated "${seen}" 4★ from the list (now under My ratings)`);

  // "Hide my watchlist" takes the saved one off the list.
  await page.click(`${T('settings')} summary`);
  await page.check('#exclude-saved');
  await waitGone(page, saved, 'with "Hide my watchlist" ticked');
  await page.uncheck('#exclude-saved');
  await recByTitle(page, saved).first().waitFor({ timeout: UI_TIMEOUT_MS });
  await page.click(`${T('settings')} summary`);
  log(`"Hide my watchlist" hides "${saved}" and unticking brings it back`);
  return { disliked, hidden, saved };
}

// The watchlist as shown: [{title, mean, interval}] in order.
const readWatch = (page) => page.$$eval('[data-testid="watch-item"]', (els) =>
  els.map((e) => ({
    title: e.querySelector('[data-testid="watch-title"]')?.textContent.trim() ?? '',
    mean: parseFloat(e.querySelector('[data-testid="watch-pred"] strong')?.textContent ?? 'NaN'),
    interval: e.querySelector('[data-testid="watch-interval"]')?.textContent.trim() ?? '',
  })));

const watchByTitle = (page, title) =>
  page.locator(T('watch-item')).filter({
    has: page.locator(T('watch-title'), { hasText: new RegExp(`^\\s*${escapeRe(title)}\\s*$`) }),
  });

// `saved` is on the watchlist (from feedback()); one more is saved, then the watchlist tab must
// show both with their list rows' numbers, best first, after a reload too; "Remove" and
// "Seen it → rate" each take one off.
async function watchlist(page, problems, saved, shot) {
  const recs = await readRecs(page);
  const second = recs.map((r) => r.title).find((t) => t !== saved);
  await recByTitle(page, second).locator(T('fb-save')).click();
  await waitForText(page, `${SEL.rec} ${T('fb-save')}[aria-pressed="true"]`, /Saved/, `after saving "${second}"`);
  const rows = await readRecs(page);
  const row = (t) => rows.find((r) => r.title === t);
  for (const t of [saved, second]) if (!row(t)) fail(`"${t}" is not in the list any more`);

  const check = async (when) => {
    await page.click(T('nav-watchlist'));
    await waitForCount(page, T('watch-item'), 2, `the watchlist ${when}`);
    const shown = await readWatch(page);
    const titles = shown.map((w) => w.title);
    if (titles.slice().sort().join('|') !== [saved, second].sort().join('|')) {
      fail(`the watchlist ${when} shows ${JSON.stringify(titles)}, not "${saved}" and "${second}"`);
    }
    for (const w of shown) {
      const r = row(w.title);
      const want = `${r.interval[0].toFixed(1)}–${r.interval[1].toFixed(1)}`;
      if (w.mean !== r.mean || w.interval !== want) {
        fail(`the watchlist ${when} shows "${w.title}" at ${w.mean} ★ ${w.interval}; its list row says ${r.mean} ★ ${want}`);
      }
    }
    if (!(shown[0].mean >= shown[1].mean)) fail(`the watchlist ${when} is not best first: ${JSON.stringify(shown)}`);
    const count = (await page.locator(T('watchlist-count')).innerText()).trim();
    if (count !== '2') fail(`the watchlist ${when} counts "${count}"`);
    const href = await page.locator(`${T('watch-item')} ${T('imdb-link')}`).first().getAttribute('href');
    if (!/^https:\/\/www\.imdb\.com\/title\/tt\d{7,}\/$/.test(href ?? '')) fail(`watchlist IMDb link ${href}`);
    log(`watchlist ${when}: ${shown.map((w) => `${w.title} ${w.mean}★ (${w.interval})`).join('; ')}`);
  };
  await check('after saving two');
  await shot('watchlist');

  await page.reload({ waitUntil: 'commit' });
  await waitForFirstRecs(page, problems, 'reload with a watchlist');
  await check('after a reload');

  // Remove: off the watchlist, and the list's "Saved" mark goes.
  await watchByTitle(page, saved).locator(T('watch-remove')).click();
  await waitForCount(page, T('watch-item'), 1, `after removing "${saved}"`);
  const mark = recByTitle(page, saved).locator(T('fb-save'));
  try {
    await page.waitForFunction(
      (t) => [...document.querySelectorAll('[data-testid="rec-item"]')]
        .filter((e) => e.querySelector('[data-testid="rec-title"]')?.textContent.trim() === t)
        .every((e) => e.querySelector('[data-testid="fb-save"]')?.getAttribute('aria-pressed') === 'false'),
      saved,
      { timeout: UI_TIMEOUT_MS },
    );
  } catch {
    fail(`"${saved}" is still marked saved in the list after "Remove"`);
  }
  if (!(await mark.count())) fail(`"${saved}" left the list when it was removed from the watchlist`);
  log(`removed "${saved}" from the watchlist: its list row says "${(await mark.first().innerText()).trim()}" again`);

  // Seen it → rate: rated, under My ratings, and off the watchlist.
  await watchByTitle(page, second).locator(T('watch-seen')).click();
  await watchByTitle(page, second).locator(`${T('seen-rate')} button[data-rating="4"]`).click();
  await waitForCount(page, T('watch-item'), 0, `after rating "${second}" from the watchlist`);
  await waitForText(page, T('watchlist-empty'), /^Save movies from your recommendations to see them here\.$/, 'the empty watchlist');
  await waitGone(page, second, 'after rating it from the watchlist');
  await page.click(T('nav-search'));
  const mine = await page.locator(SEL.rated).allInnerTexts();
  if (!mine.some((t) => t.includes(second))) fail(`"${second}" is not under My ratings after "Seen it → rate"`);
  log(`rated "${second}" 4★ from the watchlist: off it, under My ratings, and no longer recommended`);
}

// Exploration at its maximum: the list changes, and exactly the movies the plain list does not
// show give "exploring" as their first reason.
async function exploration(page, shot) {
  if (!(await page.locator(`${T('settings')}[open]`).count())) await page.click(`${T('settings')} summary`);
  const plain = await readRecs(page);
  const plainTitles = new Set(plain.map((r) => r.title));
  if ((await readReasons(page)).some((w) => /exploring/i.test(w))) fail('"exploring" shows with exploration 0');
  await page.focus('#set-exploration');
  await page.keyboard.press('End');
  await waitForText(page, 'label[for="set-exploration"] output', /^3\.0$/, 'the exploration slider at its maximum');
  const explored = await waitForRecsToChange(page, plain, 'after exploration 3');
  const reasons = await readReasons(page);
  const want = 'Exploring: you might love this or not — the model is unsure';
  let n = 0;
  explored.forEach((r, i) => {
    const says = reasons[i].startsWith(want);
    const lifted = !plainTitles.has(r.title);
    if (says !== lifted) {
      fail(`with exploration 3, "${r.title}" (${lifted ? 'not ' : ''}in the plain list) has reasons "${reasons[i]}"`);
    }
    if (says) n++;
  });
  if (!n) fail('with exploration 3 no recommendation says it is exploring');
  await shot('exploring', `${SEL.rec}:nth-child(${explored.findIndex((r) => !plainTitles.has(r.title)) + 1})`);
  log(`exploration 3: ${n} of ${explored.length} listed only by the draw, each saying so first ("${reasons[explored.findIndex((r) => !plainTitles.has(r.title))]}")`);
  await page.click(T('settings-reset'));
  await waitForText(page, 'label[for="set-exploration"] output', /^0\.0$/, 'exploration after "Reset all to defaults"');
  await page.click(`${T('settings')} summary`);
}

async function yearFilter(page, problems, shot) {
  const before = await readRecs(page);
  if (!(await page.locator(`${T('settings')}[open]`).count())) await page.click(`${T('settings')} summary`);
  await page.fill('#year-min', '2000');
  await page.press('#year-min', 'Tab');
  const after = await waitForRecsToChange(page, before, 'after "Year from 2000"');
  const old = after.filter((m) => !(parseInt(m.year, 10) >= 2000));
  if (old.length) fail(`year filter ≥ 2000 lets through: ${old.map(key).join('; ')}`);
  await waitForText(page, T('active-filters'), /^1 active$/, 'the settings summary after one filter');
  log(`year ≥ 2000: ${after.slice(0, 6).map(key).join('; ')} …`);
  await shot('settings', T('settings'));

  await page.reload({ waitUntil: 'commit' });
  await waitForFirstRecs(page, problems, 'reload with a filter');
  const kept = await readRecs(page);
  if (kept.some((m) => !(parseInt(m.year, 10) >= 2000))) fail('the year filter was lost on reload');
  await page.click(`${T('settings')} summary`);
  if ((await page.inputValue('#year-min')) !== '2000') fail('the year box is empty after reload');
  await page.click(T('settings-reset'));
  const reset = await waitForRecsToChange(page, kept, 'after "Reset all to defaults"');
  if (!reset.some((m) => parseInt(m.year, 10) < 2000)) fail('after reset the list still has only movies from 2000 on');
  log('the filter survived a reload and "Reset all to defaults" lifted it');
}

export async function learnFlows({ browser, server, problems, shots }) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await watch(ctx, page, server.origin, problems, 'learn');
  const shot = (name, sel) => viewShot(page, join(shots, `desktop-${name}.png`), sel);
  try {
    await page.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'learn: first load');

    // --- the first screen: three ways in ------------------------------------------------
    const welcome = await page.locator(T('welcome')).innerText();
    for (const want of ['Rate movies you know', 'Answer questions', 'Import your ratings']) {
      if (!welcome.includes(want)) fail(`the first screen does not offer "${want}": ${welcome}`);
    }
    if (await page.locator(T('way-import')).isDisabled()) fail('"Import your ratings" is disabled (data.mjs uses it)');
    await shot('start');

    // --- rate movies you know ------------------------------------------------------------
    await page.click(T('way-popular'));
    await waitForCount(page, `${T('popular')} ${T('popular-item')}`, 24, 'the popular grid');
    const initial = await readRecs(page);
    const grid = [['0', '5'], ['1', '1.5'], ['2', '4'], ['4', '3.5']];
    for (const [i, stars] of grid) {
      await page.locator(T('popular-item')).nth(+i).locator(`button[data-rating="${stars}"]`).click();
    }
    await waitForText(page, `${T('popular')} .count`, /^4 rated$/, 'the grid after rating four tiles');
    await waitForText(page, T('recs-sub'), /Based on your 4 ratings/, 'the list after rating four tiles');
    const afterGrid = await waitForRecsToChange(page, initial, 'after rating four popular movies');
    log(`rated 4 popular tiles; list now starts ${afterGrid.slice(0, 3).map(key).join('; ')}`);
    await shot('popular');

    // --- questions ------------------------------------------------------------------------
    const recsBefore = await readRecs(page);
    const reasonsBefore = await readReasons(page);
    await page.click(T('nav-questions'));
    await page.waitForSelector(T('questions'), { timeout: UI_TIMEOUT_MS });
    const sure0 = await numberIn(page, T('certainty'));
    await answerQuestions(page, 10, shot);
    const sure1 = await numberIn(page, T('certainty'));
    log(`certainty: ${sure0}% → ${sure1}%`);
    if (!(sure1 > sure0)) fail(`the certainty meter did not rise with answers (${sure0}% → ${sure1}%)`);
    await waitForText(page, T('recs-sub'), /comparison/, 'the list heading after pair answers');
    const recsAfter = await waitForRecsToChange(page, recsBefore, 'after answering questions');
    assertIntervals(recsAfter, 'after questions');
    const reasonsAfter = await readReasons(page);
    if (JSON.stringify(reasonsAfter) === JSON.stringify(reasonsBefore)) fail('the reasons did not change after the answers');
    log(`after questions: ${recsAfter.slice(0, 4).map(key).join('; ')} … reasons: ${reasonsAfter.slice(0, 2).join(' | ')}`);
    assertNoProblems(problems, 'questions');

    // --- rate a movie by comparisons --------------------------------------------------------
    await rateByComparison(page, 'heat 1995', 'Heat', '1995', 3.5);
    await shot('search');
    assertNoProblems(problems, 'rate by comparison');

    // --- feedback on recommendations ------------------------------------------------------
    const { disliked, hidden, saved } = await feedback(page);
    await shot('feedback', SEL.rec);
    assertNoProblems(problems, 'feedback');

    // --- the watchlist ----------------------------------------------------------------------
    await watchlist(page, problems, saved, shot);
    assertNoProblems(problems, 'watchlist');

    // --- filters ---------------------------------------------------------------------------
    await yearFilter(page, problems, shot);
    await exploration(page, shot);
    const end = (await readRecs(page)).map((r) => r.title);
    for (const t of [disliked, hidden]) if (end.includes(t)) fail(`"${t}" came back after reload`);
    assertNoProblems(problems, 'filters');

    // A screenshot of the comparison screen (the flow above ends on another one).
    await page.click(T('nav-search'));
    await page.fill(SEL.search, 'alien');
    await page.locator(`${SEL.result} ${T('compare-it')}`).first().click();
    await page.waitForSelector(T('compare-question'), { timeout: UI_TIMEOUT_MS });
    await shot('compare');
  } catch (e) {
    await page.screenshot({ path: join(shots, 'learn-failure.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await ctx.close();
  }
}

// Phone-width screenshots of the new screens on a fresh profile (and no sideways scrolling).
export async function phoneShots({ browser, server, problems, shots }) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await watch(ctx, page, server.origin, problems, 'phone-screens');
  const shot = (name, sel) => viewShot(page, join(shots, `phone-${name}.png`), sel);
  try {
    await page.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'phone: first load');
    await shot('start');
    await page.click(T('way-popular'));
    await waitForCount(page, T('popular-item'), 24, 'phone: popular grid');
    for (const i of [0, 1, 2]) await page.locator(T('popular-item')).nth(i).locator(`button[data-rating="${['4', '2', '5'][i]}"]`).click();
    await shot('popular');
    await shot('recs', SEL.rec);
    // The watchlist tab with two saved movies.
    for (const n of [0, 1]) {
      await page.locator(SEL.rec).nth(n).locator(T('fb-save')).click();
      await waitForCount(page, `${SEL.rec} ${T('fb-save')}[aria-pressed="true"]`, n + 1, 'phone: saving');
    }
    await page.click(T('nav-watchlist'));
    await waitForCount(page, T('watch-item'), 2, 'phone: the watchlist');
    await page.locator(T('watch-seen')).first().click();
    await shot('watchlist', '.screen-nav');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) fail(`phone watchlist: the page scrolls sideways by ${overflow}px`);
    await page.click(T('nav-questions'));
    await currentQuestion(page);
    await shot('questions', T('questions'));
    await page.click(T('ask-pairs'));
    await page.waitForSelector(T('pair-question'), { timeout: UI_TIMEOUT_MS });
    await shot('questions-pair', T('pair-question'));
    await page.click(`${T('settings')} summary`);
    await shot('settings', T('settings'));
    for (const what of ['questions', 'settings']) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) fail(`phone ${what}: the page scrolls sideways by ${overflow}px`);
    }
    assertNoProblems(problems, 'phone screens');
  } finally {
    await ctx.close();
  }
}
