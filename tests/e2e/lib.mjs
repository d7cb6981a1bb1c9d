// Helpers shared by the end-to-end scenarios: the browser flags, timeouts, selectors, the
// page-problem watcher, and readers/waiters that look at the page as a visitor does (text,
// counts), never at the app's internals.

// As root Chromium needs --no-sandbox; the others stop it from calling Google services, which
// would flood the closed network and slow everything down.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const MODEL_TIMEOUT_MS = 120_000; // first load: fetch + decode the model bundle (2 slow cores)
export const UI_TIMEOUT_MS = 15_000; // anything after that is local computation
export const WHOLE_TEST_TIMEOUT_MS = 20 * 60_000; // the load stage alone takes ~2.5 min (throttled visits)

// Movies present in MovieLens ml-latest-small, with the rating to give and the button to click
// (data-rating as the app writes it: "5", "4.5", "0.5").
export const RATINGS = [
  { query: 'matrix', title: 'The Matrix', year: '1999', rating: '5' },
  { query: 'toy story', title: 'Toy Story', year: '1995', rating: '4.5' },
  { query: 'pulp fiction', title: 'Pulp Fiction', year: '1994', rating: '5' },
  { query: 'titanic', title: 'Titanic', year: '1997', rating: '1' },
  { query: 'notebook', title: 'The Notebook', year: '2004', rating: '0.5' },
];

export const SEL = {
  rec: '[data-testid="rec-item"]',
  rated: '[data-testid="my-ratings"] [data-testid="rated-item"]',
  result: '[data-testid="search-result"]',
  search: 'input#search',
  genre: 'select#genre-filter',
  error: '[data-testid="error"]',
};

// The selector of an element by its data-testid.
export const T = (id) => `[data-testid="${id}"]`;

export class TestFailure extends Error {}
export function fail(msg) {
  throw new TestFailure(msg);
}
export const log = (...a) => console.log('[e2e]', ...a);
export const key = (m) => `${m.title} (${m.year})`;

// Problems the page reports by itself: any of them fails the test at the next check.
export function watch(context, page, origin, problems, label) {
  const here = (what) => problems.push(`[${label}] ${what}`);
  page.on('pageerror', (e) => here(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') here(`console error: ${m.text()} (${m.location()?.url ?? '?'})`);
  });
  page.on('requestfailed', (r) => {
    // Requests we aborted ourselves are already reported as foreign.
    if (new URL(r.url()).origin === origin) here(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) here(`HTTP ${r.status()} for ${r.url()}`);
  });
  // Block (and report) every request to anywhere but our own server.
  return context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    here(`request to a foreign origin: ${url}`);
    return route.abort('blockedbyclient');
  });
}

export function assertNoProblems(problems, when) {
  if (problems.length) fail(`${when}: the page reported problems:\n  - ${problems.join('\n  - ')}`);
}

// The recommendation list as [{title, year}], in order.
export function readRecs(page) {
  return page.$$eval(SEL.rec, (els) =>
    els.map((e) => ({
      title: e.querySelector('[data-testid="rec-title"]')?.textContent.trim() ?? e.innerText.trim(),
      year: (e.querySelector('.meta')?.textContent.match(/\b(1[89]|20)\d\d\b/) ?? [''])[0],
      meta: e.querySelector('.meta')?.textContent.trim() ?? '',
      mean: parseFloat(e.querySelector('.pred strong')?.textContent ?? 'NaN'),
      imdb: e.querySelector('.imdb strong')?.textContent ?? null,
      votes: e.querySelector('[data-testid="imdb-votes"]')?.textContent.trim() ?? null,
      interval: (e.querySelector('[data-testid="rec-interval"]')?.textContent.match(/^(\d\.\d)–(\d\.\d)$/) ?? [])
        .slice(1)
        .map(parseFloat),
    })),
  );
}

// Every recommendation shows its predicted stars inside an 80% interval on the 0.5–5 scale.
export function assertIntervals(recs, when) {
  for (const r of recs) {
    const [lo, hi] = r.interval;
    const ok = r.interval.length === 2 && lo >= 0.5 && hi <= 5 && lo <= r.mean && r.mean <= hi && lo < hi;
    if (!ok) fail(`${when}: "${r.title}" shows ${r.mean} ★ with interval ${JSON.stringify(r.interval)}`);
    // Beside its IMDb rating, every row says how many voted.
    if (r.imdb !== null && !/^\d+(\.\d)?[KM]? votes?$/.test(r.votes ?? '')) fail(`${when}: "${r.title}" shows IMDb ${r.imdb} with votes "${r.votes}"`);
  }
}

export function readRated(page) {
  return page.$$eval(SEL.rated, (els) =>
    els.map((e) => ({
      title: e.querySelector('.title')?.textContent.trim() ?? e.innerText.trim(),
      year: (e.querySelector('.meta')?.textContent.match(/\b(1[89]|20)\d\d\b/) ?? [''])[0],
    })),
  );
}

