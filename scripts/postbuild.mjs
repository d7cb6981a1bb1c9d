#!/usr/bin/env node
// Trunk's post_build hook (Trunk.toml [[hooks]]): finishes the staged site in $TRUNK_STAGING_DIR
// before Trunk moves it to dist/. Node's standard library only.
//
//   1. model-head.bin and model-tail.bin → model-<hash>.bin, named in index.html by
//      <meta name="moviematch-model"> (the head, loaded first) and "moviematch-tail", with the
//      catalogue's film count in "moviematch-films" (from web/model-split.json), so every file
//      index.html loads has a content-hashed name;
//   1b. the wasm gzipped (Zopfli), loaded by our own loader; the JS glue minified (esbuild);
//   2. a Content-Security-Policy <meta> allowing only the site's own origin, plus the sha256 of
//      each inline <script> (Trunk's module loader) and 'wasm-unsafe-eval' for the wasm;
//   3. the build version: a hash over every built file (and the service-worker template),
//      written into index.html as <meta name="moviematch-version"> and into sw.js;
//   4. sw.js from web/sw.js with BUILD = { version, files } (the precache list).
//
// Exported helpers are reused by the end-to-end test (tests/e2e/offline.mjs) to check that
// dist/sw.js matches the files in dist/.
//
// By hand: node scripts/postbuild.mjs <staged dir>   (Trunk sets TRUNK_STAGING_DIR instead)

import { createHash } from 'node:crypto';
import { readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { gzipAsync } from '@gfx/zopfli';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SW_FILE = 'sw.js';
export const MODEL_META = 'moviematch-model';
export const VERSION_META = 'moviematch-version';
// The tail of the model (loaded after the first list) and the whole catalogue's film count.
export const TAIL_META = 'moviematch-tail';
export const FILMS_META = 'moviematch-films';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SW_TEMPLATE = join(ROOT, 'web', 'sw.js');
const SPLIT_MANIFEST = join(ROOT, 'web', 'model-split.json');
// The line of web/sw.js that gets this build's data.
const BUILD_LINE = /^const BUILD = .*;$/m;

const isGzip = (bytes) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
const sha = (algo, data) => createHash(algo).update(data);
const short = (data) => sha('sha256', data).digest('hex').slice(0, 16);

// The text of every inline <script> (no src attribute), as the browser hashes it.
export function inlineScripts(html) {
  const out = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(m[1])) continue;
    out.push(m[2].replace(/\r\n?/g, '\n'));
  }
  return out;
}

