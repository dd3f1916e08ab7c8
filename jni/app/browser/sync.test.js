// The admin page's directory sync section in a real browser (headless Debian Chromium,
// playwright-core) against the Jetty test host, with a Keycloak-shaped IdP in this process
// (node:http on 127.0.0.1: the token endpoint and the admin API paths the Keycloak connector
// calls, as tests/connectors.rs and FilterLookupTest serve them). The tests run in order and
// share the host and the IdP: configure, preview, run, the brake, the schedule, the last runs.
// Preview and Run now run in the background: the POST answers 303 to /sync?started, which
// shows the run's progress and reloads itself (<meta http-equiv="refresh">) until the result.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { fixtures, startHost, screenshot, withSession, submit } = require('./host');

const ADMIN_PATH = '/plugins/servlet/albauth/admin';
const SECRET = 'kc-client-Secret-7f3a91d2';
const EVIL = '<img src=x onerror=window.__pwned=1>';
let fx;
let host;
let SYNC;
let idp;
let idpUrl;

/** The IdP's users (Keycloak representations) and what it saw. */
const state = {
  users: [],
  secretsSeen: [],
  listings: 0,
  /** How long the users listing takes to answer (ms): a slow IdP. */
  usersDelayMs: 0,
};
/** How long a Preview or Run may take to show its result: generous, for a loaded 2-core box. */
const RESULT_TIMEOUT = 30000;

function kcUser(id, email, first, last, enabled = true) {
  return { id, username: email, email, firstName: first, lastName: last, enabled };
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** first/max paging, as Keycloak's admin API does it. */
function page(items, url) {
  const first = Number(url.searchParams.get('first') || 0);
  const max = url.searchParams.has('max') ? Number(url.searchParams.get('max')) : items.length;
  return items.slice(first, first + max);
}

function startIdp() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (url.pathname === '/realms/corp/protocol/openid-connect/token' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        let secret = form.get('client_secret');
        const basic = /^Basic (.+)$/.exec(req.headers.authorization || '');
        if (basic) secret = decodeURIComponent(Buffer.from(basic[1], 'base64').toString().split(':').slice(1).join(':'));
        state.secretsSeen.push(secret);
        if (secret !== SECRET) return json(res, 401, { error: 'unauthorized_client' });
        return json(res, 200, { access_token: 'kc-token', expires_in: 300, token_type: 'Bearer' });
      }
      if (!url.pathname.startsWith('/admin/realms/corp/')) return json(res, 404, { error: 'not found' });
      if (req.headers.authorization !== 'Bearer kc-token') return json(res, 401, { error: 'HTTP 401 Unauthorized' });
      const rest = url.pathname.slice('/admin/realms/corp/'.length);
      if (rest === 'users') {
        state.listings++;
        const items = page(state.users, url);
        if (state.usersDelayMs > 0) return setTimeout(() => json(res, 200, items), state.usersDelayMs);
        return json(res, 200, items);
      }
      if (/^users\/[^/]+\/groups$/.test(rest) || rest === 'groups') return json(res, 200, []);
      if (/^groups\/[^/]+\/(members|children)$/.test(rest)) return json(res, 200, []);
      return json(res, 404, { error: 'not found' });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  fx = fixtures();
  idp = await startIdp();
  idpUrl = `http://127.0.0.1:${idp.address().port}`;
  host = await startHost(['--config', fx.configFile, '--admin', 'alice', '--user', 'bob']);
  SYNC = host.url + ADMIN_PATH + '/sync';
});

after(async () => {
  if (host) await host.stop();
  if (idp) await new Promise((done) => idp.close(done));
});

/** Runs `body` with a fresh browser of `user` (a key of fx.tokens, or null for no token). */
function as(user, body) {
  return withSession(user ? fx.tokens[user] : null, body);
}

/** The plan table of the run shown at the top: [action, username, changes, reason] per row. */
function planRows(page, id = 'result') {
  return page.$$eval(`#${id}-actions tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
}

async function count(page, action, id = 'result') {
  return Number(await page.textContent(`#${id}-summary tr[data-count="${action}"] td`));
}

/**
 * Waits until the page (reloading itself while the run is in progress) shows the run's result,
 * then checks that nothing is running any more.
 */
async function awaitResult(page) {
  await page.waitForSelector('#result-status', { timeout: RESULT_TIMEOUT });
  assert.equal(await page.locator('#sync-running').count(), 0, 'the run is over');
  assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'no more reloading');
}

/** Starts Preview or Run now (`button`); resolves to the POST's response once the page shows the result. */
async function startAndWait(page, button) {
  const response = await submit(page, button);
  assert.equal(response.status(), 303, 'answered at once: the run is in the background');
  assert.match(page.url(), /\/sync\?started$/);
  await awaitResult(page);
  return response;
}

