// Bad input to the JS package (pkg/dist) in the page pkg/test/browser.mjs drives: every call
// throws an Error named "MovieMatchError" with the documented `code` (never a wasm trap), and
// the engine and the profile stay usable. Also the test's small helpers.

export const log = (...a) => console.log('[pkg]', ...a);
export class TestFailure extends Error {}
export const fail = (msg) => {
  throw new TestFailure(msg);
};
export const check = (cond, msg) => cond || fail(msg);

/** Runs in the page after `window.engine` and `window.profile` (five ratings) exist. */
export async function badInput(page) {
  // --- bad input throws Errors (no wasm trap) -----------------------------------------------
  const errors = await page.evaluate(async () => {
    const model = new Uint8Array(await (await fetch('../../web/model.bin')).arrayBuffer());
    const attempt = (f) => {
      try {
        f();
        return { threw: false };
      } catch (e) {
        return {
          threw: true,
          isError: e instanceof Error,
          trap: e instanceof WebAssembly.RuntimeError,
          name: e?.name,
          code: e?.code,
          message: String(e?.message ?? e),
        };
      }
    };
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    const flipped = model.slice();
    flipped[flipped.length >> 1] ^= 0xff;
    const out = {
      garbage: attempt(() => mm.Engine.load(garbage)),
      empty: attempt(() => mm.Engine.load(new Uint8Array())),
      truncated: attempt(() => mm.Engine.load(model.subarray(0, model.length >> 1))),
      flipped: attempt(() => mm.Engine.load(flipped)),
      notStars: attempt(() => profile.rate('tt0133093', 7)),
      badId: attempt(() => profile.rate('matrix', 4)),
      badIdType: attempt(() => profile.rate({}, 4)),
      selfCompare: attempt(() => profile.compare(1, 1, 'a')),
      badAnswer: attempt(() => profile.compare(1, 2, 'maybe')),
      badOption: attempt(() => engine.recommend(profile, { yearmin: 2000 })),
      badGenre: attempt(() => engine.recommend(profile, { genresAny: ['Space Opera'] })),
      badSeed: attempt(() => engine.recommend(profile, { seed: -1 })),
      badJson: attempt(() => mm.Profile.fromJson('{"version":1,')),
      futureJson: attempt(() => mm.Profile.fromJson('{"version":99,"events":[]}')),
      notALink: attempt(() => mm.decodeShare('')),
      notCsv: attempt(() => engine.importCsv(profile, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]))),
      badMode: attempt(() => engine.importCsv(profile, 'Const,Your Rating\n', 'append')),
      notInCatalogue: attempt(() => engine.predict(profile, 'tt9999999')),
      similarUnknown: attempt(() => engine.similar('tt9999999')),
      similarNotAProfile: attempt(() => engine.similar('tt0133093', { ratings: [] })),
    };
    // Still usable after all that.
    out.stillWorks = engine.recommend(profile, { top: 3 }).length;
    out.ratingsKept = profile.ratings().length;
    return out;
  });
  // Every thrown error is a MovieMatchError with the documented code.
  const codes = {
    garbage: 'bad_bundle',
    empty: 'bad_bundle',
    truncated: 'bad_bundle',
    flipped: 'bad_bundle',
    notStars: 'bad_option',
    badId: 'unknown_movie',
    badIdType: 'unknown_movie',
    notInCatalogue: 'unknown_movie',
    similarUnknown: 'unknown_movie',
    similarNotAProfile: 'bad_option',
    selfCompare: 'bad_option',
    badAnswer: 'bad_option',
    badOption: 'bad_option',
    badGenre: 'bad_option',
    badSeed: 'bad_option',
    badJson: 'bad_profile',
    futureJson: 'future_profile',
    notALink: 'bad_share_link',
    notCsv: 'bad_import',
    badMode: 'bad_option',
  };
  for (const [name, r] of Object.entries(errors)) {
    if (typeof r !== 'object') continue;
    check(r.threw && r.isError && !r.trap, `${name}: ${JSON.stringify(r)}`);
    check(!/unreachable|panicked|RuntimeError/.test(r.message), `${name} trapped: ${r.message}`);
    check(r.name === 'MovieMatchError' && r.code === codes[name], `${name}: ${r.name} ${r.code}, expected MovieMatchError ${codes[name]}`);
  }
  check(/bundle/.test(errors.garbage.message), `garbage bundle: ${errors.garbage.message}`);
  check(/unknown field `yearmin`/.test(errors.badOption.message), `typo in options: ${errors.badOption.message}`);
  check(errors.stillWorks === 3 && errors.ratingsKept === 5, 'the engine or profile changed after refused input');
  log(`errors: ${Object.entries(errors).filter(([, r]) => typeof r === 'object').map(([k, r]) => `${k}: ${r.message}`).join(' | ')}`);
}
