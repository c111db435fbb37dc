// motcua — browser test runner: headless Debian chromium driven by
// playwright-core against a real motcua server.
//
// Usage: MOTCUA_BIN=build/motcua node tests/browser/run.mjs [filter]
//   (`make browser` does this after `npm ci` in tests/browser.)
//   filter: run only tests whose "file: name" contains it.
//   CHROMIUM=/path overrides /usr/bin/chromium; HEADED=1 shows the window.
//
// What it does: writes a config into a fresh temporary folder (a new
// database there, the demo province with a few hundred dossiers, cheap
// password hashing so logins are fast), starts `$MOTCUA_BIN serve` on a
// free port, waits for /healthz, launches chromium with a new empty
// profile, then runs every tests/browser/*.test.mjs file in name order,
// each test in a fresh browser context (no cookies shared between tests).
// One server serves the whole run, so tests must not depend on each
// other's data: each makes what it needs.
//
// Contract for test files (other pages add their own files):
//
//   // tests/browser/lookup.test.mjs
//   export default [
//     { name: 'a citizen looks a dossier up', async run(ctx) { … } },
//   ];
//
// ctx gives:
//   baseURL            "http://127.0.0.1:PORT"
//   newPage(viewport?) a new page in the test's browser context;
//                      viewport e.g. { width: 800, height: 1000 }
//                      (default 1280×900). Console errors and failed
//                      requests are collected and fail the test.
//   login(page, username, password = "demo-2026")
//                      logs in through /login (dropping the context's
//                      cookies first, so it also switches users); resolves
//                      once the role's start page has loaded
//   api(method, path, body?, username?)
//                      a JSON API call outside the browser (as username
//                      when given); resolves { status, json }
//   expect(cond, message)
//                      throws (failing the test) when cond is falsy
//   server: { stop(), start(), dbPath, dir }
//                      stop and restart the server on the same port and
//                      database (start() waits for /healthz; logins are
//                      kept, sessions live in the database)
//   sqlite(sql)        run SQL on the database with the sqlite3 tool; only
//                      while the server is stopped (one writer at a time)
//   allowConsoleErrors(regexp)
//                      accept console errors matching regexp in this test
//   log(...)           print under the test's name
//
// A failing test saves a full-page screenshot of each of its open pages
// to tests/browser/artifacts/<file>--<test>-<n>.png. The runner prints a
// summary and exits 1 if any test failed (2 if the server or browser did
// not start). The whole run is meant to stay under two minutes.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, 'artifacts');
const BIN = process.env.MOTCUA_BIN || join(HERE, '..', '..', 'build', 'motcua');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'demo-2026';
const TEST_TIMEOUT = 45000;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server -------------------------------------------------------------

class Server {
  constructor(dir, port) {
    this.dir = dir;
    this.port = port;
    this.dbPath = join(dir, 'motcua.db');
    this.config = join(dir, 'motcua.ini');
    this.proc = null;
    this.output = '';
    writeFileSync(this.config, [
      '[server]', 'listen = 127.0.0.1', `port = ${port}`, 'threads = 4',
      `public_url = http://127.0.0.1:${port}`,
      '[database]', `path = ${this.dbPath}`, 'demo_on_create = true', 'demo_dossiers = 300',
      `upload_dir = ${join(dir, 'uploads')}`,
      '[auth]', 'pwhash_ops = 1', 'pwhash_mem_kib = 8',
      // Tests log in as the same demo users many times in a row.
      'login_max_failures = 50',
      // The public endpoints (submissions, ratings, feedback, lookups) are
      // rate-limited per address; every test calls them from 127.0.0.1.
      '[public]', 'lookup_per_minute = 600',
      '[log]', 'level = warn', '',
    ].join('\n'));
  }

  get baseURL() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.proc = spawn(BIN, ['serve', '--config', this.config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MOTCUA_NO_ACCESS_LOG: '1' },
    });
    const keep = (b) => { this.output = (this.output + b.toString()).slice(-20000); };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    const exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 200; i++) {
      const code = await Promise.race([exited, sleep(100).then(() => undefined)]);
      if (code !== undefined) throw new Error(`motcua exited with ${code}:\n${this.output}`);
      try {
        const res = await fetch(this.baseURL + '/healthz');
        if (res.ok) return;
      } catch (e) {
        // not listening yet
      }
    }
    throw new Error('motcua did not answer /healthz within 20 s:\n' + this.output);
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const done = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 10000);
    await done;
    clearTimeout(t);
    this.proc = null;
  }

  sqlite(sql) {
    if (this.proc) throw new Error('ctx.sqlite: stop the server first (one writer at a time)');
    return execFileSync('sqlite3', ['-batch', this.dbPath, sql], { encoding: 'utf8' });
  }
}

// ---- API calls outside the browser -------------------------------------------

