// The JS package (pkg/dist, built by pkg/build.sh) in headless Chromium, loaded by a plain
// <script type="module"> (pkg/test/page.html, no bundler) from a 127.0.0.1 server, with the
// default model bundle web/model.bin: load, search, rate, recommend with filters, share links,
// import, profile JSON, and errors for bad input (thrown Errors, never a wasm trap). Any console
// error, page error, failed request or request to another origin fails the test. Prints the
// package's sizes and timings as key=value lines (scripts/test.sh shows them in its summary):
// pkg_recommend_ms is the first list of a profile (the visitor is fitted), pkg_recommend_warm_us
// the median of 50 lists of the same profile revision, each with settings not used before.
// The page is served cross-origin isolated (COOP/COEP added by the route below) so that
// performance.now() resolves microseconds, not Chromium's default 100 µs.
//
//   pkg/build.sh && node pkg/test/browser.mjs

import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../tests/e2e/static-server.mjs';
// The same Chromium flags as the app's end-to-end test (no sandbox as root, no Google services).
import { CHROMIUM_ARGS } from '../../tests/e2e/lib.mjs';
import { badInput, check, fail, log, TestFailure } from './errors.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'pkg/dist');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LOAD_TIMEOUT_MS = 120_000;
const WHOLE_TEST_TIMEOUT_MS = 5 * 60_000;


async function sizes() {
  for (const f of ['moviematch.js', 'moviematch_bg.wasm', 'moviematch.d.ts']) {
    await stat(join(DIST, f)).catch(() => fail(`pkg/dist/${f} is missing: run pkg/build.sh first`));
  }
  await stat(join(ROOT, 'web/model.bin')).catch(() => fail('web/model.bin (the default bundle) is missing'));
  const wasm = await readFile(join(DIST, 'moviematch_bg.wasm'));
  const js = await readFile(join(DIST, 'moviematch.js'));
  console.log(`pkg_wasm_bytes=${wasm.length}`);
  console.log(`pkg_wasm_gzip_bytes=${gzipSync(wasm, { level: 9 }).length}`);
  console.log(`pkg_js_bytes=${js.length}`);
  // The declarations must name the objects, not `any`.
  const dts = await readFile(join(DIST, 'moviematch.d.ts'), 'utf8');
  for (const want of [
    'recommend(profile: Profile, options?: RecommendOptions): Recommendation[]',
    'search(query: string, limit?: number | null): Movie[]',
    'importCsv(profile: Profile, data: Uint8Array | ArrayBuffer | string, mode?: ImportMode): ImportSummary',
    'export function decodeShare(link: string): Rating[]',
    'export interface Recommendation extends Movie',
    'exploring: boolean;',
    'export interface Prediction extends Recommendation',
    '): Prediction;',
    'export interface Similar',
    'recommendFor(profiles: Profile[], options?: RecommendOptions): GroupRecommendation[];',
    '): Similar;',
    'export type MovieMatchErrorCode =',
    'export interface MovieMatchError extends Error',
    'static load(bytes: Uint8Array',
  ]) {
    check(dts.includes(want), `moviematch.d.ts lacks ${JSON.stringify(want)}`);
  }
}

// One IMDb "Your Ratings" export: four catalogue movies and a TV series (not in the catalogue).
const IMDB_CSV = [
  'Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors',
  'tt0133093,9,2024-01-02,The Matrix,https://www.imdb.com/title/tt0133093/,Movie,8.7,136,1999,"Action, Sci-Fi",2000000,1999-03-31,"Lana Wachowski, Lilly Wachowski"',
  'tt0076759,10,2024-01-03,Star Wars,https://www.imdb.com/title/tt0076759/,Movie,8.6,121,1977,"Action, Adventure, Fantasy",1400000,1977-05-25,George Lucas',
  'tt0078748,8,2024-01-04,Alien,https://www.imdb.com/title/tt0078748/,Movie,8.5,117,1979,"Horror, Sci-Fi",950000,1979-05-25,Ridley Scott',
  'tt0120338,2,2024-01-05,Titanic,https://www.imdb.com/title/tt0120338/,Movie,7.9,194,1997,"Drama, Romance",1300000,1997-12-19,James Cameron',
  'tt0903747,9,2024-01-06,Breaking Bad,https://www.imdb.com/title/tt0903747/,TV Series,9.5,49,2008,"Crime, Drama, Thriller",2100000,2008-01-20,',
  '',
].join('\r\n');

