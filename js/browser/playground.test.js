// The playground in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core), served from a local static server that this
// test starts and stops. It types queries as a person would and checks what
// the page shows. Screenshots and timings go to js/test-output/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { explainText, loadCustomers } from '../index.js';
import { serve } from './server.js';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server;
let context;
let page;
let profile;
const problems = [];

before(async () => {
  for (const needed of [CHROMIUM, join(WEB, 'hsq/index.js'), join(WEB, 'customers.json')]) {
    assert.ok(existsSync(needed), `${needed} is missing: run .ci/wasm.sh setup and .ci/wasm.sh build`);
  }
  mkdirSync(OUTPUT, { recursive: true });
  server = await serve(WEB);
  profile = mkdtempSync(join(tmpdir(), 'hsq-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 1000 },
  });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Clears the query box and types `text`, key by key. */
async function type(text) {
  const box = page.locator('#query');
  await box.fill('');
  await box.pressSequentially(text);
}

/** The underline marks: their text, severity, codes and UTF-16 span. */
function marks() {
  return page.$$eval('#backdrop mark', (nodes) =>
    nodes.map((n) => ({
      text: n.textContent,
      severity: n.classList.contains('error') ? 'error' : 'warning',
      codes: n.dataset.codes,
      start: Number(n.dataset.start),
      end: Number(n.dataset.end),
    })),
  );
}

/** The diagnostics listed under the box. */
function listed() {
  return page.$$eval('#diagnostics li[data-code]', (nodes) =>
    nodes.map((n) => ({
      code: n.dataset.code,
      severity: n.className,
      hint: n.querySelector('.hint')?.textContent ?? null,
    })),
  );
}

/**
 * Where the mark of `code` is drawn, in characters from the start of the
 * line (the editor's font is monospace), next to where the text is: the
 * underline must land on the offending characters.
 */
async function markColumns(code) {
  return page.evaluate((code) => {
    const backdrop = document.getElementById('backdrop');
    const mark = [...backdrop.querySelectorAll('mark')].find((m) => m.dataset.codes.split(' ').includes(code));
    const style = getComputedStyle(backdrop);
    const origin = backdrop.getBoundingClientRect().left + parseFloat(style.paddingLeft);
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(100);
    probe.style.font = style.font;
    document.body.append(probe);
    const width = probe.getBoundingClientRect().width / 100;
    probe.remove();
    const box = mark.getBoundingClientRect();
    // The textarea's text starts where the backdrop's does.
    const area = document.getElementById('query').getBoundingClientRect();
    return {
      from: (box.left - origin) / width,
      to: (box.right - origin) / width,
      aligned: Math.abs(area.left - backdrop.getBoundingClientRect().left) < 0.5,
    };
  }, code);
}

const SAMPLE = await loadCustomers(readFileSync(join(WEB, 'customers.json'), 'utf8'));

/** The ids the page should list for `query` (first page, newest first). */
function expectedIds(query) {
  const page = SAMPLE.customers({ query, sortField: 'createdAt', sortOrder: 'desc' }, { now: new Date() });
  return page._embedded.customers.map((c) => String(c.id));
}

describe('the playground in Chromium', () => {
  test('a valid query: no underline, canonical form, URL, tree, matching customers', async () => {
    const query = '(firstName:"John" OR firstName:"Johnny") AND email:"gmail.com"';
    await type(query);
    assert.deepEqual(await marks(), []);
    assert.equal(await page.textContent('#verdict'), 'Valid');
    assert.equal(await page.textContent('#canonical'), '((firstName:"John" OR firstName:"Johnny") AND email:"gmail.com")');
    assert.equal(
      await page.textContent('#url'),
      'https://api.helpscout.net/v2/customers?sortField=createdAt&sortOrder=desc&query=' +
        '%28%28firstName%3A%22John%22%20OR%20firstName%3A%22Johnny%22%29%20AND%20email%3A%22gmail.com%22%29',
    );
    assert.equal(await page.textContent('#tree'), explainText(query));
    const ids = await page.$$eval('#matches tr', (rows) => rows.map((r) => r.dataset.id));
    const expected = expectedIds(query);
    assert.ok(expected.length > 0, 'the sample has Johns with Gmail');
    assert.deepEqual(ids, expected);
    assert.match(await page.textContent('#total'), new RegExp(`^${expected.length} match`));
    const names = await page.$$eval('#matches td.name', (cells) => cells.map((c) => c.textContent));
    assert.ok(names.every((n) => /^Johnn?y? /.test(n)), names.join(', '));
    await page.screenshot({ path: join(OUTPUT, 'valid.png'), fullPage: true });
  });

  test('an error: the underline is on the "=", with its hint; no canonical form', async () => {
    const query = 'firstName="John"';
    await type(query);
    assert.deepEqual(await marks(), [
      { text: '=', severity: 'error', codes: 'equals-for-colon', start: 9, end: 10 },
    ]);
    const columns = await markColumns('equals-for-colon');
    assert.ok(columns.aligned, 'the textarea and its backdrop start at the same place');
    assert.ok(Math.abs(columns.from - 9) < 0.1 && Math.abs(columns.to - 10) < 0.1, JSON.stringify(columns));
    assert.deepEqual(await listed(), [
      { code: 'equals-for-colon', severity: 'error', hint: "hint: write 'firstName:' instead of 'firstName='" },
    ]);
    assert.match(await page.textContent('#verdict'), /^Invalid: 1 error/);
    await page.click('#diagnostics li[data-code="equals-for-colon"]');
    const selected = await page.$eval('#query', (box) => [box.selectionStart, box.selectionEnd]);
    assert.deepEqual(selected, [9, 10], 'a click on the diagnostic selects the "="');
    assert.equal(await page.textContent('#canonical'), '');
    assert.match(await page.textContent('#url'), /'=' is not an operator/);
    assert.equal(await page.textContent('#total'), 'Fix the query to see the matches.');
    assert.equal(await page.locator('#matches tr').count(), 0);
    await page.screenshot({ path: join(OUTPUT, 'error.png'), fullPage: true });
  });

  test('a warning: the underline is on the gap read as AND, with its hint; still valid', async () => {
    const query = 'firstName:John lastName:Smith';
    await type(query);
    assert.deepEqual(await marks(), [
      { text: ' ', severity: 'warning', codes: 'implicit-operator', start: 14, end: 15 },
    ]);
    const columns = await markColumns('implicit-operator');
    assert.ok(Math.abs(columns.from - 14) < 0.1 && Math.abs(columns.to - 15) < 0.1, JSON.stringify(columns));
    assert.deepEqual(await listed(), [
      { code: 'implicit-operator', severity: 'warning', hint: 'hint: write AND (or the operator you meant) explicitly' },
    ]);
    assert.equal(await page.textContent('#verdict'), 'Valid with 1 warning');
    assert.equal(await page.textContent('#canonical'), '(firstName:John AND lastName:Smith)');
    assert.match(await page.textContent('#url'), /query=%28firstName%3AJohn%20AND%20lastName%3ASmith%29$/);
    const ids = await page.$$eval('#matches tr', (rows) => rows.map((r) => r.dataset.id));
    assert.deepEqual(ids, expectedIds(query));
    await page.screenshot({ path: join(OUTPUT, 'warning.png'), fullPage: true });
  });

  test('non-ASCII text before the error: the underline still covers the right characters', async () => {
    const query = 'firstName:"Zoë 😀" lastName=x';
    await type(query);
    const found = await marks();
    const error = found.find((m) => m.codes === 'equals-for-colon');
    assert.deepEqual(error, { text: '=', severity: 'error', codes: 'equals-for-colon', start: 27, end: 28 });
    assert.equal(query.slice(error.start, error.end), '=');
  });

  test('a missing clause at the end: a caret at the end of the text', async () => {
    await type('firstName:John AND');
    const found = await marks();
    assert.deepEqual(found, [{ text: '', severity: 'error', codes: 'expected-clause', start: 18, end: 18 }]);
  });

  test('the conversations schema accepts its fields', async () => {
    await page.selectOption('#schema', 'conversations');
    await type('tag:urgent AND mailbox:85');
    assert.deepEqual(await marks(), []);
    assert.equal(await page.textContent('#canonical'), '(tag:urgent AND mailbox:85)');
    await page.selectOption('#schema', 'customers');
    assert.deepEqual(
      (await marks()).map((m) => m.text),
      ['tag', 'mailbox'],
      'unknown customers fields are underlined',
    );
  });

  test('timing: check and redraw of a 1 KB query (reported, not asserted)', async () => {
    const clause = '(firstName:"John" OR lastName:"Smith") AND email:"gmail.com" ';
    let query = '';
    while (query.length < 1000) query += (query ? 'AND ' : '') + clause;
    query += 'lastName:Zoë';
    await page.selectOption('#schema', 'customers');
    // Typed for real once (the last keystrokes are 1 KB queries) ...
    await type(query.slice(0, 900));
    await page.locator('#query').pressSequentially(query.slice(900));
    // ... then measured: set the whole text, fire input, wait for the next frame.
    const runs = await page.evaluate(async (query) => {
      const box = document.getElementById('query');
      const frames = [];
      for (let i = 0; i < 30; i++) {
        const text = i % 2 ? query : `${query} `;
        const start = performance.now();
        box.value = text;
        box.dispatchEvent(new Event('input'));
        await new Promise((done) => requestAnimationFrame(() => done()));
        frames.push(performance.now() - start);
      }
      return { frames, timings: window.hsqTimings.slice(-30) };
    }, query);
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const bytes = Buffer.byteLength(query);
    const report = {
      bytes,
      diagnostics: (await marks()).length,
      check_and_redraw_ms_median: median(runs.timings.map((t) => t.check)),
      all_panels_ms_median: median(runs.timings.map((t) => t.total)),
      to_next_frame_ms_median: median(runs.frames),
      check_and_redraw_ms_max: Math.max(...runs.timings.map((t) => t.check)),
    };
    writeFileSync(join(OUTPUT, 'timing.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`# playground timing: ${JSON.stringify(report)}`);
    assert.ok(bytes >= 1024 && bytes <= 1200, `${bytes} bytes`);
    assert.ok(report.diagnostics > 0, 'the 1 KB query has its warnings underlined');
  });

  test('the screenshot for the README', async () => {
    await page.selectOption('#schema', 'customers');
    await type('firstName:Johnny email:"gmail.com" OR lastName:Smith');
    assert.equal(await page.textContent('#verdict'), 'Valid with 2 warnings');
    await page.screenshot({ path: join(OUTPUT, 'playground.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no page errors');
  });
});

describe('the two modules in Chromium', () => {
  test('a page that only validates never downloads the customers module', async () => {
    const other = await context.newPage();
    const fetched = [];
    other.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    try {
      // Any page of the server's origin; the package is imported by hand.
      await other.goto(`${server.url}customers.json`);
      const canonical = await other.evaluate(async () => {
        const hsq = await import('/hsq/index.js');
        return hsq.format('firstName:John   AND lastName:Smith');
      });
      assert.equal(canonical, '(firstName:John AND lastName:Smith)');
      assert.ok(fetched.includes('/hsq/pkg/helpscout_query_wasm_bg.wasm'), fetched.join(', '));
      assert.ok(!fetched.some((path) => path.includes('helpscout_query_customers')), fetched.join(', '));
      // The first `customers` call loads it, once.
      const totals = await other.evaluate(async () => {
        const hsq = await import('/hsq/index.js');
        const records = [{ id: 1, firstName: 'John' }, { id: 2, firstName: 'Jane' }];
        const [a, b] = await Promise.all([
          hsq.customers('query=firstName:John', records),
          hsq.loadCustomers(records).then((loaded) => loaded.customers('query=firstName:J*')),
        ]);
        return [a.page.totalElements, b.page.totalElements];
      });
      assert.deepEqual(totals, [1, 2]);
      const loads = fetched.filter((path) => path === '/hsq/pkg/helpscout_query_customers_bg.wasm');
      assert.equal(loads.length, 1, fetched.join(', '));
    } finally {
      await other.close();
    }
  });
});