function apiClient(baseURL) {
  const cookies = new Map();
  return async function api(method, path, body, username) {
    const headers = { Accept: 'application/json' };
    if (username) {
      if (!cookies.has(username)) {
        const res = await fetch(baseURL + '/api/v1/session', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username, password: PASSWORD }),
        });
        if (res.status !== 201) throw new Error(`api login ${username}: ${res.status}`);
        cookies.set(username, res.headers.get('set-cookie').split(';')[0]);
      }
      headers.Cookie = cookies.get(username);
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(baseURL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let json = null;
    try {
      json = await res.json();
    } catch (e) {
      json = null;
    }
    return { status: res.status, json };
  };
}

// ---- running tests ------------------------------------------------------------

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

async function runOne(browser, server, file, test) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  context.setDefaultTimeout(10000);
  const pages = [];
  const problems = [];
  const allowed = [];
  context.on('page', (page) => {
    if (!pages.includes(page)) pages.push(page);
    page.on('console', (msg) => {
      // Chromium logs every 4xx answer; the API's refusals are expected
      // (a wrong password, a field the server rejects): only other errors
      // count, and missing pages, scripts or styles are caught below.
      if (msg.type() !== 'error' || /status of 4\d\d/.test(msg.text())) return;
      problems.push(`console: ${msg.text()}`);
    });
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (res.status() === 404 && url.origin === server.baseURL && !url.pathname.startsWith('/api/')
          && url.pathname !== '/favicon.ico') problems.push(`404: ${url.pathname}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  });
  const ctx = {
    baseURL: server.baseURL,
    server,
    async newPage(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    async login(page, username, password = PASSWORD) {
      // A logged-in browser skips the login page: start from no session.
      await page.context().clearCookies();
      await page.goto(server.baseURL + '/login');
      await page.fill('#username', username);
      await page.fill('#password', password);
      await Promise.all([
        page.waitForURL((u) => !u.pathname.startsWith('/login')),
        page.click('#login-submit'),
      ]);
      await page.waitForSelector('[data-testid=who]');
    },
    api: apiClient(server.baseURL),
    expect(cond, message) {
      if (!cond) throw new Error('expectation failed: ' + message);
    },
    sqlite: (sql) => server.sqlite(sql),
    allowConsoleErrors(re) {
      allowed.push(re);
    },
    log: (...args) => console.log(`    [${test.name}]`, ...args),
  };
  let error = null;
  try {
    await Promise.race([
      test.run(ctx),
      sleep(TEST_TIMEOUT).then(() => { throw new Error(`timed out after ${TEST_TIMEOUT / 1000} s`); }),
    ]);
    const real = problems.filter((p) => !allowed.some((re) => re.test(p)));
    if (real.length) throw new Error('the pages reported errors:\n      ' + real.join('\n      '));
  } catch (e) {
    error = e;
    mkdirSync(ARTIFACTS, { recursive: true });
    let n = 0;
    for (const page of pages) {
      if (page.isClosed()) continue;
      const path = join(ARTIFACTS, `${slug(file)}--${slug(test.name)}-${++n}.png`);
      try {
        await page.screenshot({ path, fullPage: true });
        console.log(`    screenshot: ${path}`);
      } catch (se) {
        console.log(`    (no screenshot: ${se.message})`);
      }
    }
  }
  await context.close().catch(() => {});
  if (!server.proc) await server.start();	// a test that stopped it and failed
  return error;
}

async function main() {
  const filter = process.argv[2] || '';
  const files = readdirSync(HERE).filter((f) => f.endsWith('.test.mjs')).sort();
  const dir = mkdtempSync(join(tmpdir(), 'motcua-browser-'));
  const server = new Server(dir, await freePort());
  let browser = null;
  const results = [];
  const started = Date.now();
  try {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    await server.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: !process.env.HEADED,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      // playwright gives every launch a new, empty profile folder of its own.
    });
  } catch (e) {
    console.error('browser tests: cannot start:', e.message);
    await server.stop();
    process.exit(2);
  }
  for (const file of files) {
    const mod = await import(join(HERE, file));
    const tests = mod.default || [];
    for (const test of tests) {
      const label = `${file}: ${test.name}`;
      if (filter && !label.includes(filter)) continue;
      const t0 = Date.now();
      const error = await runOne(browser, server, file, test);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      results.push({ label, error });
      console.log(`${error ? 'FAIL' : 'ok  '} ${label} (${secs} s)`);
      if (error) console.log('    ' + String(error.stack || error).split('\n').slice(0, 6).join('\n    '));
    }
  }
  await browser.close();
  await server.stop();
  const failed = results.filter((r) => r.error);
  console.log(`\nbrowser tests: ${results.length - failed.length} passed, ${failed.length} failed, ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const f of failed) console.log(`  failed: ${f.label}`);
  if (!failed.length) rmSync(dir, { recursive: true, force: true });
  else console.log(`  server folder kept: ${dir}`);
  process.exit(failed.length ? 1 : 0);
}

main();