// Waits for the first recommendation (or the app's error box) and returns the time since
// navigation start as the page itself measured it (performance.now() counts from timeOrigin).
// Polls in short slices so that a reported problem (a 404, a page error) fails at once instead
// of after the whole model timeout.
export async function waitForFirstRecs(page, problems, what) {
  const deadline = Date.now() + MODEL_TIMEOUT_MS;
  let r;
  for (;;) {
    try {
      const handle = await page.waitForFunction(
        ([rec, err]) => {
          const e = document.querySelector(err);
          if (e) return { error: e.innerText.trim() };
          return document.querySelector(rec) ? { ms: performance.now() } : null;
        },
        [SEL.rec, SEL.error],
        { polling: 'raf', timeout: 1000 },
      );
      r = await handle.jsonValue();
      break;
    } catch (e) {
      if (!/Timeout/i.test(e.message)) throw e;
      assertNoProblems(problems, `${what} (before any recommendation appeared)`);
      if (Date.now() > deadline) {
        const body = (await page.locator('body').innerText().catch(() => '')).slice(0, 600);
        fail(`${what}: no [data-testid="rec-item"] within ${MODEL_TIMEOUT_MS / 1000} s. Page text:\n${body}`);
      }
    }
  }
  if (r.error) fail(`${what}: the app shows an error instead of recommendations: ${r.error}`);
  const ready = await page.getAttribute('body', 'data-ready');
  if (ready !== 'true') fail(`${what}: recommendations shown but body[data-ready] is ${ready}`);
  return Math.round(r.ms);
}

export async function waitForCount(page, selector, n, what) {
  try {
    await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length === n, [selector, n], {
      timeout: UI_TIMEOUT_MS,
    });
  } catch {
    const got = await page.locator(selector).count();
    fail(`${what}: expected ${n} × ${selector}, found ${got}`);
  }
}

// Polls until the recommendation list differs from `before` (rendering may lag a frame).
export async function waitForRecsToChange(page, before, what) {
  const was = JSON.stringify(before.map(key));
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const now = await readRecs(page);
    if (now.length && JSON.stringify(now.map(key)) !== was) return now;
    if (Date.now() > deadline) fail(`${what}: the recommendation list did not change (${before.map(key).join('; ')})`);
    await page.waitForTimeout(100);
  }
}

export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let searchPredictionLogged = false;

export async function searchAndRate(page, spec, expectedCount) {
  await page.fill(SEL.search, spec.query);
  const result = page
    .locator(SEL.result)
    .filter({ has: page.locator('.title', { hasText: new RegExp(`^\\s*${escapeRe(spec.title)}\\s*$`) }) })
    .filter({ has: page.locator('.meta', { hasText: spec.year }) })
    .first();
  try {
    await result.waitFor({ timeout: UI_TIMEOUT_MS });
  } catch {
    const shown = await page.locator(SEL.result).allInnerTexts();
    fail(
      `search "${spec.query}": no result "${spec.title}" (${spec.year}). Results shown:\n  ` +
        (shown.map((t) => t.replace(/\s+/g, ' ')).join('\n  ') || '(none)'),
    );
  }
  // "Would I like this one?": every result shows the visitor's prediction and its interval.
  const prediction = result.locator(T('prediction'));
  const predicted = /Predicted for you \d\.\d★ \(\d\.\d–\d\.\d\)/;
  await prediction.filter({ hasText: predicted }).waitFor({ timeout: UI_TIMEOUT_MS }).catch(async () => {
    fail(`"${spec.title}": its search result shows no prediction: "${(await result.innerText()).replace(/\s+/g, ' ')}"`);
  });
  const before = (await prediction.innerText()).replace(/\s+/g, ' ');
  const button = result.locator(`button[data-rating="${spec.rating}"]`);
  if ((await button.count()) !== 1) fail(`"${spec.title}": no button[data-rating="${spec.rating}"] in its search result`);
  await button.click();
  await waitForCount(page, SEL.rated, expectedCount, `after rating "${spec.title}" ${spec.rating}★`);
  // Rated, it shows the rating beside the prediction made without it.
  const yours = new RegExp(`You rated it ${escapeRe(String(spec.rating))}★.*without your rating`);
  await prediction.filter({ hasText: yours }).waitFor({ timeout: UI_TIMEOUT_MS }).catch(async () => {
    fail(`"${spec.title}" rated ${spec.rating}★: its result says "${(await prediction.innerText().catch(() => '(none)')).replace(/\s+/g, ' ')}"`);
  });
  if (!searchPredictionLogged) {
    searchPredictionLogged = true;
    log(`search result "${spec.title}": "${before}" → "${(await prediction.innerText()).replace(/\s+/g, ' ')}"`);
  }
  const rated = await readRated(page);
  if (!rated.some((m) => m.title === spec.title)) {
    fail(`"${spec.title}" is not under My ratings after rating it; listed: ${rated.map(key).join('; ')}`);
  }
  log(`rated ${key(spec)} ${spec.rating}★ → ${rated.length} rating(s) listed`);
}


// Waits until `selector` is shown; fails with the start of the page's text if it never is.
export async function waitVisible(page, selector, what) {
  try {
    await page.locator(selector).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  } catch {
    const body = (await page.locator('body').innerText().catch(() => '')).slice(0, 800);
    fail(`${what}: ${selector} is not shown. Page text:\n${body}`);
  }
}
