// The admin page in a real browser (headless Debian Chromium, playwright-core) against the Jetty
// test host: one behaviour per test. alice is a system admin, bob and carol are not; alice's and
// bob's tokens are signed with the key the starting configuration pins, carol's with a second
// key that only a later save pins.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { fixtures, startHost, screenshot, withSession, submit } = require('./host');

const ADMIN_PATH = '/plugins/servlet/albauth/admin';
let fx;
let host;
let ADMIN;

before(async () => {
  fx = fixtures();
  host = await startHost(['--config', fx.configFile, '--admin', 'alice', '--user', 'bob', '--user', 'carol']);
  ADMIN = host.url + ADMIN_PATH;
});

after(async () => {
  if (host) await host.stop();
});

/** Runs `body` with a fresh browser of `user` (a key of fx.tokens, or null for no token). */
function as(user, body) {
  return withSession(user ? fx.tokens[user] : null, body);
}

async function storedConfig(page) {
  await page.goto(ADMIN);
  return JSON.parse(await page.inputValue('#config_json'));
}

test('choosing a template fills the token header, the username claim and the issuer pattern, with hints', async () => {
  await as('alice', async (page) => {
    const response = await page.goto(ADMIN);
    assert.equal(response.status(), 200);
    await screenshot(page, 'setup');
    await screenshot(page, 'setup-first-screen', false); // docs/images/admin-setup.png is a copy
    const templates = JSON.parse(await page.textContent('#albauth-templates'));
    const azure = templates.find((t) => t.name === 'azure');
    const okta = templates.find((t) => t.name === 'okta');
    assert.deepEqual(templates.map((t) => t.name), ['cognito', 'azure', 'okta', 'google', 'keycloak', 'other']);
    await page.fill('#issuer', '');
    await page.selectOption('#template', 'azure');
    assert.equal(await page.inputValue('#token_header'), 'x-amzn-oidc-accesstoken');
    assert.equal(await page.inputValue('#username_claim'), 'upn');
    assert.equal(await page.inputValue('#issuer'), azure.issuer_pattern);
    assert.ok((await page.textContent('#hint-template')).includes(azure.hint));
    assert.ok((await page.textContent('#hint-issuer')).includes(azure.issuer_pattern));
    await page.selectOption('#template', 'okta');
    assert.equal(await page.inputValue('#token_header'), 'x-amzn-oidc-data');
    assert.equal(await page.inputValue('#username_claim'), okta.username_claim);
    assert.equal(await page.inputValue('#issuer'), okta.issuer_pattern);
  });
});

test('choosing a template keeps an issuer the admin typed', async () => {
  await as('alice', async (page) => {
    await page.goto(ADMIN);
    await page.fill('#issuer', 'https://idp.example.com/mine');
    await page.selectOption('#template', 'google');
    assert.equal(await page.inputValue('#issuer'), 'https://idp.example.com/mine');
  });
});