async function scenario(page) {
  // --- load ---------------------------------------------------------------------------------
  const loaded = await page.evaluate(async () => {
    const bytes = new Uint8Array(await (await fetch('../../web/model.bin')).arrayBuffer());
    const t0 = performance.now();
    window.engine = mm.Engine.load(bytes);
    const ms = performance.now() - t0;
    return { ms, size: engine.size, genres: engine.genres(), bytes: bytes.length, memory: wasm.memory.buffer.byteLength };
  });
  log(`loaded ${loaded.bytes} bytes: ${loaded.size} movies in ${loaded.ms.toFixed(0)} ms`);
  console.log(`pkg_load_ms=${Math.round(loaded.ms)}`);
  console.log(`pkg_memory_bytes=${loaded.memory}`);
  check(loaded.size > 1000, `only ${loaded.size} movies`);
  // The split the site ships joins into the same catalogue; a tail alone is not the head's.
  const parts = await page.evaluate(async () => {
    const get = async (f) => new Uint8Array(await (await fetch(`../../web/${f}`)).arrayBuffer());
    const [head, tail] = [await get('model-head.bin'), await get('model-tail.bin')];
    const joined = mm.Engine.loadParts(head, tail);
    let refused = null;
    try {
      mm.Engine.loadParts(tail, tail);
    } catch (e) {
      refused = e.code;
    }
    return { head: mm.Engine.load(head).size, joined: joined.size, refused };
  });
  check(parts.joined === loaded.size && parts.head < loaded.size, `loadParts: head ${parts.head}, joined ${parts.joined} of ${loaded.size}`);
  check(parts.refused === 'bad_bundle', `loadParts(tail, tail) threw ${parts.refused}`);
  log(`loadParts: a head of ${parts.head} films and its tail join into ${parts.joined}`);
  for (const g of ['Sci-Fi', 'Romance', 'Animation']) check(loaded.genres.includes(g), `no genre ${g}: ${loaded.genres}`);

  // --- search and ids -----------------------------------------------------------------------
  const found = await page.evaluate(() => ({
    matrix: engine.search('matrix', 5),
    byImdb: engine.movie('tt0133093'),
    starWars: engine.movie('tt0076759'),
    alien: engine.movie('tt0078748'),
    titanic: engine.movie('tt0120338'),
    notebook: engine.movie('tt0332280'),
    unknown: engine.movie(999999999),
    none: engine.search('zzqxv', 5),
  }));
  const matrix = found.matrix.find((m) => m.title === 'The Matrix' && m.year === 1999);
  check(matrix, `search "matrix" did not find The Matrix (1999): ${JSON.stringify(found.matrix)}`);
  check(found.matrix[0].id === matrix.id, `The Matrix is not the first hit: ${found.matrix.map((m) => m.title)}`);
  check(matrix.imdb === 'tt0133093' && matrix.genres.includes('Sci-Fi'), `The Matrix: ${JSON.stringify(matrix)}`);
  check(matrix.id === 2571, `The Matrix has MovieLens id ${matrix.id}, not 2571 (the README's example uses it)`);
  check(found.byImdb?.id === matrix.id, 'engine.movie("tt0133093") is not The Matrix');
  for (const k of ['starWars', 'alien', 'titanic', 'notebook']) check(found[k]?.id > 0, `engine.movie: no ${k}`);
  check(found.unknown === undefined && found.none.length === 0, 'unknown ids and titles give nothing');
  log(`search: ${found.matrix.map((m) => `${m.title} (${m.year})`).join(', ')}`);

  // --- rate and recommend -------------------------------------------------------------------
  const rated = [matrix.id, found.starWars.id, found.alien.id, found.titanic.id, found.notebook.id];
  const recs = await page.evaluate((matrixId) => {
    window.profile = new mm.Profile();
    // A MovieLens id (number), then IMDb ids (strings).
    profile.rate(matrixId, 5);
    profile.rate('tt0076759', 5);
    profile.rate('tt0078748', 4.5);
    profile.rate('tt0120338', 1);
    profile.rate('tt0332280', 0.5);
    const t0 = performance.now();
    const list = engine.recommend(profile);
    return { list, ms: performance.now() - t0, ratings: profile.ratings() };
  }, matrix.id);
  console.log(`pkg_recommend_ms=${Math.round(recs.ms)}`);
  check(recs.ratings.length === 5, `profile.ratings(): ${JSON.stringify(recs.ratings)}`);
  check(recs.list.length === 20, `${recs.list.length} recommendations, not 20`);
  const ids = new Set(recs.list.map((r) => r.id));
  check(ids.size === 20, 'a movie is listed twice');
  for (const r of recs.list) {
    check(!rated.includes(r.id), `rated movie ${r.title} is recommended`);
    check(r.low <= r.mean && r.mean <= r.high, `${r.title}: ${r.mean} not in [${r.low}, ${r.high}]`);
    check(r.mean >= 0.5 && r.mean <= 5 && r.sd > 0, `${r.title}: mean ${r.mean}, sd ${r.sd}`);
    check(r.reasons.length > 0 && r.reasons.every((w) => typeof w === 'string' && w.length > 0), `${r.title} has no reason`);
    check(typeof r.title === 'string' && Array.isArray(r.genres), `recommendation shape: ${JSON.stringify(r)}`);
    check(r.exploring === false, `${r.title}: exploring ${r.exploring} without exploration`);
  }
  const sciFi = recs.list.filter((r) => r.genres.includes('Sci-Fi')).length;
  const romance = recs.list.filter((r) => r.genres.includes('Romance')).length;
  log(`top 5: ${recs.list.slice(0, 5).map((r) => `${r.title} (${r.year}) ${r.mean.toFixed(2)} [${r.reasons.join('; ')}]`).join(' | ')}`);
  log(`${sciFi} Sci-Fi and ${romance} Romance movies in the top 20`);
  check(sciFi > romance, `a sci-fi fan gets ${sciFi} Sci-Fi and ${romance} Romance movies`);
  // --- "would I like this one?" ---------------------------------------------------------------
  const predicted = await page.evaluate((matrixId) => ({
    listed: engine.predict(profile, engine.recommend(profile, { exploration: 0 })[0].id, { exploration: 0 }),
    first: engine.recommend(profile, { exploration: 0 })[0],
    matrix: engine.predict(profile, matrixId),
  }), matrix.id);
  const { yourRating: none, ...listed } = predicted.listed;
  check(none === null, `an unrated film's yourRating: ${none}`);
  check(JSON.stringify(listed) === JSON.stringify(predicted.first), `predict ≠ the list's entry: ${JSON.stringify(predicted.listed)}`);
  const pm = predicted.matrix;
  check(pm.yourRating === 5 && pm.low <= pm.mean && pm.mean <= pm.high && pm.reasons.length > 0, `predict(The Matrix): ${JSON.stringify(pm)}`);
  log(`predict: The Matrix ${pm.mean.toFixed(2)} (${pm.low.toFixed(1)}–${pm.high.toFixed(1)}) without your ${pm.yourRating}★; ${pm.reasons[0]}`);
  // --- "more like this" -----------------------------------------------------------------------
  const more = await page.evaluate((matrixId) => ({
    fresh: engine.similar(matrixId),
    mine: engine.similar('tt0076759', profile),
    ratingsAfter: profile.ratings().length,
  }), matrix.id);
  check(more.fresh.movie.id === matrix.id && more.fresh.fromContentPrior === false, `similar(The Matrix): ${JSON.stringify(more.fresh).slice(0, 300)}`);
  check(more.fresh.similar.length === 10 && more.fresh.similar.every((r) => r.id !== matrix.id), 'similar(The Matrix) lists 10 other films');
  check(more.mine.similar.every((r) => !rated.includes(r.id)), `similar(Star Wars, profile) lists a rated film`);
  check(more.ratingsAfter === 5, 'the profile handed to similar() is still usable');
  log(`more like The Matrix: ${more.fresh.similar.slice(0, 5).map((r) => r.title).join(' | ')}`);
  // --- watch together ----------------------------------------------------------------------
  const group = await page.evaluate(() => {
    const friend = new mm.Profile();
    friend.rate('tt0332280', 5); // The Notebook
    friend.rate('tt0120338', 4.5); // Titanic
    friend.rate('tt0076759', 1); // Star Wars
    const list = engine.recommendFor([profile, friend]);
    return { list, friendRatings: friend.ratings().length, mine: profile.ratings().length };
  });
  check(group.list.length === 20 && group.friendRatings === 3 && group.mine === 5, `recommendFor: ${group.list.length} films; profiles ${group.mine}, ${group.friendRatings}`);
  for (const r of group.list) {
    check(r.members.length === 2 && r.members.some((x) => x.mean === r.mean && x.low === r.low), `${r.title}: group ${r.mean} vs ${JSON.stringify(r.members)}`);
    check(!rated.includes(r.id), `group list holds rated film ${r.title}`);
  }
  log(`watch together (sci-fi fan + romance fan): ${group.list.slice(0, 5).map((r) => `${r.title} ${r.members.map((x) => x.mean.toFixed(1)).join('/')}`).join(' | ')}`);
  const reasonNames = recs.list.flatMap((r) => r.reasons).join(' ');
  check(/because you liked (The Matrix|Star Wars|Alien)/.test(reasonNames), `no reason names a rated sci-fi movie: ${reasonNames}`);

  // --- warm lists: the same profile revision, settings not used before ----------------------
  // The engine keeps the visitor fitted to this revision: only the ranking, the reasons and
  // the conversion to JavaScript objects run. Popularity and a genre filter change each time.
  const warm = await page.evaluate(() => {
    const genres = engine.genres();
    const times = [];
    let previous = JSON.stringify(engine.recommend(profile).map((r) => r.id));
    let unchanged = 0;
    for (let i = 0; i < 50; i++) {
      const options = { popularity: -1 + (4 * i) / 49, genresAny: [genres[i % genres.length]] };
      const t0 = performance.now();
      const list = engine.recommend(profile, options);
      times.push(performance.now() - t0);
      const ids = JSON.stringify(list.map((r) => r.id));
      if (ids === previous) unchanged++;
      previous = ids;
    }
    times.sort((a, b) => a - b);
    return { median: (times[24] + times[25]) / 2, min: times[0], max: times[49], unchanged, isolated: crossOriginIsolated };
  });
  console.log(`pkg_recommend_warm_us=${Math.round(warm.median * 1000)}`);
  log(
    `warm lists: median ${(warm.median * 1000).toFixed(0)} µs (${(warm.min * 1000).toFixed(0)}–${(warm.max * 1000).toFixed(0)} µs, ` +
      `cross-origin isolated: ${warm.isolated}); cold ${recs.ms.toFixed(1)} ms`,
  );
  check(warm.unchanged === 0, `${warm.unchanged} of 50 new settings left the list as it was`);

  // --- filters and options ------------------------------------------------------------------
  const filtered = await page.evaluate(() => ({
    recent: engine.recommend(profile, { yearMin: 2000 }),
    animation: engine.recommend(profile, { genresAny: ['Animation'], top: 10 }),
    noDrama: engine.recommend(profile, { genresNone: ['drama'], imdbMin: 7.5, votesMin: 100000 }),
    explore: [engine.recommend(profile, { exploration: 1, seed: 3 }), engine.recommend(profile, { exploration: 1, seed: 3 })],
    again: engine.recommend(profile),
  }));
  check(filtered.recent.length === 20 && filtered.recent.every((r) => r.year >= 2000), `yearMin 2000: ${filtered.recent.map((r) => r.year)}`);
  check(filtered.animation.length === 10 && filtered.animation.every((r) => r.genres.includes('Animation')), `genresAny Animation: ${JSON.stringify(filtered.animation.map((r) => r.genres))}`);
  check(
    filtered.noDrama.length === 20 &&
      filtered.noDrama.every((r) => !r.genres.includes('Drama') && r.imdbRating >= 7.5 && r.imdbVotes >= 100000),
    'genresNone / imdbMin / votesMin not applied',
  );
  check(JSON.stringify(filtered.explore[0]) === JSON.stringify(filtered.explore[1]), 'the same seed gives a different list');
  check(JSON.stringify(filtered.again) === JSON.stringify(recs.list), 'the same profile gives a different list');
  log(`filters: yearMin, genresAny, genresNone + imdbMin + votesMin hold; seeded exploration is reproducible`);

  // --- settings stored in the profile -------------------------------------------------------
  const settings = await page.evaluate(() => {
    const p = mm.Profile.fromJson(profile.toJson());
    engine.setSettings(p, { yearMax: 1990, genresAny: ['Comedy'] });
    const back = mm.Profile.fromJson(p.toJson());
    return { stored: engine.settings(back), list: engine.recommend(back, { top: 5 }) };
  });
  check(settings.stored.yearMax === 1990 && settings.stored.genresAny.join() === 'Comedy', `stored settings: ${JSON.stringify(settings.stored)}`);
  check(settings.list.length === 5 && settings.list.every((r) => r.year <= 1990 && r.genres.includes('Comedy')), 'the stored settings are not used');

  // --- taste drift and the genre distance ---------------------------------------------------
  const knobs = await page.evaluate(() => {
    // The same ratings given a month apart each: drift (on by default) weighs the latest most.
    const json = JSON.parse(profile.toJson());
    json.events.forEach((e, i) => { e.at = 1_600_000_000_000 + i * 30 * 86_400_000; });
    const p = mm.Profile.fromJson(JSON.stringify(json));
    const means = (o) => engine.recommend(p, { top: 5, ...o }).map((r) => r.mean.toFixed(4)).join();
    const ids = (o) => engine.recommend(p, { top: 20, ...o }).map((r) => r.id).join();
    const out = {
      byDefault: means({}), on: means({ drift: true }), off: means({ drift: false }),
      close: ids({ genreDistance: -1 }), plain: ids({}), surprise: ids({ genreDistance: 1 }),
    };
    engine.setSettings(p, { drift: false, genreDistance: -0.5 });
    const back = mm.Profile.fromJson(p.toJson());
    out.stored = engine.settings(back);
    out.storedOff = means({});
    return out;
  });
  check(knobs.byDefault === knobs.on && knobs.on !== knobs.off, `drift: default ${knobs.byDefault}, on ${knobs.on}, off ${knobs.off}`);
  check(knobs.storedOff === knobs.off, 'a stored drift: false is not used (or the cached visitor was not refitted)');
  check(knobs.stored.drift === false && knobs.stored.genreDistance === -0.5, `stored knobs: ${JSON.stringify(knobs.stored)}`);
  check(knobs.close !== knobs.plain && knobs.surprise !== knobs.plain, 'genreDistance ±1 leaves the list as it was');
  log('drift on by default, off refits; genreDistance −1 and 1 each change the list; both stored');

  // --- comparisons and reactions ------------------------------------------------------------
  const reacted = await page.evaluate(([a, b]) => {
    const p = mm.Profile.fromJson(profile.toJson());
    p.compare(a, b, 'a');
    const hidden = engine.recommend(p)[0].id;
    p.feedback(hidden, 'hide');
    const after = engine.recommend(p).map((r) => r.id);
    // Undo (profile v3): the pair withdrawn (in the other order) and the hide taken back.
    const undone = mm.Profile.fromJson(p.toJson());
    undone.uncompare(b, a);
    undone.feedback(hidden, 'unhide');
    undone.compare(a, b, 'skip');
    const version = JSON.parse(undone.toJson()).version;
    return { hidden, before: engine.recommend(profile).map((r) => r.id), after, undone: engine.recommend(undone).map((r) => r.id), version };
  }, [recs.list[0].id, recs.list[1].id]);
  check(reacted.version === 3, `profiles are written as version ${reacted.version}`);
  check(reacted.undone.join() === reacted.before.join(), 'uncompare, unhide and a skip do not give back the list before the answers');
  check(!reacted.after.includes(recs.list[0].id) && !reacted.after.includes(recs.list[1].id), 'compared movies are still listed');
  // The engine had a visitor for p before the hide: the hide must refit it.
  check(!reacted.after.includes(reacted.hidden), 'a movie hidden after a list was made is still listed');
  check(reacted.after.length === 20, 'a comparison and a hide leave 20 recommendations');

  // --- share links --------------------------------------------------------------------------
  const shared = await page.evaluate(() => {
    const link = mm.encodeShare(profile);
    const decoded = mm.decodeShare(link);
    const fromUrl = mm.Profile.fromShare(`https://example.org/app/#share=${link}`).ratings();
    const mid = Math.floor(link.length / 2);
    const tampered = link.slice(0, mid) + (link[mid] === 'A' ? 'B' : 'A') + link.slice(mid + 1);
    let error = null;
    try {
      mm.decodeShare(tampered);
    } catch (e) {
      error = { isError: e instanceof Error, name: e.name, code: e.code, message: e.message };
    }
    return { link, decoded, fromUrl, error, mine: profile.ratings() };
  });
  const key = (rs) => rs.map((r) => `${r.id}:${r.rating}:${r.scale}`).sort().join(' ');
  check(key(shared.decoded) === key(shared.mine), `share round trip: ${key(shared.decoded)} vs ${key(shared.mine)}`);
  check(key(shared.fromUrl) === key(shared.mine), 'Profile.fromShare(url) lost ratings');
  check(shared.error?.isError && /checksum/.test(shared.error.message), `a tampered link: ${JSON.stringify(shared.error)}`);
  check(shared.error.name === 'MovieMatchError' && shared.error.code === 'bad_share_link', `a tampered link: ${JSON.stringify(shared.error)}`);
  log(`share link of ${shared.decoded.length} ratings: ${shared.link.length} characters; tampered: "${shared.error.message}"`);

  await badInput(page);

  // --- import -------------------------------------------------------------------------------
  const imported = await page.evaluate((csv) => {
    const p = new mm.Profile();
    p.rate('tt0133093', 3); // kept by a merge
    const merge = engine.importCsv(p, csv);
    const afterMerge = p.ratings();
    const recs = engine.recommend(p, { top: 5 });
    const replace = engine.importCsv(p, new TextEncoder().encode(csv), 'replace');
    return { merge, afterMerge, replace, afterReplace: p.ratings(), recs };
  }, IMDB_CSV);
  const m = imported.merge;
  check(
    m.format === 'imdb' && m.rows === 5 && m.matched === 4 && m.ambiguous === 0 && m.unmatched === 1,
    `import counts: ${JSON.stringify(m)}`,
  );
  check(m.added === 4 && m.keptYours === 1, `merge: ${JSON.stringify(m)}`);
  check(imported.afterMerge.length === 5, `after merge: ${JSON.stringify(imported.afterMerge)}`);
  const matrixAfter = imported.afterMerge.find((r) => r.id === 'tt0133093');
  check(matrixAfter?.rating === 3 && matrixAfter.scale === 'stars', 'a merge overwrote the rating the visitor had');
  const alien = imported.afterMerge.find((r) => r.id === 'tt0078748');
  check(alien?.rating === 8 && alien.scale === 'ten', `imported Alien: ${JSON.stringify(alien)}`);
  check(imported.recs.length === 5, 'no recommendations after an import');
  const r = imported.replace;
  check(r.added === 5 && r.withdrawn === 5 && imported.afterReplace.length === 5, `replace: ${JSON.stringify(r)}`);
  check(imported.afterReplace.find((x) => x.id === 'tt0133093')?.rating === 9, 'replace kept the old rating');
  log(`import: ${JSON.stringify(m)}; replace: ${JSON.stringify(r)}`);
}

