// End-to-end scenario "two opposite tastes", each in a fresh browser context: a new visitor
// rates five horror classics 5★, another five romantic comedies 5★ (searched and rated the way
// a visitor does). Their top 10s, as the page shows them, must share at most 3 films; every
// film a reason names ("because you liked X") must be one of the films that visitor rated.
// (That the named film is also *like* the recommended one is checked on the same bundle by
// tests/tastes.rs, which can read the factors.) Screenshots of both lists go to the shots folder.

import { join } from 'node:path';
import { SEL, fail, log, readRecs, searchAndRate, waitForFirstRecs, watch, assertNoProblems } from './lib.mjs';

const HORROR = [
  { query: 'shining', title: 'The Shining', year: '1980', rating: '5' },
  { query: 'halloween', title: 'Halloween', year: '1978', rating: '5' },
  { query: 'exorcist', title: 'The Exorcist', year: '1973', rating: '5' },
  { query: 'nightmare on elm', title: 'A Nightmare on Elm Street', year: '1984', rating: '5' },
  { query: 'texas chainsaw', title: 'The Texas Chainsaw Massacre', year: '1974', rating: '5' },
];

const ROMCOM = [
  { query: 'when harry met', title: 'When Harry Met Sally...', year: '1989', rating: '5' },
  { query: 'notting hill', title: 'Notting Hill', year: '1999', rating: '5' },
  { query: 'pretty woman', title: 'Pretty Woman', year: '1990', rating: '5' },
  { query: 'sleepless in seattle', title: 'Sleepless in Seattle', year: '1993', rating: '5' },
  { query: 'four weddings', title: 'Four Weddings and a Funeral', year: '1994', rating: '5' },
];

// The list's first 10 titles with their reasons, once it no longer lists any rated film and
// has stopped changing.
async function settledTop10(page, rated, what) {
  let last = '';
  for (let tries = 0; tries < 100; tries++) {
    const recs = await page.$$eval(SEL.rec, (els) => els.slice(0, 10).map((e) => ({
      title: e.querySelector('[data-testid="rec-title"]')?.textContent.trim() ?? '',
      reasons: e.querySelector('[data-testid="rec-reasons"]')?.textContent.trim() ?? '',
    })));
    const now = JSON.stringify(recs);
    if (recs.length === 10 && now === last && !recs.some((r) => rated.includes(r.title))) return recs;
    last = now;
    await page.waitForTimeout(150);
  }
  fail(`${what}: the list did not settle on 10 films without rated ones: ${last}`);
}

export async function tastesFlow({ browser, server, problems, shots }) {
  const tops = {};
  for (const [name, films] of [['horror', HORROR], ['romcom', ROMCOM]]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await watch(context, page, server.origin, problems, name);
    await page.goto(server.url, { waitUntil: 'commit' });
    await waitForFirstRecs(page, problems, `${name}: first load`);
    for (const [i, spec] of films.entries()) await searchAndRate(page, spec, i + 1);
    const rated = films.map((f) => f.title);
    const top = await settledTop10(page, rated, name);
    for (const r of top) {
      // Reasons are joined by " · ", the first capitalised.
      for (const m of r.reasons.matchAll(/because you (?:liked|watched|preferred|saved) (.+?)(?: \([\d.]+★\))?(?= · |$)/gi)) {
        const named = m[1].trim();
        if (!rated.includes(named)) fail(`${name}: "${r.title}" names "${named}", which this visitor did not rate (${r.reasons})`);
      }
    }
    log(`${name} top 10: ${top.map((r) => `${r.title} [${r.reasons}]`).join('; ')}`);
    await page.screenshot({ path: join(shots, `tastes-${name}.png`) });
    assertNoProblems(problems, name);
    tops[name] = top.map((r) => r.title);
    await context.close();
  }
  const shared = tops.horror.filter((t) => tops.romcom.includes(t));
  console.log(`tastes_shared_top10=${shared.length}`);
  if (shared.length > 3) fail(`the horror and romantic-comedy top 10s share ${shared.length} films: ${shared.join('; ')}`);
  log(`two tastes: ${shared.length} films shared (${shared.join('; ') || 'none'})`);
}
