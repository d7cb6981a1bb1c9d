// End-to-end scenario "a visitor's data is theirs", read the way a visitor reads the page:
//   (a) desktop, fresh profile: "Import your ratings" on the start screen, the IMDb export chosen with
//       the file picker: the preview says 15 rows, 10 matched, 5 kept; "Merge" lists 15 ratings (The
//       Matrix among them), changes the recommendations and recommends none of the imported movies;
//   (b) the Letterboxd export zip dropped on the drop zone (a synthetic drop with a DataTransfer):
//       24 rows, 21 matched, 1 to choose (Hamlet, no year), 2 kept; a Hamlet is chosen in its
//       <select>, "Merge" adds the ratings the visitor did not have and says how many it kept;
//   (c) an empty file, a PNG renamed .csv and a Netflix-style `Title,Date` CSV each give their own
//       clear message, "Nothing was changed.", and the ratings stay as they were;
//   (d) "Download my data" gives moviematch-profile-YYYY-MM-DD.json with every rating; in a FRESH
//       phone context that file is previewed (after a Letterboxd preview cancelled without a trace)
//       and "Replace my ratings" (confirmed in the page) gives the same ratings; a profile with
//       "version": 99 is refused with the newer-version message and changes nothing;
//   (e) the stored profile is damaged ('{broken'): a reload restores the last good copy, says so,
//       keeps every rating and backs the damaged text up;
//   (f) localStorage filled to the quota with junk: rating a movie says storage is full and that
//       what was saved is intact; with the junk removed, a reload shows every saved rating; filled
//       again, "Save again" after freeing space saves the new answer;
//   (g) "Delete all my data", confirmed in the page: the start screen, none of the site's keys
//       left (the keys of sites at /elsewhere/ and /sub/path/:x/ stay), and still empty after a
//       reload;
//   (h) two tabs of the site (one context, two pages): a rating in one appears in the other
//       without a reload, a rating there keeps it, and a reload shows both; "Delete all my data"
//       in one empties the other, whose next rating does not bring the deleted ones back;
//   (i) a stored profile this version cannot read (a newer format) and a damaged last-good copy:
//       "Download my data" gives the stored text as it is (…-unreadable.json), a header-only
//       export offers neither merge nor replace, the replace confirmation does not say "nothing
//       is lost", and replacing backs both texts up before writing;
//   screenshots desktop-/phone-import.png (the drop zone), desktop-/phone-import-preview.png,
//   desktop-/phone-data.png, desktop-import-choose.png, phone-import-confirm.png, phone-storage-full.png.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  waitVisible,
  T,
  SEL,
  UI_TIMEOUT_MS,
  assertNoProblems,
  fail,
  key,
  log,
  readRated,
  readRecs,
  searchAndRate,
  waitForCount,
  waitForFirstRecs,
  waitForRecsToChange,
  watch,
} from './lib.mjs';

const FIXTURES = fileURLToPath(new URL('../fixtures/imports/', import.meta.url));
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

// Waits for a notice whose text matches `re` and returns it.
export async function waitNotice(page, re, what) {
  try {
    await page.waitForFunction(
      ([s, src]) => [...document.querySelectorAll(s)].some((e) => new RegExp(src).test(e.textContent)),
      [T('notice'), re.source],
      { timeout: UI_TIMEOUT_MS },
    );
  } catch {
    const now = await page.locator(T('notice')).allInnerTexts().catch(() => []);
    fail(`${what}: no notice matching ${re} (notices: ${JSON.stringify(now)})`);
  }
  return (await page.locator(`${T('notice')} p`).allInnerTexts()).find((t) => re.test(t));
}

async function summary(page) {
  return (await page.locator(T('import-summary')).innerText()).trim();
}

export async function expectSummary(page, want, what) {
  await waitVisible(page, T('import-preview'), what);
  const got = await summary(page);
  for (const w of want) if (!got.includes(w)) fail(`${what}: the preview says "${got}", not "${w}"`);
  log(`${what}: "${got}"`);
  return got;
}

