// customers() and url() agree with `hsq customers` and `hsq url` on the
// semantic cases of tests/customers.rs (same records, same clock), on the
// built-in sample, and on invalid requests (Help Scout's error body).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { HsqError, customers, loadCustomers, toQueryString, url } from '../index.js';
import { ROOT, asCli, hsq } from './helpers.js';

const FIXTURE = fileURL('./fixtures/customers.json');
const FIXTURE_TEXT = readFileSync(FIXTURE, 'utf8');
const SAMPLE_TEXT = readFileSync(`${ROOT}data/customers.json`, 'utf8');
// The clock of tests/customers.rs.
const NOW = '2024-06-15T12:00:00Z';

function fileURL(relative) {
  return new URL(relative, import.meta.url).pathname;
}

const QUERIES = [
  'firstName:"John"',
  '(firstName:"John" OR firstName:"Johnny")',
  'firstName:Jo*',
  'firstName:ZOË',
  'lastName:APPLESEED',
  'firstName:"mary ann"',
  'firstName:"ann mary"',
  "lastName:o'brien",
  'email:"appleseed.com"',
  'email:"john@appleseed.com"',
  'email:("john@appleseed.com" OR "mary@example.com")',
  'emailDomain:gmail.com',
  'john@appleseed.com',
  'appleseed',
  'modifiedAt:[2013-11-20T00:00:00Z TO *]',
  'modifiedSince:"2013-11-20T00:00:00Z"',
  'modifiedAt:{2013-11-20T00:00:00Z TO *]',
  'modifiedAt:2000-11',
  'modifiedAt:[2000-11 TO 2000-11]',
  'modifiedAt:[2000 TO 2000-12-01]',
  'modifiedAt:{2000-11 TO *]',
  'createdAt:2014',
  'modifiedAt:[NOW-1HOUR TO *]',
  'modifiedAt:[NOW-1HOUR/DAY TO NOW]',
  'modifiedAt:[NOW-10MINUTES TO *]',
  'NOT firstName:John',
  'NOT email:appleseed.com',
  'createdAt:[* TO *]',
  'NOT createdAt:[* TO *]',
  'firstName:John lastName:Appleseed',
  'firstName:John OR NOT lastName:Zimmer',
];

const PARAMS = [
  '',
  'modifiedSince=2013-11-20T00:00:00Z',
  'mailbox=85',
  'mailbox=999',
  'sortOrder=asc',
  'sortField=lastName&sortOrder=asc',
  'sortField=lastName&sortOrder=desc',
  'sortField=firstName&sortOrder=asc',
  'sortField=modifiedAt',
  'sortField=score&query=firstName:john OR email:appleseed.com OR lastName:appleseed',
  'firstName=john',
  'firstName=mary+ann&lastName=O%27Brien',
  'lastName=appleseed&query=email:gmail.com',
  'page=2',
  ...QUERIES.map((q) => toQueryString({ query: q, sortField: 'createdAt' })),
];

const INVALID = [
  'page=0',
  'page=0&query=fistName:John',
  'query=firstName="John"',
  'sortField=name&sortOrder=up',
  'modifiedSince=2013-11-20',
  'mailbx=85',
  'query=(firstName:John',
];

/** What `hsq customers --data FILE --now NOW -- PARAMS` prints, parsed. */
function cli(params, data = FIXTURE) {
  const args = ['--format', 'json', 'customers', '--now', NOW];
  if (data) args.push('--data', data);
  const run = hsq([...args, '--', params]);
  return { status: run.status, body: JSON.parse(run.stdout), diagnostics: JSON.parse(run.stderr || '[]') };
}