test('an invalid ARN is flagged as it is typed and refused on save next to the field, storing nothing', async () => {
  await as('alice', async (page) => {
    const before = await storedConfig(page);
    const arns = page.locator('#trusted_albs');
    await arns.click();
    await arns.press('Control+End');
    await arns.pressSequentially('\narn:aws:elasticloadbalancing:us-east-1:12345:loadbalancer/app/x/abc');
    assert.equal(await page.textContent('#err-trusted_albs'), 'Line 2: account is not 12 digits');
    assert.equal(await arns.getAttribute('aria-invalid'), 'true');
    const response = await submit(page, '#save');
    assert.equal(response.status(), 400);
    const error = await page.textContent('#err-trusted_albs');
    assert.match(error, /^Line 2: .*trusted_albs\[1\].*account is not 12 digits/);
    assert.equal(await page.getAttribute('#trusted_albs', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'trusted_albs');
    assert.ok((await page.inputValue('#trusted_albs')).includes(':12345:'), 'the typed value is kept');
    await screenshot(page, 'setup-error');
    assert.deepEqual(await storedConfig(page), before);
  });
});

test('an unknown field in the full configuration is refused next to the textarea, storing nothing', async () => {
  await as('alice', async (page) => {
    const before = await storedConfig(page);
    await page.click('#advanced summary');
    const typed = JSON.stringify({ ...before, trusted_alb: before.trusted_albs }, null, 2);
    await page.fill('#config_json', typed);
    const response = await submit(page, '#save-json');
    assert.equal(response.status(), 400);
    assert.match(await page.textContent('#err-config_json'), /unknown field `trusted_alb`, did you mean `trusted_albs`\?/);
    assert.equal(await page.getAttribute('#config_json', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#config_json'), typed);
    assert.ok(await page.locator('#advanced').evaluate((d) => d.open), 'the section is open');
    await screenshot(page, 'setup-json-error');
    assert.deepEqual(await storedConfig(page), before);
  });
});

test('a valid save applies to the next request without a restart', async () => {
  await as('carol', async (carol) => {
    const refused = await carol.goto(host.url + '/secure/Dashboard.jspa');
    assert.notEqual(refused.status(), 200, 'carol\'s key is not trusted yet');
    assert.ok(!(await carol.content()).includes('user=carol'));
    await as('alice', async (page) => {
      await page.goto(ADMIN);
      await page.click('#advanced summary');
      await page.fill('#config_json', JSON.stringify(fx.configWithKey2, null, 2));
      const response = await submit(page, '#save-json');
      assert.equal(response.status(), 303);
      assert.match(await page.textContent('#saved'), /^Saved\./);
      await screenshot(page, 'setup-saved');
    });
    const admitted = await carol.goto(host.url + '/secure/Dashboard.jspa');
    assert.equal(admitted.status(), 200);
    assert.match(await admitted.text(), /^user=carol$/m);
  });
});

test('the test-login page shows every check of the admin\'s own request, the identity and no token', async () => {
  await as('alice', async (page) => {
    const response = await page.goto(ADMIN + '/test');
    assert.equal(response.status(), 200);
    assert.match(await page.textContent('#outcome'), /authenticated/);
    const rows = await page.$$eval('#trace tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    const result = (check) => (rows.find((r) => r[1] === check) || [])[0];
    for (const check of ['token_present', 'signer', 'signature', 'exp', 'iss', 'client', 'username']) {
      assert.equal(result(check), 'pass', `${check} in ${JSON.stringify(rows)}`);
    }
    assert.match(await page.textContent('#identity'), /Username\s*alice \(the account you are signed in as\)/);
    assert.match(await page.textContent('#identity'), /IdP groups\s*1/);
    const html = await page.content();
    for (const part of fx.tokens.alice.split('.')) {
      assert.ok(!html.includes(part), 'no part of the token is on the page');
    }
    assert.ok(!html.includes('alice@example.com'), 'no claim value but the username');
    await screenshot(page, 'test-login');
  });
});

test('the refusals page lists a refused request with its code and the verifier\'s counters', async () => {
  await as('alice', async (page, context) => {
    const refused = await context.request.get(host.url + '/secure/Dashboard.jspa?secret=1',
      { headers: { 'x-amzn-oidc-data': 'not.a.token' } });
    assert.notEqual(refused.status(), 200);
    const response = await page.goto(ADMIN + '/refusals');
    assert.equal(response.status(), 200);
    const first = await page.$$eval('#refusals tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    assert.equal(first[2], 'malformed_token');
    assert.equal(first[3], '/secure/Dashboard.jspa');
    assert.ok(first[4].length > 0, 'a support reference');
    assert.ok(Number(await page.textContent('#counter-rejected td')) >= 1);
    assert.ok(Number(await page.textContent('#counter-authenticated td')) >= 1);
    await screenshot(page, 'refusals');
  });
});

test('a user who is not a system admin gets 403', async () => {
  await as('bob', async (page) => {
    const response = await page.goto(ADMIN);
    assert.equal(response.status(), 403);
    assert.match(await page.textContent('main'), /Only system administrators/);
    assert.equal(await page.locator('form').count(), 0);
    await screenshot(page, 'forbidden');
  });
});

test('a form post without the XSRF token, or with a wrong one, is refused and changes nothing', async () => {
  await as('alice', async (page, context) => {
    const before = await storedConfig(page);
    const version = await page.inputValue('#json-form input[name=version]');
    const form = { form: 'json', version, config_json: JSON.stringify({ ...before, issuer: 'https://evil.example' }) };
    const without = await context.request.post(ADMIN, { form, maxRedirects: 0 });
    assert.equal(without.status(), 403);
    const wrong = await context.request.post(ADMIN, { form: { ...form, xsrf: 'x'.repeat(43) }, maxRedirects: 0 });
    assert.equal(wrong.status(), 403);
    assert.deepEqual(await storedConfig(page), before);
  });
});

test('without a WebSudo session the admin confirms the password first, then gets the page', async () => {
  const sudoHost = await startHost(['--config', fx.configFile, '--admin', 'alice', '--no-websudo']);
  try {
    await as('alice', async (page) => {
      await page.goto(sudoHost.url + ADMIN_PATH + '/refusals');
      assert.equal(new URL(page.url()).pathname, '/authenticate.jsp');
      await page.fill('input[name=password]', 'admin');
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith(ADMIN_PATH)), page.click('button')]);
      assert.equal(new URL(page.url()).pathname, ADMIN_PATH + '/refusals');
      assert.equal(await page.textContent('h1'), 'Recent refusals');
    });
  } finally {
    await sudoHost.stop();
  }
});

test('with the keyboard alone: tab to the template picker (focus visible) and on to save', async () => {
  await as('alice', async (page) => {
    await page.goto(ADMIN);
    const active = () => page.evaluate(() => document.activeElement && document.activeElement.id);
    let presses = 0;
    while ((await active()) !== 'template' && presses < 10) {
      await page.keyboard.press('Tab');
      presses++;
    }
    assert.equal(await active(), 'template', 'reached after the skip link and the navigation');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focus is visible');
    while ((await active()) !== 'save' && presses < 80) {
      await page.keyboard.press('Tab');
      presses++;
    }
    assert.equal(await active(), 'save');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    await page.waitForLoadState('load');
    assert.equal(response.status(), 303);
    assert.match(await page.textContent('#saved'), /^Saved\./);
  });
});