// The import screen, from wherever the visitor is: "Import ratings…" in the data panel (on the
// search screen) or the start screen's way in.
export async function openImport(page) {
  if (await page.locator(T('import')).count()) return;
  if (await page.locator(T('way-import')).count()) await page.click(T('way-import'));
  else {
    if (!(await page.locator(T('data-import')).count())) await page.click(T('nav-search'));
    await page.click(T('data-import'));
  }
  await waitVisible(page, T('import'), 'the import screen');
}

// Drops a file on the drop zone as a browser does: dragenter, dragover, drop with a DataTransfer.
async function dropFile(page, path, name, type) {
  const b64 = (await readFile(path)).toString('base64');
  await page.evaluate(([b64, name, type, zone]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name, { type }));
    const el = document.querySelector(zone);
    for (const t of ['dragenter', 'dragover', 'drop']) {
      el.dispatchEvent(new DragEvent(t, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, [b64, name, type, T('import-drop')]);
}

const storedKeys = (page) => page.evaluate(() => Object.keys(localStorage).sort());
// The site's own key (storage.rs: `moviematch:<directory of the page>:profile`); other sites'
// keys with the same shape may be in storage too, in any order, so never search for it.
const profileKey = async (page) => {
  const path = new URL(page.url()).pathname;
  return `moviematch:${path.slice(0, path.lastIndexOf('/') + 1)}:profile`;
};

// Fills localStorage with junk until even one more character does not fit; returns the keys used.
const fillStorage = (page) =>
  page.evaluate(() => {
    const keys = [];
    let chunk = 'x'.repeat(1 << 20);
    for (let i = 0; chunk.length > 0; i++) {
      try {
        localStorage.setItem(`junk:${i}`, chunk);
        keys.push(`junk:${i}`);
      } catch (e) {
        if (e.name !== 'QuotaExceededError') throw e;
        chunk = chunk.slice(0, chunk.length >> 1);
      }
    }
    return keys;
  });
const freeStorage = (page, keys) => page.evaluate((keys) => keys.forEach((k) => localStorage.removeItem(k)), keys);

async function ratedCount(page) {
  return page.locator(SEL.rated).count();
}

// What a visitor sees at this window size, scrolled to `sel`.
async function shot(page, path, sel) {
  await page.locator(sel).first().evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path });
}