// The policy for a page whose inline scripts are those of `html`. Nothing but the site's own
// origin: scripts are the hashed files and the hashed inline loader; wasm compilation needs
// 'wasm-unsafe-eval'; styles are the stylesheets only (no style attributes: the app sets widths
// through the CSSOM); data: images for the empty favicon. frame-ancestors has no effect in a
// <meta> policy: hosts that can set headers may send the same policy plus frame-ancestors.
export function cspFor(html) {
  const hashes = inlineScripts(html).map((s) => `'sha256-${sha('sha256', s).digest('base64')}'`);
  return [
    "default-src 'self'",
    ['script-src', "'self'", ...hashes, "'wasm-unsafe-eval'"].join(' '),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

// Every file under `dir` (relative, "/"-separated, sorted), sw.js excepted.
export async function siteFiles(dir, sub = '') {
  const out = [];
  for (const e of await readdir(join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await siteFiles(dir, rel)));
    else if (e.isFile() && rel !== SW_FILE) out.push(rel);
  }
  return sub ? out : out.sort();
}

// What the service worker caches: index.html under the site's own address "./".
export const precacheList = (files) =>
  files.map((f) => (f === 'index.html' ? './' : `./${f.split('/').map(encodeURIComponent).join('/')}`));

const withoutVersion = (html) => html.replace(new RegExp(`\\s*<meta name="${VERSION_META}" content="[^"]*">`), '');

// The build version: a hash over the names and contents of every file of the site (index.html
// without its version meta, which holds this very hash) and the service-worker template. Any
// change to the app, the styles, the model or the worker gives a new version, hence a new cache.
export async function buildVersion(dir, template) {
  const h = sha('sha256', '');
  for (const f of await siteFiles(dir)) {
    let data = await readFile(join(dir, f));
    if (f === 'index.html') data = Buffer.from(withoutVersion(data.toString('utf8')));
    h.update(`${f}\0${data.length}\0`).update(data);
  }
  h.update(`${SW_FILE}\0`).update(template ?? (await readFile(SW_TEMPLATE)));
  return h.digest('hex').slice(0, 16);
}

// The BUILD object written into a built sw.js.
export function readBuild(swText) {
  const line = swText.match(BUILD_LINE);
  if (!line) throw new Error(`${SW_FILE} has no "const BUILD = …;" line`);
  return JSON.parse(line[0].slice('const BUILD = '.length, -1));
}

// Inserts `tags` right after <meta charset> (which must stay first), or after <head>: a
// <meta> policy only governs what comes after it.
function injectHead(html, tags) {
  const at = /<meta\s+charset=[^>]*>/i.exec(html) ?? /<head[^>]*>/i.exec(html);
  if (!at) throw new Error('index.html has no <head>');
  const end = at.index + at[0].length;
  return `${html.slice(0, end)}\n  ${tags.join('\n  ')}${html.slice(end)}`;
}

// Trunk's inline module loader, rewritten to fetch the gzipped wasm and inflate it with the
// browser's DecompressionStream while it downloads (no wasm bytes spent on a decoder), and to
// say so in the page if the app cannot start. Trunk's wasm preload carried an integrity hash of
// the uncompressed file: it is replaced by plain preloads of the wasm and the model, which the
// loader's and the app's fetch() (mode cors, same-origin credentials) then reuse.
export function wasmLoader(jsName, wasmName) {
  return `<script type="module">
import init, * as bindings from './${jsName}';
try {
  const response = await fetch('./${wasmName}');
  if (!response.ok) throw new Error(\`./${wasmName}: \${response.status} \${response.statusText}\`);
  const wasm = await init({
    module_or_path: new Response(response.body.pipeThrough(new DecompressionStream('gzip')), {
      headers: { 'content-type': 'application/wasm' },
    }),
  });
  window.wasmBindings = bindings;
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (e) {
  const p = document.createElement('p');
  p.className = 'noscript';
  p.dataset.testid = 'error';
  p.textContent = \`MovieMatch could not start in this browser: \${e.message ?? e}\`;
  document.body.append(p);
  throw e;
}
</script>`;
}

// wasm-bindgen's glue is not minified by Trunk (it minifies only the assets it reads): esbuild
// does it here (about 49 KB → 22 KB), and the module preload's integrity hash is recomputed for
// the new text.
async function minifyGlue(dir, html, jsName) {
  const path = join(dir, jsName);
  const { code } = await transform(await readFile(path, 'utf8'), { minify: true, format: 'esm', target: 'es2022' });
  await writeFile(path, code);
  const integrity = `sha384-${sha('sha384', code).digest('base64')}`;
  const preload = new RegExp(`(<link\\b[^>]*\\bhref="?\\./${jsName.replace(/[.]/g, '\\.')}"?[^>]*\\bintegrity=)"?[^" >]+"?`);
  if (!preload.test(html)) throw new Error(`index.html has no module preload of ${jsName} with an integrity hash`);
  return html.replace(preload, `$1"${integrity}"`);
}

async function packWasm(dir, html, modelName) {
  // Trunk's release build minifies index.html (Trunk.toml: minify), which unquotes attributes.
  const loader = /<script type="?module"?>\s*import init, \* as bindings from '\.\/([^']+\.js)';[\s\S]*?<\/script>/.exec(html);
  if (!loader) throw new Error("index.html has no Trunk module loader (import init, * as bindings from './app-….js')");
  const wasmName = /module_or_path: '\.\/([^']+\.wasm)'/.exec(loader[0])?.[1];
  if (!wasmName) throw new Error("Trunk's loader names no wasm file");
  const wasm = await readFile(join(dir, wasmName));
  // Zopfli: a standard gzip stream 4.5% smaller than zlib's level 9 on this wasm (385 KB
  // against 403 KB, measured), for ~3 s of build; the loader's DecompressionStream reads either.
  if (!isGzip(wasm)) await writeFile(join(dir, wasmName), await gzipAsync(wasm, { numiterations: 15 }));
  html = html.replace(loader[0], wasmLoader(loader[1], wasmName));
  html = await minifyGlue(dir, html, loader[1]);
  const preload = new RegExp(`<link\\b[^>]*\\bhref="?\\./${wasmName.replace(/[.]/g, '\\.')}"?[^>]*>`);
  if (!preload.test(html)) throw new Error(`index.html has no preload of ${wasmName}`);
  return html.replace(
    preload,
    `<link rel="preload" href="./${wasmName}" as="fetch" crossorigin="anonymous">` +
      `<link rel="preload" href="./${modelName}" as="fetch" crossorigin="anonymous">`,
  );
}