/** Preview (a dry run); resolves to the POST's response once the page shows the plan. */
async function preview(page) {
  await page.goto(SYNC);
  return startAndWait(page, '#preview');
}

async function fillKeycloak(page, secret) {
  await page.selectOption('#ds_kind', 'keycloak');
  await page.fill('#ds_keycloak_base_url', idpUrl);
  await page.fill('#ds_keycloak_realm', 'corp');
  await page.fill('#ds_keycloak_client_id', 'albauth');
  await page.fill('#ds_keycloak_client_secret', secret);
  await page.fill('#ds_brake_percent', '10');
}

test('the connector settings are saved through the core; the secret is never in any page afterwards', async () => {
  await as('alice', async (page) => {
    const response = await page.goto(SYNC);
    assert.equal(response.status(), 200);
    assert.equal(await page.textContent('h1'), 'Directory sync');
    assert.equal(await page.isDisabled('#preview'), true, 'nothing to preview without a connector');
    assert.equal(await page.isVisible('#ds_keycloak_base_url'), false, 'only the chosen kind is shown');
    await fillKeycloak(page, SECRET);
    assert.equal(await page.isVisible('#ds_keycloak_base_url'), true);
    const saved = await submit(page, '#save-sync');
    assert.equal(saved.status(), 303);
    assert.match(await page.textContent('#sync-saved'), /Connector settings saved/);
    assert.equal(await page.inputValue('#ds_keycloak_base_url'), idpUrl);
    assert.equal(await page.inputValue('#ds_keycloak_client_secret'), '');
    assert.match(await page.textContent('#hint-ds_keycloak_client_secret'), /A value is stored; it is never shown/);
    await screenshot(page, 'sync-settings');
    for (const path of ['/sync', '/test', '/refusals', '']) {
      await page.goto(host.url + ADMIN_PATH + path);
      const html = await page.content();
      assert.ok(!html.includes(SECRET), `the secret is not in ${path || '/'}`);
    }
    // The full configuration (setup page) has the section without the secret; saving it back keeps it.
    const config = JSON.parse(await page.inputValue('#config_json'));
    assert.equal(config.directory_sync.connector.base_url, idpUrl);
    assert.equal(config.directory_sync.connector.client_secret, undefined);
    await page.click('#advanced summary');
    assert.equal((await submit(page, '#save-json')).status(), 303);
    assert.ok(!(await page.content()).includes(SECRET));
  });
});

