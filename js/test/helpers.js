// Shared by the node tests: the corpus, the CLI, the repository's paths.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The non-comment lines of tests/corpus/NAME, split at tabs (as tests/common/mod.rs reads them). */
export function corpus(name) {
  const text = readFileSync(`${ROOT}tests/corpus/${name}`, 'utf8');
  return text
    .split('\n')
    .map((line, i) => ({ line: i + 1, text: line }))
    .filter(({ text }) => !text.startsWith('#') && text !== '')
    .map(({ line, text }) => ({ line, fields: text.split('\t') }));
}

/** The `hsq` binary the JavaScript answers are compared with (HSQ_BIN, or target/debug/hsq). */
export const HSQ = process.env.HSQ_BIN ?? `${ROOT}target/debug/hsq`;

/** Runs hsq with `args`; its status, stdout and stderr. Fails loudly when it is missing. */
export function hsq(args) {
  if (!existsSync(HSQ)) {
    throw new Error(`${HSQ} is missing: build it with 'cargo build --bin hsq' (or set HSQ_BIN)`);
  }
  const run = spawnSync(HSQ, args, { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A JavaScript diagnostic in the CLI's `--format json` shape (spans in bytes). */
export function asCli(d) {
  const cli = {
    severity: d.severity,
    code: d.code,
    message: d.message,
    span: d.bytes,
    line: d.line,
    column: d.column,
    hint: d.hint,
  };
  if (d.parameter !== undefined) cli.parameter = d.parameter;
  return cli;
}

/** The text a byte span covers in `text`. */
export function bytesOf(text, { start, end }) {
  return Buffer.from(text, 'utf8').subarray(start, end).toString('utf8');
}
