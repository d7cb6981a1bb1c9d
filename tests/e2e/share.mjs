// End-to-end scenario "share links", read the way a visitor reads the page:
//   - rate three movies, press "Share my ratings", take the link from the read-only field
//     (and press Copy: either the clipboard takes it or the field is selected, and the page says which);
//   - open the link in a FRESH browser context (empty storage): the banner says
//     "Viewing a shared profile: 3 ratings", the three movies are listed, recommendations made
//     for them appear (none of them a shared movie), and nothing of the visitor's is shown;
//   - "Merge into mine", then reload: the three ratings are under My ratings, the banner is gone;
//   - at phone width: the same view, "Replace mine" asks for confirmation in the page and
//     "Cancel" withdraws it, "Back to my profile" returns to the empty own profile;
//   - in the first context, a link with one character changed shows the decoding error in a
//     notice, no shared view, and the visitor's ratings unchanged (before and after a reload);
//   - screenshots desktop-shared.png / phone-shared.png / phone-shared-confirm.png.

import { join } from 'node:path';
import {
  waitVisible,
  T,
  RATINGS,
  SEL,
  UI_TIMEOUT_MS,
  assertIntervals,
  assertNoProblems,
  fail,
  key,
  log,
  readRated,
  readRecs,
  searchAndRate,
  waitForCount,
  waitForFirstRecs,
  watch,
} from './lib.mjs';

const SHARED = RATINGS.slice(0, 3);

async function waitHidden(page, selector, what) {
  try {
    await page.locator(selector).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  } catch {
    fail(`${what}: ${selector} is still shown`);
  }
}

async function bannerText(page) {
  return (await page.locator(`${T('shared-banner')} h2`).innerText()).trim();
}

// The shared view as a visitor checks it: the count, the movies, recommendations for them.
async function checkSharedView(page, what) {
  await waitVisible(page, T('shared-banner'), what);
  const title = await bannerText(page);
  if (title !== `Viewing a shared profile: ${SHARED.length} ratings`) fail(`${what}: the banner says "${title}"`);
  const listed = await page.$$eval(`${T('shared-ratings')} ${T('shared-rated-item')} .title`, (els) =>
    els.map((e) => e.textContent.trim()),
  );
  for (const s of SHARED) if (!listed.includes(s.title)) fail(`${what}: "${s.title}" is not among the shared ratings: ${listed}`);
  await waitForCount(page, SEL.rec, 20, `${what}: recommendations`);
  const recs = await readRecs(page);
  assertIntervals(recs, what);
  const shared = new Set(SHARED.map((s) => s.title));
  const leaked = recs.filter((r) => shared.has(r.title));
  if (leaked.length) fail(`${what}: shared movies are recommended: ${leaked.map(key).join('; ')}`);
  const sub = await page.locator(T('recs-sub')).innerText();
  if (!sub.includes(`Based on its ${SHARED.length} ratings`)) fail(`${what}: the list heading says "${sub}"`);
  if (await page.locator(T('fb-like')).count()) fail(`${what}: the shared list offers feedback buttons`);
  if (await page.locator(SEL.rated).count()) fail(`${what}: the visitor's own "My ratings" is shown in the shared view`);
  return recs;
}