test('a value the core refuses is shown next to its field with the field name, and nothing is stored', async () => {
  await as('alice', async (page) => {
    await page.goto(SYNC);
    await page.fill('#ds_keycloak_base_url', 'http://idp.example.com');
    await page.fill('#ds_keycloak_client_secret', 'typed-but-refused');
    const response = await submit(page, '#save-sync');
    assert.equal(response.status(), 400);
    assert.match(await page.textContent('#err-ds_keycloak_base_url'), /directory_sync\.connector\.base_url/);
    assert.equal(await page.getAttribute('#ds_keycloak_base_url', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ds_keycloak_base_url');
    assert.equal(await page.inputValue('#ds_keycloak_base_url'), 'http://idp.example.com', 'the typed value is kept');
    assert.ok(!(await page.content()).includes('typed-but-refused'), 'a typed secret is not sent back');
    await screenshot(page, 'sync-settings-error');
    await page.goto(SYNC);
    assert.equal(await page.inputValue('#ds_keycloak_base_url'), idpUrl, 'nothing was stored');
  });
});

test('Preview shows the dry-run plan as a table with counts, an IdP username as text, and applies nothing', async () => {
  state.users = [
    kcUser('kc-1', 'ann@example.com', 'Ann', 'Archer'),
    kcUser('kc-2', 'ben@example.com', 'Ben', 'Baker'),
    kcUser('kc-3', EVIL, 'Eve', '<b>Evil</b>'),
  ];
  state.secretsSeen = [];
  await as('alice', async (page) => {
    await preview(page);
    assert.equal(await page.textContent('h3#h-result'), 'Preview (dry run: nothing was applied)');
    assert.equal(await page.textContent('#result-status strong'), 'dry_run', await page.textContent('#result-status'));
    assert.deepEqual(state.secretsSeen.filter((s) => s !== SECRET), [], 'the stored secret reached the IdP');
    assert.equal(await count(page, 'create'), 3);
    assert.equal(await count(page, 'delete'), 0);
    const rows = await planRows(page);
    const creates = rows.filter((r) => r[0] === 'create_user').map((r) => r[1]).sort();
    assert.deepEqual(creates, ['<img src=x onerror=window.__pwned=1>', 'ann@example.com', 'ben@example.com'].sort());
    const evilRow = rows.find((r) => r[1] === EVIL);
    assert.match(evilRow[2], /display name: Eve <b>Evil<\/b>/, 'shown as text');
    assert.ok(rows.every((r) => r[3].length > 0), 'every action has a reason');
    assert.equal(await page.locator('#sync-result img').count(), 0, 'no element from the IdP');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await screenshot(page, 'sync-preview');
    // Nothing applied: a second preview plans the same.
    await preview(page);
    assert.equal(await count(page, 'create'), 3);
  });
});

test('Run now applies the plan and shows the result; a second Preview then plans nothing', async () => {
  state.users = state.users.filter((u) => u.id !== 'kc-3');
  await as('alice', async (page) => {
    await page.goto(SYNC);
    await startAndWait(page, '#run-now');
    assert.equal(await page.textContent('h3#h-result'), 'Run now');
    assert.equal(await page.textContent('#result-status strong'), 'applied', await page.textContent('#result-status'));
    assert.match(await page.textContent('#result-applied'), /^Applied: \d+ actions; failed: 0\./);
    assert.equal(await count(page, 'create'), 2);
    await screenshot(page, 'sync-run');
    await preview(page);
    assert.equal(await page.textContent('#result-status strong'), 'dry_run');
    assert.ok(await page.isVisible('#result-nothing'), await page.textContent('#sync-result'));
  });
});

test('the brake refuses a plan removing too many, says what to do, and is overridden only when confirmed', async () => {
  state.users = state.users.filter((u) => u.id !== 'kc-2'); // ben leaves: 1 of 2 synced users, 50% > 10%
  await as('alice', async (page) => {
    await page.goto(SYNC);
    await startAndWait(page, '#run-now');
    assert.equal(await page.textContent('#result-status strong'), 'refused');
    const refused = await page.textContent('#result-refused');
    assert.match(refused, /^refused: brake\./);
    assert.match(refused, /override the brake/);
    assert.match(refused, /raise/);
    assert.equal(await count(page, 'deactivate'), 1);
    assert.deepEqual((await planRows(page)).map((r) => [r[0], r[1]]), [['deactivate_user', 'ben@example.com']]);
    await screenshot(page, 'sync-brake');
    // Not confirmed: the browser does not send the form.
    let posted = false;
    page.on('request', (r) => { if (r.method() === 'POST') posted = true; });
    await page.click('#run-force');
    await page.waitForTimeout(300);
    assert.equal(posted, false, 'the confirmation is required');
    await page.check('#force_confirm');
    await startAndWait(page, '#run-force');
    assert.equal(await page.textContent('h3#h-result'), 'Run now, past the brake');
    assert.equal(await page.textContent('#result-status strong'), 'applied', await page.textContent('#result-status'));
    assert.equal(await count(page, 'deactivate'), 1);
    assert.match(await page.textContent('#result-applied'), /failed: 0\./);
    await preview(page);
    assert.ok(await page.isVisible('#result-nothing'), 'ben is inactive now: nothing more to do');
  });
});

test('overriding the brake is refused when the last run was not refused by it', async () => {
  await as('alice', async (page, context) => {
    await page.goto(SYNC);
    const xsrf = await page.inputValue('#sync-run input[name=xsrf]');
    const r = await context.request.post(SYNC, { form: { xsrf, action: 'force', confirm: 'yes' }, maxRedirects: 0 });
    assert.equal(r.status(), 409);
    assert.match(await r.text(), /only be overridden right after a run it refused/);
  });
});

test('the schedule round-trips, and a bad one is refused next to the field', async () => {
  await as('alice', async (page) => {
    await page.goto(SYNC);
    assert.match(await page.textContent('#schedule-current'), /Not scheduled/);
    await page.fill('#schedule', 'every 6h');
    assert.equal((await submit(page, '#save-schedule')).status(), 303);
    assert.match(await page.textContent('#schedule-saved'), /Schedule saved/);
    await page.goto(SYNC);
    assert.match(await page.textContent('#schedule-current'), /every 6h/);
    assert.equal(await page.inputValue('#schedule'), 'every 6h');
    await page.fill('#schedule', 'every 7 fortnights');
    const bad = await submit(page, '#save-schedule');
    assert.equal(bad.status(), 400);
    assert.match(await page.textContent('#err-schedule'), /schedule/);
    assert.equal(await page.getAttribute('#schedule', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#schedule'), 'every 7 fortnights', 'the typed value is kept');
    assert.match(await page.textContent('#schedule-current'), /every 6h/, 'the saved one stays');
    await screenshot(page, 'sync-schedule-error');
  });
});

test('the last runs are listed newest first, each with its report behind a toggle', async () => {
  await as('alice', async (page) => {
    await page.goto(SYNC);
    const rows = await page.$$eval('#sync-runs > tbody > tr', (trs) => trs.map((tr) => [
      tr.querySelector('.run-status').textContent, tr.querySelector('.run-message').textContent]));
    // preview, preview, run, preview, run (refused), force run, preview: newest first
    assert.deepEqual(rows.slice(0, 4).map((r) => r[0]), ['dry_run', 'applied', 'refused', 'dry_run']);
    assert.match(rows[2][1], /refused: brake/);
    assert.equal(await page.isVisible('#run-1-summary'), false, 'collapsed');
    await page.click('#run-1-report summary');
    assert.equal(await page.isVisible('#run-1-summary'), true);
    assert.equal(Number(await page.textContent('#run-1-summary tr[data-count="deactivate"] td')), 1);
    assert.match(await page.textContent('#run-1-applied'), /failed: 0/);
    assert.equal(await page.locator('#sync-runs img').count(), 0);
    await screenshot(page, 'sync-runs');
  });
});

test('with a slow IdP the page shows the run in progress, reloads itself, then shows the result', async () => {
  state.usersDelayMs = 3000;
  try {
    await as('alice', async (page, context) => {
      await page.goto(SYNC);
      const response = await submit(page, '#preview');
      assert.equal(response.status(), 303, 'the POST does not wait for the listing');
      // The listing takes 3 s: the page after the redirect shows the run in progress.
      await page.waitForSelector('#sync-running', { timeout: RESULT_TIMEOUT });
      assert.match(await page.textContent('#sync-running'),
        /^Preview running: (starting…|planning — listing the directory…)/);
      assert.equal(await page.isDisabled('#preview'), true, 'Preview waits for the run');
      assert.equal(await page.isDisabled('#run-now'), true, 'Run now waits for the run');
      assert.equal(await page.getAttribute('meta[http-equiv="refresh"]', 'content'), `2; url=${ADMIN_PATH}/sync?started`);
      assert.equal(await page.locator('#sync-result').count(), 0, 'no result yet');
      await screenshot(page, 'sync-running');
      // A second start meanwhile (another tab, a double click) is refused.
      const xsrf = await page.inputValue('#sync-run input[name=xsrf]');
      const again = await context.request.post(SYNC, { form: { xsrf, action: 'run' }, maxRedirects: 0 });
      assert.equal(again.status(), 409);
      assert.match(await again.text(), /a sync is already running on this node/);
      // Then the page, reloading itself, shows the result as a quick run does.
      await awaitResult(page);
      assert.equal(await page.textContent('#result-status strong'), 'dry_run', await page.textContent('#result-status'));
      assert.ok(await page.isVisible('#result-nothing'));
      assert.equal(await page.isDisabled('#preview'), false);
    });
  } finally {
    state.usersDelayMs = 0;
  }
});

test('an IdP user whose username the product\'s own directory holds is left alone and listed as such', async () => {
  // bob is a local user of the product's internal directory (TestHost --user bob); the Keycloak
  // connector's username is the e-mail field by default.
  const before = state.users;
  state.users = [...before, { id: 'kc-bob', username: 'bob', email: 'bob', firstName: 'Bob',
    lastName: 'Impostor', enabled: true }];
  try {
    await as('alice', async (page) => {
      await preview(page);
      assert.ok(await page.isVisible('#result-conflicts'), await page.textContent('#sync-result'));
      assert.match(await page.textContent('#result-conflicts'), /Left alone \(1 username\)/);
      assert.deepEqual(await page.locator('#result-conflicts li').allTextContents(), ['bob']);
      const rows = await planRows(page);
      assert.ok(rows.every((r) => r[1] !== 'bob'), 'nothing is planned for bob: ' + JSON.stringify(rows));
      await screenshot(page, 'sync-conflicts');
    });
  } finally {
    state.users = before;
  }
});

test('a sync post without the XSRF token is refused; a non-admin gets 403', async () => {
  await as('alice', async (page, context) => {
    await page.goto(SYNC);
    const r = await context.request.post(SYNC, { form: { action: 'run' }, maxRedirects: 0 });
    assert.equal(r.status(), 403);
    const s = await context.request.post(SYNC, { form: { action: 'schedule', schedule: 'every 1d', xsrf: 'x'.repeat(43) },
      maxRedirects: 0 });
    assert.equal(s.status(), 403);
    await page.goto(SYNC);
    assert.match(await page.textContent('#schedule-current'), /every 6h/);
  });
  await as('bob', async (page) => {
    const response = await page.goto(SYNC);
    assert.equal(response.status(), 403);
    assert.equal(await page.locator('form').count(), 0);
  });
});