describe('customers() answers as hsq customers', () => {
  for (const params of PARAMS) {
    test(params || '(no parameters)', async () => {
      const expected = cli(params);
      assert.equal(expected.status, 0, JSON.stringify(expected.body));
      assert.deepEqual(await customers(params, FIXTURE_TEXT, { now: NOW }), expected.body);
    });
  }

  test('records as an array of objects answer as their JSON text', async () => {
    const records = JSON.parse(FIXTURE_TEXT);
    for (const params of PARAMS) {
      assert.deepEqual(
        await customers(params, records, { now: new Date(NOW) }),
        await customers(params, FIXTURE_TEXT, { now: Date.parse(NOW) }),
        params,
      );
    }
  });

  test('the built-in sample, loaded once', async () => {
    const sample = await loadCustomers(SAMPLE_TEXT);
    assert.equal(sample.length, 500);
    for (const params of [
      'query=(firstName:"John" OR firstName:"Johnny") AND email:"gmail.com"&sortField=lastName&sortOrder=asc',
      'query=firstName:J*&page=2&sortField=firstName',
      'query=modifiedAt:[NOW-1YEAR TO *]&sortField=modifiedAt',
    ]) {
      const expected = cli(params, null);
      assert.equal(expected.status, 0);
      assert.deepEqual(sample.customers(params, { now: NOW }), expected.body, params);
    }
    sample.free();
  });

  test('NOW defaults to the current time', async () => {
    const page = await customers('query=createdAt:[* TO NOW]', FIXTURE_TEXT);
    assert.equal(page.page.totalElements, 4);
  });
});

describe('invalid requests throw with the CLI error body and diagnostics', () => {
  for (const params of INVALID) {
    test(params, async () => {
      const expected = cli(params);
      assert.equal(expected.status, 1);
      const error = await rejected(customers(params, FIXTURE_TEXT, { now: NOW }));
      assert.ok(error instanceof HsqError, String(error));
      assert.deepEqual(error.body, expected.body, 'the error body');
      assert.deepEqual(error.diagnostics.map(asCli), expected.diagnostics, 'the diagnostics');
      const urlError = thrown(() => url(params));
      assert.deepEqual(urlError.body, expected.body, 'url() rejects it the same way');
    });
  }

  test('mailbox over records without mailboxIds', async () => {
    const records = [{ id: 1, firstName: 'John' }];
    const error = await rejected(customers('mailbox=85', records, { now: NOW }));
    assert.equal(error.body._embedded.errors[0].path, 'mailbox');
  });

  test('bad data names the record', async () => {
    const error = await rejected(customers('', '[{"id": "x"}]', { now: NOW }));
    assert.ok(error instanceof HsqError);
    assert.match(error.message, /`id`/);
    await assert.rejects(loadCustomers('nonsense'), HsqError);
  });

  test('bad arguments are TypeErrors (rejected)', async () => {
    await assert.rejects(customers('', 42), TypeError);
    await assert.rejects(customers('', [], { now: 'yesterday' }), TypeError);
    await assert.rejects(customers(42, []), TypeError);
    await assert.rejects(loadCustomers(42), TypeError);
  });
});

describe('url() answers as hsq url', () => {
  const cases = [
    ['query=firstName:John lastName:Smith&page=2', undefined],
    ['sortOrder=asc&query=email:"a@x.com"&sortField=firstName&mailbox=85', undefined],
    ['query=lastName:x&page=3', 'http://localhost:8080'],
    ['', undefined],
    ['query=firstName:"Zoë 😀"+OR+lastName:%C3%9Cnal', undefined],
  ];
  for (const [params, base] of cases) {
    test(`${params} ${base ?? ''}`, () => {
      const args = ['url', ...(base ? ['--base', base] : []), '--', params];
      const run = hsq(args);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(url(params, { base }), run.stdout.trimEnd());
    });
  }

  test('params as an object or URLSearchParams', () => {
    const expected = url('page=2&query=firstName%3A%22John%22&modifiedSince=2024-01-02T03:04:05Z');
    const since = new Date('2024-01-02T03:04:05.678Z');
    assert.equal(url({ page: 2, query: 'firstName:"John"', modifiedSince: since }), expected);
    assert.equal(url(new URLSearchParams({ page: '2', query: 'firstName:"John"', modifiedSince: '2024-01-02T03:04:05Z' })), expected);
    assert.equal(url({ query: 'a+b', firstName: undefined }), url('query=a%2Bb'));
  });
});

/** The error `promise` rejects with. */
async function rejected(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('did not reject');
}

function thrown(run) {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}