export async function postbuild(dir) {
  const indexPath = join(dir, 'index.html');
  let html = await readFile(indexPath, 'utf8');
  if (/http-equiv="Content-Security-Policy"/i.test(html)) throw new Error(`${indexPath} was already post-processed`);

  // 1. The model's head and tail (tools head --split) are gzipped (most static hosts send
  //    files as they are; the engine inflates a gzipped bundle itself, so no host setting is
  //    needed) and get content-hashed names, like everything else index.html loads. Level 9 and
  //    no file name/time in the gzip header, so the same bundle always gives the same bytes.
  const split = JSON.parse(await readFile(SPLIT_MANIFEST, 'utf8').catch(() => {
    throw new Error(`${SPLIT_MANIFEST} is missing (tools head --split writes it)`);
  }));
  const [modelName, tailName] = await Promise.all(['model-head.bin', 'model-tail.bin'].map(async (part) => {
    const bytes = await readFile(join(dir, part)).catch(() => {
      throw new Error(`${dir}/${part} is missing (index.html copies web/${part})`);
    });
    const packed = isGzip(bytes) ? bytes : gzipSync(bytes, { level: 9 });
    const name = `model-${short(packed)}.bin`;
    await writeFile(join(dir, name), packed);
    await unlink(join(dir, part));
    return name;
  }));

  // 1b. The wasm is gzipped in place too and inflated by our own loader (below), the model
  //     preloaded beside it, so the two downloads overlap.
  html = await packWasm(dir, html, modelName);

  // 2. The policy, computed on the final scripts (the metas added here hold none).
  const csp = cspFor(html);
  html = injectHead(html, [
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<meta name="${MODEL_META}" content="${modelName}">`,
    `<meta name="${TAIL_META}" content="${tailName}">`,
    `<meta name="${FILMS_META}" content="${split.films}">`,
  ]);
  await writeFile(indexPath, html);

  // 3. The version over everything built, then stamped into index.html.
  const template = await readFile(SW_TEMPLATE, 'utf8');
  const version = await buildVersion(dir, template);
  html = html.replace(`<meta name="${MODEL_META}"`, `<meta name="${VERSION_META}" content="${version}">\n  <meta name="${MODEL_META}"`);
  await writeFile(indexPath, html);

  // 4. The service worker for exactly these files.
  const files = precacheList(await siteFiles(dir));
  if (!BUILD_LINE.test(template)) throw new Error(`${SW_TEMPLATE} has no "const BUILD = …;" line`);
  const sw = template.replace(BUILD_LINE, `const BUILD = ${JSON.stringify({ version, files })};`);
  await writeFile(join(dir, SW_FILE), sw);

  // Self-check: what was written is what the e2e test will recompute.
  if ((await buildVersion(dir, template)) !== version) throw new Error('the build version is not reproducible');
  console.log(`postbuild: version ${version}, ${files.length} files precached, model ${modelName} + ${tailName} (${split.head_films} + ${split.films - split.head_films} films)`);
  console.log(`postbuild: CSP ${csp}`);
  return { version, files, csp, modelName, tailName };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
  if (!dir) {
    console.error('usage: node scripts/postbuild.mjs <staged site dir> (or set TRUNK_STAGING_DIR)');
    process.exit(2);
  }
  try {
    await postbuild(dir);
  } catch (e) {
    console.error(`postbuild failed: ${e.message}`);
    process.exit(1);
  }
}
