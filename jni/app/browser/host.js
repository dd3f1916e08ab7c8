// Starts what the browser tests run against: the test fixtures (BrowserFixtures: a config with a
// pinned test key, and signed ALB tokens) and the Jetty test host (TestHost, the app's filter and
// admin servlet with in-memory host services), both from the class path jni/app/test.sh built
// (ALBAUTH_TESTHOST_CLASSPATH, ALBAUTH_TESTHOST_JAVA_OPTS).
// Also launches Debian's Chromium with a fresh profile for each session.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { chromium } = require('playwright-core');

const BUILD = path.resolve(__dirname, '../../build/app');
const SCREENSHOTS = path.join(BUILD, 'screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function javaArgs() {
  const cp = process.env.ALBAUTH_TESTHOST_CLASSPATH;
  if (!cp) throw new Error('ALBAUTH_TESTHOST_CLASSPATH is not set (jni/app/browser/run.sh sets it)');
  const opts = (process.env.ALBAUTH_TESTHOST_JAVA_OPTS || '').split(/\s+/).filter((s) => s);
  return [...opts, '-cp', cp];
}

/** Writes the fixtures into a fresh directory and returns them (tokens, configs, the ALB). */
function fixtures() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albauth-browser-'));
  execFileSync('java', [...javaArgs(), 'io.albauth.atlassian.admin.BrowserFixtures', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const fx = JSON.parse(fs.readFileSync(path.join(dir, 'fixtures.json'), 'utf8'));
  fx.configFile = path.join(dir, 'config.json');
  fx.dir = dir;
  return fx;
}

let hosts = 0;

/**
 * Starts TestHost with `args` and resolves to { url, stop } once it prints "READY <url>". Its log
 * goes to jni/build/app/browser-host-N.log, so that the test output stays one line per test.
 */
function startHost(args) {
  fs.mkdirSync(BUILD, { recursive: true });
  const logFile = path.join(BUILD, `browser-host-${++hosts}.log`);
  const log = fs.openSync(logFile, 'w');
  const child = spawn('java', [...javaArgs(), 'io.albauth.atlassian.host.TestHost', ...args],
    { stdio: ['ignore', 'pipe', log] });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    child.on('exit', (code) => reject(new Error(`TestHost exited (${code}) before READY: see ${logFile}`)));
    lines.on('line', (line) => {
      const m = /^READY (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!m) return;
      child.removeAllListeners('exit');
      resolve({
        url: m[1],
        stop: () => new Promise((done) => {
          child.once('exit', () => { fs.closeSync(log); done(); });
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

/**
 * A browser of its own (fresh profile) whose every request carries `token` as the ALB's
 * x-amzn-oidc-data header (none when `token` is null).
 */
async function browserSession(token) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albauth-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
    extraHTTPHeaders: token ? { 'x-amzn-oidc-data': token } : {},
  });
  const page = context.pages()[0] || await context.newPage();
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The whole page as jni/build/app/screenshots/NAME.png (`fullPage` false: the first screen only). */
async function screenshot(page, name, fullPage = true) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** Runs `body(page, context)` in a fresh browser session sending `token` (or none), closed after. */
async function withSession(token, body) {
  const s = await browserSession(token);
  try {
    return await body(s.page, s.context);
  } finally {
    await s.close();
  }
}

/** Submits the form whose submit button is `button`; resolves to the POST's response, after the page loaded. */
async function submit(page, button) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click(button),
  ]);
  await page.waitForLoadState('load');
  return response;
}

module.exports = { fixtures, startHost, browserSession, screenshot, withSession, submit };
