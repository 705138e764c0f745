import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const kContentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves files on 127.0.0.1 (a secure context, so the page gets navigator.gpu). `routes` maps
 * URL prefixes to folders; `pages` serves generated documents at fixed paths. Cross-origin
 * isolation headers are set so threaded wasm (used by the benchmark's peers) can load.
 */
export async function startStaticServer(routes: Record<string, string>, pages: Record<string, string> = {}): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    response.setHeader('Cache-Control', 'no-store');
    if (Object.hasOwn(pages, path)) {
      response.setHeader('Content-Type', kContentTypes['.html']);
      response.end(pages[path]);
      return;
    }
    const file = resolveFile(routes, path);
    if (!file) {
      response.statusCode = 404;
      response.end('not found');
      return;
    }
    response.setHeader('Content-Type', kContentTypes[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(response);
  });
  // Neither the server nor the browser's connections to it keep Node alive: a page load in
  // progress is already kept alive by the DevTools request that waits for it.
  server.on('connection', (socket) => socket.unref());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive connections would otherwise hold close() open
      }),
  };
}

function resolveFile(routes: Record<string, string>, path: string): string | null {
  for (const [prefix, folder] of Object.entries(routes)) {
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(folder, path.slice(prefix.length)));
    if (file !== folder && !file.startsWith(folder.endsWith(sep) ? folder : folder + sep)) return null; // no ../ escapes
    try {
      if (statSync(file).isFile()) return file;
    } catch {
      // not in this folder; try the next route
    }
  }
  return null;
}
