// Drives jfrps's dashboard in headless Chromium, then jfrpc's admin page:
//   node dashboard-check.mjs URL USER PASSWORD PROXY SCREENSHOT CLIENT_URL
// Prints one line of JSON per step to stdout; exits 0 when every step passed. The caller (a black-box case)
// sends traffic through PROXY while this waits for the chart to move.
import { chromium } from 'playwright-core';

const [url, user, password, proxy, screenshot, clientUrl] = process.argv.slice(2);
const executablePath = process.env.JFRP_CHROMIUM || '/usr/bin/chromium';
const say = (step, ok, detail) => console.log(JSON.stringify({ step, ok, detail }));

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
let failed = false;
try {
  // A wrong password is refused, and shows nothing of the server.
  const stranger = await browser.newContext({ httpCredentials: { username: user, password: password + 'x' } });
  const refused = await (await stranger.newPage()).goto(url);
  const body = refused ? await refused.text() : '';
  const wrongOk = refused && refused.status() === 401 && !body.includes(proxy);
  say('wrong password refused', wrongOk, refused ? refused.status() : 'no response');
  failed ||= !wrongOk;
  await stranger.close();

  const ctx = await browser.newContext({ httpCredentials: { username: user, password }, viewport: { width: 1200, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.locator('#proxies tbody td', { hasText: proxy }).first().waitFor({ timeout: 15000 });
  say('the page lists the live proxy', true, proxy);

  // The chart moves: a point with a rate above zero, while the caller sends traffic.
  await page.waitForFunction(() => Number(document.getElementById('chart').dataset.lastRate || 0) > 0
    && Number(document.getElementById('chart').dataset.points || 0) >= 2, null, { timeout: 30000 });
  const rate = await page.locator('#chart').getAttribute('data-last-rate');
  say('the chart moves with traffic', true, rate + ' B/s');
  const canvas = await page.locator('#chart canvas').count();
  say('the chart is drawn', canvas > 0, canvas + ' canvas');
  failed ||= canvas === 0;
  await page.screenshot({ path: screenshot, fullPage: true });
  say('screenshot', true, screenshot);
  if (clientUrl) {
    const admin = await (await browser.newContext()).newPage();
    admin.on('pageerror', (e) => errors.push(e.message));
    await admin.goto(clientUrl);
    await admin.locator('#proxies tbody td', { hasText: proxy }).first().waitFor({ timeout: 15000 });
    const summary = await admin.locator('#summary').textContent();
    const up = summary.startsWith('CONNECTED');
    say('the client page shows its state and proxy', up, summary);
    failed ||= !up;
    await admin.screenshot({ path: screenshot.replace(/\.png$/, '-client.png'), fullPage: true });
  }
  say('no script errors', errors.length === 0, errors.join('; '));
  failed ||= errors.length > 0;
} catch (e) {
  say('error', false, String(e && e.message || e));
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