// The README's example, run as it is written (only its two URLs pointed at this server): it must
// print ten recommendations.
async function readmeExample(page, printed) {
  const readme = await readFile(join(ROOT, 'pkg/README.md'), 'utf8');
  const block = readme.split('## Example')[1]?.match(/```js\n([\s\S]*?)```/)?.[1];
  check(block, 'pkg/README.md has no ```js block under "## Example"');
  const lines = block.trim().split('\n');
  check(lines.length <= 10, `the README example has ${lines.length} lines, not at most ten`);
  const code = block
    .replace("'./moviematch/moviematch.js'", "'/pkg/dist/moviematch.js'")
    .replace("'./model.bin'", "'/web/model.bin'");
  check(code !== block && code.includes('/web/model.bin'), 'the README example no longer uses ./moviematch/ and ./model.bin');
  // Imports stay at the module's top level; the rest runs in a try, to report what it throws.
  const imports = code.split('\n').filter((l) => l.startsWith('import '));
  const body = code.split('\n').filter((l) => !l.startsWith('import '));
  printed.length = 0;
  await page.addScriptTag({
    type: 'module',
    content: `${imports.join('\n')}\ntry {\n${body.join('\n')}\nwindow.readmeDone = 'ok';\n} catch (e) { window.readmeDone = String(e); }`,
  });
  await page.waitForFunction(() => window.readmeDone, null, { timeout: 60_000 });
  const done = await page.evaluate(() => window.readmeDone);
  check(done === 'ok', `the README example threw: ${done}`);
  check(printed.length === 10, `the README example printed ${printed.length} lines: ${printed.join(' / ')}`);
  for (const line of printed) {
    check(/^.+ \(\d{4}\): \d\.\d★ \(\d\.\d–\d\.\d\), /.test(line), `README example line: ${line}`);
  }
  log(`README example: ${printed[0]} … (${printed.length} lines)`);
}

