// Spans of non-ASCII queries: `span` counts UTF-16 code units, as
// JavaScript strings do, so `query.slice(span.start, span.end)` is the
// offending text; `bytes` counts UTF-8 bytes, as the CLI does.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { check, fix, format } from '../index.js';
import { asCli, bytesOf, hsq } from './helpers.js';

// query, code, the text its span covers, line, column (characters, as the CLI).
const CASES = [
  ['firstName:"Zoë" lastName=Ünal', 'equals-for-colon', '=', 1, 25],
  ['firstName:"😀😀" lastName=x', 'equals-for-colon', '=', 1, 24],
  ['firstName:"Zoë" firstName:Ünal', 'implicit-operator', ' ', 1, 16],
  ['firstName:"😀" AND', 'expected-clause', '', 1, 18],
  ['名前:x', 'invalid-field-name', '名前', 1, 1],
  ['firstName:"J😀*"', 'wildcard-in-phrase', '*', 1, 14],
  ['lastName:"Ünal"\nAND fistName:x', 'unknown-field', 'fistName', 2, 5],
  ['lastName:"Ünal"\nAND fïrstName:x', 'invalid-field-name', 'fïrstName', 2, 5],
  ['(firstName:"Zoë" OR lastName:"中文"', 'unclosed-paren', '(', 1, 1],
  ['email:"ü@x.com" and 😀', 'lowercase-operator', 'and', 1, 17],
];

for (const [query, code, covered, line, column] of CASES) {
  test(`${code} in ${JSON.stringify(query)}`, () => {
    const diagnostics = check(query);
    const found = diagnostics.find((d) => d.code === code);
    assert.ok(found, `no ${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
    assert.equal(query.slice(found.span.start, found.span.end), covered, 'UTF-16 span');
    assert.equal(bytesOf(query, found.bytes), covered, 'byte span');
    assert.deepEqual([found.line, found.column], [line, column]);
    for (const d of diagnostics) {
      assert.equal(query.slice(d.span.start, d.span.end), bytesOf(query, d.bytes), d.code);
    }
    const cli = JSON.parse(hsq(['--format', 'json', 'check', '--', query]).stderr);
    assert.deepEqual(diagnostics.map(asCli), cli, 'as hsq check reports it');
  });
}

test('a UTF-16 span differs from the byte span after non-ASCII text', () => {
  const query = 'firstName:"😀" lastName=x';
  const [error] = check(query);
  assert.deepEqual(error.span, { start: 23, end: 24 });
  assert.deepEqual(error.bytes, { start: 25, end: 26 });
});

test('repairs and warnings of fix carry UTF-16 spans too', () => {
  const query = '(firstName:"Zoë" AND';
  const fixed = fix(query);
  assert.equal(fixed.query, '(firstName:"Zoë")');
  const codes = fixed.repairs.map((d) => [d.code, query.slice(d.span.start, d.span.end)]);
  assert.deepEqual(codes, [
    ['expected-clause', ''],
    ['unclosed-paren', '('],
  ]);
  assert.equal(fixed.repairs[0].span.start, query.length);
});

test('non-ASCII values keep their characters in the canonical form', () => {
  assert.equal(format('firstName:Zoë lastName:"中文 😀"'), '(firstName:Zoë AND lastName:"中文 😀")');
});
