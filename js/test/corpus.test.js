// tests/corpus through the JavaScript package: every canonical line formats
// to its canonical form, every invalid line fails at its offset, and every
// line checks exactly as `hsq --format json check` reports it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { HsqError, check, format, fix } from '../index.js';
import { asCli, bytesOf, corpus, hsq } from './helpers.js';

const canonical = corpus('canonical.tsv');
const invalid = corpus('invalid.tsv');

/** What `hsq --format json ARGS... -- QUERY` writes on stderr, parsed. */
function cliDiagnostics(args, query) {
  const run = hsq(['--format', 'json', ...args, '--', query]);
  return { status: run.status, diagnostics: JSON.parse(run.stderr), stdout: run.stdout };
}

describe('canonical.tsv', () => {
  test('has its cases', () => assert.ok(canonical.length >= 40, `${canonical.length} cases`));

  for (const { line, fields } of canonical) {
    const [input, expected] = fields;
    test(`line ${line}: ${input}`, () => {
      assert.equal(fields.length, 2, `canonical.tsv:${line}: expected INPUT<TAB>CANONICAL`);
      assert.equal(format(input), expected, 'canonical form');
      assert.equal(format(expected), expected, 'the canonical form is canonical');
      const cli = cliDiagnostics(['fmt'], input);
      assert.equal(cli.stdout, `${expected}\n`, 'hsq fmt agrees');
      assert.equal(fix(input).query, expected, 'nothing to repair');
      for (const schema of ['customers', 'conversations']) {
        const diagnostics = check(input, { schema });
        const cliCheck = cliDiagnostics(['check', '--schema', schema], input);
        assert.deepEqual(diagnostics.map(asCli), cliCheck.diagnostics, `check --schema ${schema}`);
        assert.equal(
          cliCheck.status === 0,
          diagnostics.every((d) => d.severity !== 'error'),
          `valid for ${schema} exactly when hsq check passes`,
        );
      }
    });
  }
});

describe('invalid.tsv', () => {
  test('has its cases', () => assert.ok(invalid.length >= 12, `${invalid.length} cases`));

  for (const { line, fields } of invalid) {
    const [input, offset, about] = fields;
    test(`line ${line}: ${JSON.stringify(input)} (${about})`, () => {
      assert.equal(fields.length, 3, `invalid.tsv:${line}: expected INPUT<TAB>OFFSET<TAB>ABOUT`);
      const error = captured(() => format(input));
      assert.ok(error instanceof HsqError, `${error}`);
      const primary = error.diagnostics[0];
      assert.equal(primary.severity, 'error');
      assert.equal(primary.bytes.start, Number(offset), 'primary error offset (bytes)');
      assert.equal(error.code, primary.code);
      assert.equal(error.message, primary.message);
      const cli = cliDiagnostics(['fmt'], input);
      assert.equal(cli.status, 1);
      assert.deepEqual(error.diagnostics.map(asCli), cli.diagnostics, 'hsq fmt reports the same');
      for (const schema of ['customers', 'conversations']) {
        const diagnostics = check(input, { schema });
        assert.equal(diagnostics[0].bytes.start, Number(offset), `check --schema ${schema}`);
        const cliCheck = cliDiagnostics(['check', '--schema', schema], input);
        assert.deepEqual(diagnostics.map(asCli), cliCheck.diagnostics, `check --schema ${schema}`);
      }
    });
  }
});

describe('spans in both units agree on every corpus line', () => {
  for (const { fields } of [...canonical, ...invalid]) {
    const input = fields[0];
    test(JSON.stringify(input), () => {
      for (const d of check(input, { schema: 'conversations' })) {
        assert.equal(input.slice(d.span.start, d.span.end), bytesOf(input, d.bytes), d.code);
      }
    });
  }
});

/** The error `run` throws. */
function captured(run) {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}