export async function dataFlows({ browser, server, problems, shots }) {
  const tmp = await mkdtemp(join(tmpdir(), 'moviematch-e2e-'));
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await desk.newPage();
  await watch(desk, page, server.origin, problems, 'data');
  let phone;
  let p;
  try {
    await page.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, 'data: first load');

    // --- (a) the IMDb export through the file picker ------------------------------------
    const welcome = await page.locator(T('welcome')).innerText();
    if (/coming soon/i.test(welcome)) fail(`the start screen still says import is coming soon: ${welcome}`);
    if (await page.locator(T('way-import')).isDisabled()) fail('"Import your ratings" is disabled');
    const initial = await readRecs(page);
    await openImport(page);
    const zone = await page.locator(T('import-drop')).innerText();
    if (!/Drop the file here/.test(zone) || !/Choose a file/.test(zone)) fail(`the drop zone says "${zone}"`);
    await shot(page, join(shots, 'desktop-import.png'), T('import'));
    await page.setInputFiles(T('import-file'), join(FIXTURES, 'imdb-current.csv'));
    await expectSummary(page, ['IMDb export', '15 rows', '10 matched', '0 to choose', '5 not in this catalogue'], 'IMDb preview');
    if (await ratedCount(page)) fail('the preview already wrote ratings');
    await page.click(`${T('import-unmatched')} summary`);
    const kept = await page.locator(T('import-unmatched')).innerText();
    for (const t of ['Breaking Bad', 'Oppenheimer']) if (!kept.includes(t)) fail(`"${t}" is not listed as kept: ${kept}`);
    await shot(page, join(shots, 'desktop-import-preview.png'), T('import-preview'));
    await page.click(T('import-merge'));
    await waitForCount(page, SEL.rated, 15, 'after merging the IMDb export');
    const said = await waitNotice(page, /Imported 15 ratings/, 'after merging the IMDb export');
    if (!said.includes('5 not in this catalogue, kept for later')) fail(`the notice says "${said}"`);
    const rated = await readRated(page);
    if (!rated.some((m) => m.title === 'The Matrix' && m.year === '1999')) fail(`The Matrix is not under My ratings: ${rated.map(key)}`);
    const afterImdb = await waitForRecsToChange(page, initial, 'after importing the IMDb export');
    const ratedKeys = new Set(rated.filter((m) => m.year).map(key));
    const leaked = afterImdb.filter((m) => ratedKeys.has(key(m)));
    if (leaked.length) fail(`imported movies are recommended: ${leaked.map(key).join('; ')}`);
    log(`IMDb import: "${said}"; list now starts ${afterImdb.slice(0, 3).map(key).join('; ')}`);
    assertNoProblems(problems, 'IMDb import');

    // --- (b) the Letterboxd zip, dropped ---------------------------------------------------
    await openImport(page);
    await dropFile(page, join(FIXTURES, 'letterboxd-export.zip'), 'letterboxd-export.zip', 'application/zip');
    await expectSummary(page, ['Letterboxd export', '24 rows', '21 matched', '1 to choose', '2 not in this catalogue'], 'Letterboxd preview');
    const choice = page.locator(T('import-ambiguous'));
    if ((await choice.count()) !== 1) fail(`expected one row to choose for, found ${await choice.count()}`);
    if (!/Hamlet/.test(await choice.innerText())) fail(`the row to choose for is not Hamlet: ${await choice.innerText()}`);
    const options = await choice.locator('option').allInnerTexts();
    if (!options.some((o) => /^Hamlet \(\d{4}\)$/.test(o))) fail(`the Hamlet choices are ${JSON.stringify(options)}`);
    if (!options.includes('None of these (keep unmatched)')) fail(`no "None of these" among ${JSON.stringify(options)}`);
    const hamlet = options.find((o) => /^Hamlet \(\d{4}\)$/.test(o));
    await choice.locator('select').selectOption({ label: hamlet });
    await page.waitForFunction((s) => /22 matched, 0 to choose/.test(document.querySelector(s)?.textContent ?? ''),
      T('import-summary'), { timeout: UI_TIMEOUT_MS }).catch(() => fail('choosing Hamlet did not count it as matched'));
    await shot(page, join(shots, 'desktop-import-choose.png'), T('import-preview'));
    await page.click(T('import-merge'));
    const lb = await waitNotice(page, /Imported \d+ ratings/, 'after merging the Letterboxd export');
    const added = +lb.match(/Imported (\d+) ratings/)[1];
    if (!/8 you had already rated kept your own ratings/.test(lb)) fail(`the notice does not say which were kept: "${lb}"`);
    await waitForCount(page, SEL.rated, 15 + added, 'after merging the Letterboxd export');
    const [hTitle, hYear] = hamlet.match(/^(.*) \((\d{4})\)$/).slice(1);
    if (!(await readRated(page)).some((m) => m.title === hTitle && m.year === hYear)) fail(`${hamlet} is not under My ratings`);
    log(`Letterboxd import: "${lb}" → ${15 + added} ratings, ${hamlet} among them`);
    assertNoProblems(problems, 'Letterboxd import');

    // --- (c) files that are not exports ------------------------------------------------------
    const total = await ratedCount(page);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '00'.repeat(64), 'hex');
    const bad = [
      ['empty.csv', Buffer.alloc(0), /the file is empty/],
      ['holiday-photo.csv', png, /this is a binary file/],
      ['NetflixViewingHistory.csv', Buffer.from('Title,Date\n"Dark: Season 1: Secrets",1/2/24\n'), /not an IMDb or Letterboxd ratings export \(its first line is “Title,Date”\)/],
    ];
    for (const [name, bytes, re] of bad) {
      await openImport(page);
      const path = join(tmp, name);
      await writeFile(path, bytes);
      await page.setInputFiles(T('import-file'), path);
      const text = await waitNotice(page, new RegExp(`Could not import “${name}”`), `importing ${name}`);
      if (!re.test(text) || !/Nothing was changed\./.test(text)) fail(`importing ${name}: the notice says "${text}"`);
      if (await page.locator(T('import-preview')).count()) fail(`importing ${name}: a preview is shown`);
      await page.click(T('nav-search'));
      if ((await ratedCount(page)) !== total) fail(`importing ${name} changed My ratings`);
      log(`${name}: "${text}"`);
    }
    assertNoProblems(problems, 'bad files');

    // --- (d) download my data, bring it to a fresh browser ---------------------------------------
    await waitVisible(page, T('data-panel'), 'the data panel');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: UI_TIMEOUT_MS }), page.click(T('data-download'))]);
    const fileName = download.suggestedFilename();
    if (!/^moviematch-profile-\d{4}-\d\d-\d\d\.json$/.test(fileName)) fail(`the download is called "${fileName}"`);
    const json = await readFile(await download.path(), 'utf8');
    const profile = JSON.parse(json);
    const ratingEvents = profile.events.filter((e) => e.type === 'rating');
    if (profile.version !== 3 || ratingEvents.length < total) fail(`the download holds ${ratingEvents.length} ratings (of ${total}), version ${profile.version}`);
    if (!ratingEvents.some((e) => e.item.imdb === 'tt0133093')) fail('the download does not hold the rating of The Matrix');
    const exported = join(tmp, fileName);
    await writeFile(exported, json);
    log(`downloaded ${fileName}: ${json.length} bytes, ${ratingEvents.length} rating events`);
    await shot(page, join(shots, 'desktop-data.png'), T('data-panel'));
    assertNoProblems(problems, 'download');

    phone = await browser.newContext(PHONE);
    p = await phone.newPage();
    await watch(phone, p, server.origin, problems, 'data-phone');
    await p.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(p, problems, 'data: phone load');
    await openImport(p);
    await p.setInputFiles(T('import-file'), join(FIXTURES, 'letterboxd-export.zip'));
    await expectSummary(p, ['24 rows'], 'phone: Letterboxd preview');
    await shot(p, join(shots, 'phone-import-preview.png'), T('import-preview'));
    await p.click(T('import-cancel'));
    await waitVisible(p, T('import'), 'after Cancel');
    await p.click(`${T('import')} .howto summary`);
    await shot(p, join(shots, 'phone-import.png'), T('import'));
    if ((await storedKeys(p)).some((k) => k.startsWith('moviematch:'))) fail('a cancelled import wrote to storage');

    await p.setInputFiles(T('import-file'), exported);
    await expectSummary(p, ['MovieMatch profile', `${total} ratings`], 'phone: profile preview');
    await p.click(T('import-replace'));
    await waitVisible(p, T('import-confirm'), 'after "Replace my ratings"');
    await shot(p, join(shots, 'phone-import-confirm.png'), T('import-preview'));
    await p.click(T('import-replace-confirm'));
    await waitForCount(p, SEL.rated, total, 'after replacing with the downloaded profile');
    await waitNotice(p, new RegExp(`replaced by the one in the file \\(${total} ratings\\)`), 'after replacing');
    for (const what of ['import preview', 'My ratings']) {
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) fail(`phone ${what}: the page scrolls sideways by ${overflow}px`);
    }

    const future = join(tmp, 'from-the-future.json');
    await writeFile(future, '{"version":99,"events":[],"what":"the future holds"}');
    await openImport(p);
    await p.setInputFiles(T('import-file'), future);
    const fv = await waitNotice(p, /Could not import “from-the-future\.json”/, 'a version-99 profile');
    if (!/newer version of this site \(format 99/.test(fv) || !/Nothing was changed\./.test(fv)) fail(`the version-99 notice says "${fv}"`);
    await p.click(T('nav-search'));
    if ((await ratedCount(p)) !== total) fail('a version-99 profile changed My ratings');
    log(`version 99: "${fv}"`);
    assertNoProblems(problems, 'profile file');

    // --- (e) a damaged stored profile ------------------------------------------------------------
    const k = await profileKey(p);
    if (!(await storedKeys(p)).includes(k)) fail(`no ${k} among ${await storedKeys(p)}`);
    if (!(await storedKeys(p)).includes(`${k}.last-good`)) fail('no last-good copy is kept');
    await p.evaluate((k) => localStorage.setItem(k, '{broken'), k);
    await p.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(p, problems, 'data: reload with a damaged profile');
    const restored = await waitNotice(p, /Your saved profile was damaged; the last good copy \(\d+ ratings\) was restored\./, 'a damaged profile');
    if (!restored.includes(`(${total} ratings)`)) fail(`the restore notice says "${restored}"`);
    await waitForCount(p, SEL.rated, total, 'after restoring the last good copy');
    const backup = await p.evaluate((k) => localStorage.getItem(`${k}.corrupt`), k);
    if (backup !== '{broken') fail(`the damaged text was not backed up (${JSON.stringify(backup)})`);
    const healed = await p.evaluate((k) => JSON.parse(localStorage.getItem(k)).events.length, k);
    if (!(healed > 0)) fail('the main copy was not written again');
    log(`restored: "${restored}"`);
    assertNoProblems(problems, 'restore');

    // --- (f) storage full --------------------------------------------------------------------------
    const junk = await fillStorage(p);
    await searchAndRate(p, { query: 'pulp fiction', title: 'Pulp Fiction', year: '1994', rating: '5' }, total + 1);
    const full = await waitNotice(p, /storage for the site is full/, 'rating with storage full');
    if (!/What was saved before is intact/.test(full) || !/kept in this tab until space is freed/.test(full)) fail(`the storage-full notice says "${full}"`);
    const stillSaved = await p.evaluate((k) => JSON.parse(localStorage.getItem(k)).events.filter((e) => e.type === 'rating').length, k);
    if (stillSaved < total) fail(`the saved profile lost ratings while storage was full (${stillSaved} rating events)`);
    await shot(p, join(shots, 'phone-storage-full.png'), T('notice'));
    await freeStorage(p, junk);
    await p.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(p, problems, 'data: reload after storage was full');
    await waitForCount(p, SEL.rated, total, 'after storage was full and a reload');
    log(`storage full (${junk.length} junk keys): "${full}"; after a reload ${total} ratings are there`);

    const junk2 = await fillStorage(p);
    await searchAndRate(p, { query: 'forrest gump', title: 'Forrest Gump', year: '1994', rating: '4' }, total + 1);
    await waitNotice(p, /storage for the site is full/, 'rating with storage full again');
    await freeStorage(p, junk2);
    await p.click(T('save-again'));
    await p.locator(T('save-again')).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS })
      .catch(() => fail('"Save again" after freeing space did not save'));
    await p.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(p, problems, 'data: reload after "Save again"');
    await waitForCount(p, SEL.rated, total + 1, 'after "Save again" and a reload');
    assertNoProblems(problems, 'storage full');

    // --- (g) delete all my data ---------------------------------------------------------------------
    await p.click(T('nav-search'));
    await p.click(T('data-delete'));
    await waitVisible(p, T('delete-confirm'), 'after "Delete all my data"');
    const ask = await p.locator(T('delete-confirm')).innerText();
    if (!ask.includes(`This removes your ${total + 1} ratings, answers and settings from this browser. It cannot be undone.`))
      fail(`the delete confirmation says "${ask}"`);
    await shot(p, join(shots, 'phone-data.png'), T('data-panel'));
    // Keys of other copies of the site on this origin, one of them in a directory below this
    // one whose name starts like this site's keys: delete-all must leave them.
    const foreign = { 'moviematch:/elsewhere/:profile': '{"version":2,"events":[]}', [`moviematch:${new URL(server.url).pathname}:x/:profile`]: 'theirs' };
    await p.evaluate((kv) => Object.entries(kv).forEach(([k, v]) => localStorage.setItem(k, v)), foreign);
    await p.click(T('delete-confirm-yes'));
    await waitVisible(p, T('welcome'), 'after deleting everything');
    if (await ratedCount(p)) fail('ratings are still listed after deleting everything');
    for (const when of ['after deleting', 'after deleting and reloading']) {
      if (when.includes('reloading')) {
        await p.reload({ waitUntil: 'commit' });
        await waitForFirstRecs(p, problems, 'data: reload after deleting');
        await waitVisible(p, T('welcome'), when);
        if (await ratedCount(p)) fail(`${when}: ratings are listed`);
      }
      const left = (await storedKeys(p)).filter((x) => x.startsWith('moviematch:') && !(x in foreign));
      if (left.length) fail(`${when}: keys left in localStorage: ${left}`);
      for (const [fk, fv] of Object.entries(foreign)) {
        if ((await p.evaluate((k) => localStorage.getItem(k), fk)) !== fv) fail(`${when}: another site's key ${fk} was touched`);
      }
    }
    log(`deleted: the start screen, none of the site's keys (${Object.keys(foreign).join(', ')} kept), still empty after a reload`);
    assertNoProblems(problems, 'delete');

    await twoTabs({ desk, page, server, problems });
    await unreadable({ page, problems, tmp });
  } catch (e) {
    for (const [pg, name] of [[page, 'data-failure.png'], [p, 'data-phone-failure.png']]) {
      if (pg && !pg.isClosed()) await pg.screenshot({ path: join(shots, name), fullPage: true }).catch(() => {});
    }
    throw e;
  } finally {
    await desk.close();
    if (phone) await phone.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

// (h) Two tabs of the site in one browser: each takes what the other saves or deletes, so
// neither writes its older copy over the other's work.
async function twoTabs({ desk, page, server, problems }) {
  const a = page;
  const b = await desk.newPage();
  await watch(desk, b, server.origin, problems, 'data-tab-b');
  try {
    await a.click(T('nav-search'));
    const start = await ratedCount(a);
    await b.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(b, problems, 'data: a second tab');
    await waitForCount(b, SEL.rated, start, 'the second tab');
    const pulp = { query: 'pulp fiction', title: 'Pulp Fiction', year: '1994', rating: '5' };
    const gump = { query: 'forrest gump', title: 'Forrest Gump', year: '1994', rating: '4' };
    await searchAndRate(b, pulp, start + 1);
    await waitForCount(a, SEL.rated, start + 1, 'tab A, after a rating in tab B (no reload)');
    if (!(await readRated(a)).some((m) => m.title === pulp.title)) fail('tab A does not list the rating made in tab B');
    await searchAndRate(a, gump, start + 2);
    await waitForCount(b, SEL.rated, start + 2, 'tab B, after a rating in tab A (no reload)');
    await b.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(b, problems, 'data: reload of tab B');
    await waitForCount(b, SEL.rated, start + 2, 'tab B reloaded');
    const both = await readRated(b);
    for (const t of [pulp.title, gump.title]) if (!both.some((m) => m.title === t)) fail(`tab B reloaded does not list ${t}`);
    log(`two tabs: a rating in each, both kept (${start + 2} ratings)`);

    await b.click(T('data-delete'));
    await b.click(T('delete-confirm-yes'));
    await waitVisible(b, T('welcome'), 'tab B after deleting everything');
    await waitVisible(a, T('welcome'), 'tab A after everything was deleted in tab B');
    await waitForCount(a, SEL.rated, 0, 'tab A after everything was deleted in tab B');
    const told = await waitNotice(a, /deleted from this browser in another tab/, 'tab A after the deletion in tab B');
    await searchAndRate(a, pulp, 1);
    // The page saves in an effect after the render that shows the rating: wait for it.
    const key = await profileKey(a);
    const storedRatings = () =>
      a.evaluate((k) => {
        const text = localStorage.getItem(k);
        return text === null ? null : JSON.parse(text).events.filter((e) => e.type === 'rating').length;
      }, key);
    let stored = await storedRatings();
    for (const deadline = Date.now() + UI_TIMEOUT_MS; stored === null && Date.now() < deadline; stored = await storedRatings()) {
      await a.waitForTimeout(50);
    }
    if (stored !== 1) fail(`after deleting in tab B and rating in tab A, the stored profile holds ${stored} ratings, not 1`);
    await waitForCount(b, SEL.rated, 1, 'tab B after the new rating in tab A');
    await a.reload({ waitUntil: 'commit' });
    await waitForFirstRecs(a, problems, 'data: reload of tab A after the deletion');
    await waitForCount(a, SEL.rated, 1, 'tab A reloaded after the deletion and one rating');
    log(`two tabs: delete-all in B emptied A ("${told}"); A's next rating is the only one stored`);
    assertNoProblems(problems, 'two tabs');
  } finally {
    await b.close();
  }
}

// (i) The stored profile is from a newer version and the last-good copy is damaged: nothing of
// either is lost, whatever the visitor does.
async function unreadable({ page, problems, tmp }) {
  const k = await profileKey(page);
  const future = '{"version":99,"events":[],"note":"from a newer version"}';
  const copy = '{also broken';
  await page.evaluate(([k, future, copy]) => {
    localStorage.setItem(k, future);
    localStorage.setItem(`${k}.last-good`, copy);
  }, [k, future, copy]);
  await page.reload({ waitUntil: 'commit' });
  await waitForFirstRecs(page, problems, 'data: reload with a newer profile');
  await waitNotice(page, /written by a newer version of this site \(profile format 99\)/, 'a newer profile');
  await page.click(T('nav-search'));
  await waitVisible(page, T('data-held'), 'the data panel while the profile is held');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: UI_TIMEOUT_MS }), page.click(T('data-download'))]);
  const name = download.suggestedFilename();
  if (!/^moviematch-profile-\d{4}-\d\d-\d\d-unreadable\.json$/.test(name)) fail(`the held profile downloads as "${name}"`);
  const got = await readFile(await download.path(), 'utf8');
  if (got !== future) fail(`the held profile downloads as ${JSON.stringify(got.slice(0, 80))}, not the stored text`);
  log(`held: "Download my data" gives ${name}, the stored text as it is`);

  // A header-only export: nothing to import, neither merge nor replace offered.
  const header = join(tmp, 'header-only.csv');
  await writeFile(header, 'Const,Your Rating,Date Rated,Title,Year\n');
  await openImport(page);
  await page.setInputFiles(T('import-file'), header);
  await waitVisible(page, T('import-empty'), 'a header-only export');
  const said = await page.locator(T('import-empty')).innerText();
  if (!/no ratings/.test(said)) fail(`a header-only export says "${said}"`);
  for (const b of ['import-merge', 'import-replace']) if (!(await page.locator(T(b)).isDisabled())) fail(`a header-only export: ${b} is enabled`);
  await page.click(T('import-cancel'));
  log(`header-only export: "${said}", merge and replace disabled`);

  // Replacing while held: the confirmation does not call it harmless; both texts are backed up.
  await page.setInputFiles(T('import-file'), join(FIXTURES, 'imdb-current.csv'));
  await expectSummary(page, ['15 rows'], 'IMDb preview while the profile is held');
  await page.click(T('import-replace'));
  await waitVisible(page, T('import-confirm'), 'replace while held');
  const ask = await page.locator(T('import-confirm')).innerText();
  if (/nothing is lost/.test(ask) || !/kept as a backup/.test(ask)) fail(`replacing while held asks "${ask}"`);
  await page.click(T('import-replace-confirm'));
  await waitForCount(page, SEL.rated, 15, 'after replacing while held');
  const kept = await page.evaluate((k) => [k, `${k}.last-good`, `${k}.corrupt`, `${k}.last-good.corrupt`].map((x) => localStorage.getItem(x)), k);
  if (kept[2] !== future) fail(`the unreadable profile was not backed up (${JSON.stringify(kept[2])})`);
  if (kept[3] !== copy) fail(`the damaged last-good copy was not backed up (${JSON.stringify(kept[3])})`);
  for (const [i, what] of [[0, 'main'], [1, 'last-good']]) {
    const n = JSON.parse(kept[i]).events.filter((e) => e.type === 'rating').length;
    if (n !== 15) fail(`the ${what} copy holds ${n} ratings after replacing`);
  }
  log('held: replacing backed up the newer profile (….corrupt) and the damaged copy (….last-good.corrupt) first');
  assertNoProblems(problems, 'held profile');
}