export async function shareFlows({ browser, server, problems, shots }) {
  const mine = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const a = await mine.newPage();
  await watch(mine, a, server.origin, problems, 'share-owner');
  let b;
  try {
    // --- the owner rates three movies and takes the link ---------------------------------
    await a.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(a, problems, 'share: owner load');
    for (const [i, spec] of SHARED.entries()) await searchAndRate(a, spec, i + 1);
    await a.click(T('share-open'));
    await waitVisible(a, T('share-link'), 'after "Share my ratings"');
    const link = await a.inputValue(T('share-link'));
    if (!link.startsWith(`${server.url}#share=`)) fail(`the share link is not ${server.url}#share=…: ${link}`);
    const note = await a.locator(T('share-box')).innerText();
    if (!/only your ratings/.test(note) || !/never send to any server/.test(note))
      fail(`the share box does not say what the link carries: ${note}`);
    await a.click(T('share-copy'));
    try {
      await a.waitForFunction((s) => /Copied|Selected/.test(document.querySelector(s)?.textContent ?? ''),
        '.share-status', { timeout: UI_TIMEOUT_MS });
    } catch {
      fail('pressing Copy says neither "Copied" nor "Selected"');
    }
    await a.locator(T('my-ratings')).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await a.screenshot({ path: join(shots, 'desktop-share-link.png') });
    log(`share link (${link.length - server.url.length} chars after the page address): ${link}`);
    assertNoProblems(problems, 'share link');

    // --- a visitor with empty storage opens it --------------------------------------------
    const friend = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    b = await friend.newPage();
    await watch(friend, b, server.origin, problems, 'share-visitor');
    await b.goto(link, { waitUntil: 'commit' });
    await waitForFirstRecs(b, problems, 'share: visitor load');
    const recs = await checkSharedView(b, 'the shared view');
    const why = await b.locator(T('rec-reasons')).allInnerTexts();
    if (why.some((t) => /\byou\b|\byour\b/i.test(t))) fail(`the shared list's reasons speak of the visitor: ${why.slice(0, 3)}`);
    log(`shared view: "${await bannerText(b)}"; list starts ${recs.slice(0, 3).map(key).join('; ')}`);
    await b.evaluate(() => window.scrollTo(0, 0));
    await b.screenshot({ path: join(shots, 'desktop-shared.png') });

    await b.click(T('share-merge'));
    await waitHidden(b, T('shared-banner'), 'after "Merge into mine"');
    await waitForCount(b, SEL.rated, SHARED.length, 'after "Merge into mine"');
    if (new URL(b.url()).hash) fail(`after merging the address still has a fragment: ${b.url()}`);
    const said = await b.locator(T('notice')).allInnerTexts();
    if (!said.some((t) => t.includes(`Added ${SHARED.length} shared ratings`))) fail(`no notice says what was merged: ${said}`);
    await b.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(b, problems, 'share: visitor reload');
    await waitForCount(b, SEL.rated, SHARED.length, 'after merging and reloading');
    const kept = await readRated(b);
    for (const s of SHARED) if (!kept.some((m) => m.title === s.title)) fail(`"${s.title}" is not under My ratings after merge + reload`);
    if (await b.locator(T('shared-banner')).count()) fail('the shared view came back after reload');
    log(`merged: My ratings now ${kept.map(key).join('; ')}`);
    assertNoProblems(problems, 'merge');
    await friend.close();

    // --- phone width: look, ask to replace, cancel, go back -------------------------------
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const p = await phone.newPage();
    await watch(phone, p, server.origin, problems, 'share-phone');
    await p.goto(link, { waitUntil: 'commit' });
    await waitForFirstRecs(p, problems, 'share: phone load');
    await checkSharedView(p, 'the shared view on a phone');
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.screenshot({ path: join(shots, 'phone-shared.png') });
    await p.click(T('share-replace'));
    await waitVisible(p, T('share-confirm'), 'after "Replace mine"');
    const ask = await p.locator(T('share-confirm')).innerText();
    if (!/Replace your profile with these 3 ratings\?/.test(ask)) fail(`the confirmation says "${ask}"`);
    await p.screenshot({ path: join(shots, 'phone-shared-confirm.png') });
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) fail(`phone shared view: the page scrolls sideways by ${overflow}px`);
    await p.click(`${T('share-confirm')} >> text=Cancel`);
    await waitHidden(p, T('share-confirm'), 'after Cancel');
    await p.click(T('share-back'));
    await waitHidden(p, T('shared-banner'), 'after "Back to my profile"');
    if (new URL(p.url()).hash) fail(`after "Back" the address still has a fragment: ${p.url()}`);
    if (await p.locator(SEL.rated).count()) fail('"Back to my profile" left ratings in an empty profile');
    assertNoProblems(problems, 'phone shared view');
    await phone.close();

    // --- the owner opens a tampered link ----------------------------------------------------
    const at = link.indexOf('#share=') + '#share='.length;
    const mid = at + Math.floor((link.length - at) / 2);
    const bad = link.slice(0, mid) + (link[mid] === 'A' ? 'B' : 'A') + link.slice(mid + 1);
    const before = (await readRated(a)).map(key).sort();
    for (const how of ['opened in the open page', 'after reload']) {
      if (how === 'after reload') {
        await a.reload({ waitUntil: 'commit' });
        await waitForFirstRecs(a, problems, 'share: tampered reload');
      } else {
        await a.goto(bad, { waitUntil: 'commit' });
      }
      try {
        await a.waitForFunction((s) => [...document.querySelectorAll(s)].some((e) => /share link could not be opened/.test(e.textContent)),
          T('notice'), { timeout: UI_TIMEOUT_MS });
      } catch {
        fail(`tampered link ${how}: no notice says it could not be opened`);
      }
      const text = (await a.locator(T('notice')).allInnerTexts()).join(' | ');
      if (!/changed or damaged|damaged|cut short/.test(text)) fail(`tampered link ${how}: the notice does not say why: ${text}`);
      if (await a.locator(T('shared-banner')).count()) fail(`tampered link ${how}: a shared view is shown`);
      await waitForCount(a, SEL.rated, SHARED.length, `tampered link ${how}: My ratings`);
      const after = (await readRated(a)).map(key).sort();
      if (JSON.stringify(after) !== JSON.stringify(before)) fail(`tampered link ${how} changed My ratings: ${after}`);
      log(`tampered link ${how}: "${text}"`);
    }
    await a.screenshot({ path: join(shots, 'desktop-share-tampered.png') });
    assertNoProblems(problems, 'tampered link');
  } catch (e) {
    for (const pg of [a, b]) {
      if (pg && !pg.isClosed()) await pg.screenshot({ path: join(shots, 'share-failure.png'), fullPage: true }).catch(() => {});
    }
    throw e;
  } finally {
    await mine.close();
  }
}