async function main() {
  await sizes();
  const server = await startServer({ root: ROOT, prefix: '/' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const problems = [];
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const printed = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
      else if (msg.type() === 'log') printed.push(msg.text());
    });
    page.on('requestfailed', (req) => {
      if (new URL(req.url()).origin === server.origin) problems.push(`request failed: ${req.url()}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (new URL(url).origin !== server.origin) {
        problems.push(`request to another origin: ${url}`);
        return route.abort('blockedbyclient');
      }
      if (route.request().resourceType() !== 'document') return route.continue();
      // Cross-origin isolation: microsecond timers for pkg_recommend_warm_us.
      const response = await route.fetch();
      return route.fulfill({
        response,
        headers: {
          ...response.headers(),
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        },
      });
    });
    await page.goto(server.url + 'pkg/test/page.html');
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== 'loading', null, {
      timeout: LOAD_TIMEOUT_MS,
    });
    const status = await page.textContent('#status');
    check(status === 'ready', `the package did not initialise: ${status}`);
    await scenario(page);
    await readmeExample(page, printed);
    if (problems.length) fail(`the page reported problems:\n  - ${problems.join('\n  - ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

const timer = setTimeout(() => {
  console.error(`[pkg] FAIL: the test took longer than ${WHOLE_TEST_TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, WHOLE_TEST_TIMEOUT_MS);
try {
  await main();
  log('PASS');
} catch (e) {
  console.error(`[pkg] FAIL: ${e instanceof TestFailure ? e.message : e?.stack ?? e}`);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
}
