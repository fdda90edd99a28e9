import { readFileSync, existsSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { SITES } from '../../../src/shared/sites.ts';
import { makeCertificate } from './certs.ts';

/** Every request the browser made, as seen by the proxy (host level) or the demo server (full). */
export interface RequestRecord {
  via: 'proxy' | 'server';
  host: string;
  method: string;
  path?: string;
  /** sec-fetch-mode: navigate for the test's own navigations. */
  mode?: string;
  origin?: string;
  at: number;
}

export interface DemoServer {
  /** Point the browser's proxy here: every request of the whole browser passes it. */
  proxyPort: number;
  log: RequestRecord[];
  /** Serves extra routes (path → body) on a host, e.g. a catalog update. */
  route(host: string, path: string, body: string, type?: string): void;
  close(): Promise<void>;
}

export const DEMO_HOSTS: readonly string[] = SITES.flatMap((site) => site.hosts);

/**
 * A local HTTPS server that answers as the real social hosts, behind an HTTP proxy that logs
 * every request the browser makes. Nothing goes to the internet: CONNECTs to other hosts are
 * refused and logged, so a test can fail on them.
 */
export async function startDemoServer(pagesDir: string): Promise<DemoServer> {
  const log: RequestRecord[] = [];
  const routes = new Map<string, { body: string; type: string }>();
  const tls = makeCertificate(DEMO_HOSTS);

  const https = createHttpsServer(tls, (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0] ?? '';
    const path = req.url ?? '/';
    record(req, host, path);
    const extra = routes.get(`${host}${path}`);
    if (extra) {
      res.writeHead(200, { 'content-type': extra.type });
      res.end(extra.body);
      return;
    }
    const file = pageFor(host, path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not a demo page');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });

  function record(req: IncomingMessage, host: string, path: string): void {
    const entry: RequestRecord = { via: 'server', host, method: req.method ?? 'GET', path, at: Date.now() };
    const mode = req.headers['sec-fetch-mode'];
    if (typeof mode === 'string') entry.mode = mode;
    if (typeof req.headers.origin === 'string') entry.origin = req.headers.origin;
    log.push(entry);
  }

  /** demo/<host>.html for the host's pages; a path of /<name> may pick demo/<host>--<name>.html. */
  function pageFor(host: string, path: string): string | undefined {
    if (!DEMO_HOSTS.includes(host)) return undefined;
    const slug =
      path
        .split('?')[0]
        ?.replace(/^\/+|\/+$/g, '')
        .replace(/[^a-zA-Z0-9_-]+/g, '-') ?? '';
    const specific = join(pagesDir, `${host}--${slug}.html`);
    if (slug && existsSync(specific)) return specific;
    const general = join(pagesDir, `${host}.html`);
    return existsSync(general) ? general : undefined;
  }

  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const httpsPort = (https.address() as AddressInfo).port;

  const proxy = createHttpServer((req, res) => {
    // Plain-HTTP proxy requests: nothing of ours is served over http.
    const url = new URL(req.url ?? '', 'http://unknown');
    log.push({ via: 'proxy', host: url.hostname, method: req.method ?? 'GET', path: url.pathname, at: Date.now() });
    res.writeHead(502);
    res.end();
  });
  const sockets = new Set<Socket>();
  proxy.on('connect', (req, client: Socket) => {
    const [host = '', port = '443'] = (req.url ?? '').split(':');
    log.push({ via: 'proxy', host, method: 'CONNECT', at: Date.now() });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (!DEMO_HOSTS.includes(host) && !routesForHost(host)) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(httpsPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    void port;
  });
  function routesForHost(host: string): boolean {
    return [...routes.keys()].some((key) => key.startsWith(`${host}/`));
  }
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));

  return {
    proxyPort: (proxy.address() as AddressInfo).port,
    log,
    route(host, path, body, type = 'application/json') {
      routes.set(`${host}${path}`, { body, type });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => proxy.close(() => resolve())),
        new Promise<void>((resolve) => https.close(() => resolve())),
      ]);
    },
  };
}

/**
 * The browsers' own background traffic that their switches and preferences cannot turn off (the
 * harness turns off the rest: see chromium.ts and firefox.ts). Each entry is one endpoint, named
 * with what sends it; a request to any other host fails the test. None of it is the extension's:
 * its CSP (connect-src 'self') and host permissions could not reach these hosts, and the
 * Chromium harness also fails on any request the extension's own pages or worker make.
 */
export const BROWSER_ENDPOINTS: readonly { host: string; path?: string; sender: string }[] = [
  // IdentityManager lists the Google accounts in the cookie jar once a profile's network is up; no switch stops it.
  { host: 'accounts.google.com', path: '/ListAccounts', sender: 'Chromium sign-in (IdentityManager)' },
  // The updater's first check after start; --disable-component-update delays the component checks but not this one.
  { host: 'update.googleapis.com', path: '/service/update2/json', sender: 'Chromium updater' },
  // Firefox's remote settings, which the harness points at a host that cannot exist (RFC 6761).
  { host: 'remote-settings.invalid', sender: 'Firefox remote settings' },
];

function isBrowserEndpoint(r: RequestRecord): boolean {
  return BROWSER_ENDPOINTS.some((e) => e.host === r.host && (r.path === undefined || e.path === undefined || r.path.startsWith(e.path)));
}

/**
 * Requests that break the privacy promise: anything to a host that is not a demo page, and any
 * request to a demo host that the test did not make itself as a navigation (a fetch from a
 * content script or the extension carries an Origin header or a non-navigate mode).
 */
export function privacyViolations(log: readonly RequestRecord[], allowed: readonly string[] = []): RequestRecord[] {
  return log.filter((r) => {
    if (allowed.some((a) => `${r.host}${r.path ?? ''}`.startsWith(a))) return false;
    if (r.via === 'proxy') return !DEMO_HOSTS.includes(r.host) && !isBrowserEndpoint(r);
    if (r.origin && /^(chrome|moz)-extension:/.test(r.origin)) return true;
    // fetch() and XHR (from a content script or the extension); navigations and the favicon are the browser's.
    return r.mode === 'cors' || r.mode === 'same-origin';
  });
}
