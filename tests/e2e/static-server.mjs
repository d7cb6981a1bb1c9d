// A tiny static file server for the built site (dist/), used by the end-to-end test and by
// scripts/serve.sh. It serves the site under a URL prefix (default "/sub/path/") so the test
// proves every URL the app uses is relative: a request outside the prefix gets a 404, which the
// test turns into a failure. Node's http module only: no dependency, no network beyond 127.0.0.1.
//
// As a module:  const srv = await startServer({ root: 'dist', prefix: '/sub/path/' });
//               srv.url  -> "http://127.0.0.1:PORT/sub/path/",  await srv.close()
// As a command: node tests/e2e/static-server.mjs [root=dist] [port=0 (random)] [prefix=/]

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

// .wasm must be application/wasm or WebAssembly.instantiateStreaming refuses it.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export async function startServer({ root = 'dist', prefix = '/sub/path/', port = 0, log = () => {} } = {}) {
  const rootDir = resolve(root);
  if (!prefix.startsWith('/')) prefix = '/' + prefix;
  if (!prefix.endsWith('/')) prefix += '/';
  const requests = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname });
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
      log(`${status} ${req.method} ${url.pathname}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    if (url.pathname + '/' === prefix) return send(301, '', { location: prefix });
    if (!url.pathname.startsWith(prefix)) return send(404, `outside the site prefix ${prefix}\n`);
    let rel;
    try {
      rel = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      return send(400, 'bad path\n');
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(rootDir, rel));
    if (file !== rootDir && !file.startsWith(rootDir + sep)) return send(403, 'forbidden\n');
    let info;
    try {
      info = await stat(file);
    } catch {
      return send(404, 'not found\n');
    }
    if (!info.isFile()) return send(404, 'not found\n');
    res.writeHead(200, {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': info.size,
      // Always revalidate: a rebuilt dist/ must never be mixed with a cached old one.
      'cache-control': 'no-cache',
    });
    log(`200 ${req.method} ${url.pathname}`);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + prefix,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

// Command-line use (scripts/serve.sh).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [root = 'dist', port = '0', prefix = '/'] = process.argv.slice(2);
  const srv = await startServer({ root, port: Number(port), prefix, log: (l) => console.log(l) });
  console.log(`serving ${resolve(root)} at ${srv.url} (Ctrl-C to stop)`);
}
