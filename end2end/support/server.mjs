// A static file server for dist/ on loopback, mounted under a path prefix so
// tests can check that the app works from a sub-path. Anything outside the
// prefix is a 404, which is what catches absolute URLs.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
};

export async function startServer({ dist = process.env.DIST_DIR, prefix = "/" } = {}) {
  if (!dist) throw new Error("DIST_DIR is not set: run through `cargo xtask test`");
  const mount = prefix.endsWith("/") ? prefix : `${prefix}/`;
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(mount)) {
      res.writeHead(404).end("outside the mount point");
      return;
    }
    let file = normalize(join(dist, path.slice(mount.length)));
    if (!file.startsWith(normalize(dist))) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${mount}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
