// Playwright gives each launch a fresh temporary profile.
// Serves the built UI and opens it in Debian's headless Chromium with the fake backend
// injected, so each screen is exercised and photographed without the Rust side.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PARTS_PRELOADED } from '../../src/lib/lazy';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
export const RESULTS = join(ROOT, 'test-results');
const FAKE = join(import.meta.dirname, 'fake-backend.js');
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml',
};

export class Harness {
  server!: Server;
  browser!: Browser;
  url = '';

  async start() {
    if (!existsSync(join(DIST, 'index.html'))) {
      const { build } = await import('vite');
      await build({ root: ROOT, logLevel: 'warn' });
    }
    mkdirSync(RESULTS, { recursive: true });
    this.server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      const file = join(DIST, path === '/' ? 'index.html' : path);
      if (!file.startsWith(DIST) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    this.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  }

  async stop() {
    await this.browser?.close();
    await new Promise((ok) => this.server?.close(ok));
  }

  /**
   * A fresh page with the fake backend configured by `config`, once the window has fetched the
   * parts it loads after its first paint (the dialogs, the other views): as a person's window has
   * a moment after it shows, so that what a test opens renders at once and keys typed into it land.
   * `preloaded: false` returns as soon as the page has loaded; `beforeLoad` runs first (to route
   * requests, say).
   */
  async open(config: Record<string, unknown> = {},
    opts: { dark?: boolean; width?: number; height?: number; preloaded?: boolean; beforeLoad?: (context: BrowserContext) => Promise<unknown> } = {}) {
    const context: BrowserContext = await this.browser.newContext({
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
      colorScheme: opts.dark ? 'dark' : 'light',
    });
    await context.addInitScript((c) => ((window as unknown as { __KEYWARD_FAKE_CONFIG__: unknown }).__KEYWARD_FAKE_CONFIG__ = c), config);
    await context.addInitScript({ path: FAKE });
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await opts.beforeLoad?.(context);
    await page.goto(this.url);
    if (opts.preloaded ?? true) await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, PARTS_PRELOADED, { timeout: 20_000 });
    return { page, context, errors };
  }
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS, `${name}.png`) });
