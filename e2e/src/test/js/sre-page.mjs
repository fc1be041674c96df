// Drives the SRE page in Debian's Chromium (headless) with playwright-core, as a person would: a non-SRE token first
// (the page must say 403 plainly), then an SRE token. Prints one JSON object with what the page shows; the Java test
// asserts on it. Usage: node sre-page.mjs input.json
// input: {url, sreToken, otherToken, screenshot, forbiddenScreenshot, userDataDir}
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const context = await chromium.launchPersistentContext(input.userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1440, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const out = { consoleErrors: [] };
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => {
    // the tenant's refused read is the one failed load the page is meant to see
    const expected = m.text().includes('status of 403') && m.location().url.includes('/Parma.Operations/overview');
    if (m.type() === 'error' && !expected) out.consoleErrors.push(m.text() + ' ' + m.location().url);
  });
  page.on('pageerror', (e) => out.consoleErrors.push(String(e)));
  page.setDefaultTimeout(20000);

  await page.goto(input.url + '/sre');
  out.pageUrl = page.url();
  await page.locator('#login').waitFor({ state: 'visible' });

  // a tenant's token: the page must refuse plainly
  await page.fill('#token', input.otherToken);
  await page.click('#login button[type=submit]');
  await page.locator('#message.error').waitFor({ state: 'visible' });
  out.forbiddenMessage = await page.textContent('#message');
  out.overviewHiddenForOther = await page.locator('#overview').isHidden();
  await page.screenshot({ path: input.forbiddenScreenshot });

  await page.fill('#token', input.sreToken);
  await page.click('#login button[type=submit]');
  await page.locator('#overview').waitFor({ state: 'visible' });
  out.messageHidden = await page.locator('#message').isHidden();

  const rows = (section) => page.$$eval(`#${section} tbody tr`, (trs) => trs.map(
    (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  out.nodes = await rows('nodes');
  out.groups = await page.$$eval('#groups .tile', (ts) => Object.fromEntries(
    ts.map((t) => [t.dataset.phase, { count: Number(t.dataset.count), text: t.textContent }])));
  out.denials = await rows('denials');
  out.attestationFailures = await rows('attestation-failures');
  out.overhead = await rows('overhead');
  out.overheadSummary = await page.textContent('#overhead-summary');

  await page.screenshot({ path: input.screenshot, fullPage: true });
} finally {
  await context.close();
}
process.stdout.write(JSON.stringify(out) + '\n');
