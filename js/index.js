// helpscout-query for JavaScript: the Rust library compiled to WebAssembly,
// wrapped in plain functions and objects. Each function does what one `hsq`
// command does (see README.md); how it is done lives in the Rust crate
// (wasm/src/jobs.rs), never here: this file only converts arguments and
// answers.
//
// Two WebAssembly modules, from the one Rust crate: the validation jobs
// (format, check, fix, explain, url), initialised once at import (top-level
// await), and the local filtering (`customers`, `loadCustomers`), loaded only
// when first used, so that a page that only validates never downloads it. In
// Node.js each is read from its file; in a browser, fetched beside this file.

import init, {
  initSync,
  format as wasmFormat,
  check as wasmCheck,
  fix as wasmFix,
  explain as wasmExplain,
  url as wasmUrl,
} from './pkg/helpscout_query_wasm.js';

/** Initialises a wasm-bindgen module from `file` (a URL beside this one). */
async function start(glue, file) {
  if (file.protocol === 'file:' && typeof process === 'object' && process.versions?.node) {
    const { readFile } = await import('node:fs/promises');
    glue.initSync({ module: await readFile(file) });
  } else {
    await glue.default({ module_or_path: file });
  }
  return glue;
}

await start({ default: init, initSync }, new URL('./pkg/helpscout_query_wasm_bg.wasm', import.meta.url));

let customersModule = null;

/** The customers module, loaded and initialised on first use, then kept. */
function filtering() {
  if (customersModule === null) {
    const loading = import('./pkg/helpscout_query_customers.js').then((glue) =>
      start(glue, new URL('./pkg/helpscout_query_customers_bg.wasm', import.meta.url)),
    );
    // A failed load (say, offline) is not kept: the next call tries again.
    loading.catch(() => {
      if (customersModule === loading) customersModule = null;
    });
    customersModule = loading;
  }
  return customersModule;
}

/** The schemas `check` knows. */
export const SCHEMAS = Object.freeze(['customers', 'conversations']);

/**
 * An invalid query, request or data. `diagnostics` holds the errors (then
 * any warnings); for a request, `body` is Help Scout's error body.
 */
export class HsqError extends Error {
  constructor(message, { diagnostics = [], body = null } = {}) {
    super(message);
    this.name = 'HsqError';
    this.diagnostics = diagnostics;
    this.body = body;
    this.code = diagnostics.find((d) => d.severity === 'error')?.code ?? null;
  }
}

function text(value, name) {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a string, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** Parses a JSON envelope from the crate; throws HsqError when it is not ok. */
function answer(json) {
  const reply = JSON.parse(json);
  if (reply.ok) return reply;
  const diagnostics = reply.diagnostics ?? [];
  const first = diagnostics.find((d) => d.severity === 'error');
  const message = first ? first.message : reply.message ?? 'invalid input';
  throw new HsqError(message, { diagnostics, body: reply.body ?? null });
}

/**
 * The canonical form of `query` (`hsq fmt`). Throws an HsqError carrying
 * the diagnostics when the query does not parse.
 */
export function format(query) {
  return answer(wasmFormat(text(query, 'query'))).canonical;
}

/**
 * Every error and warning of `query` against a schema (`hsq check`):
 * syntax, then fields and types, errors first. Never throws for any query;
 * only a TypeError for arguments of the wrong type or an unknown schema.
 */
export function check(query, { schema = 'customers' } = {}) {
  if (!SCHEMAS.includes(schema)) {
    throw new TypeError(`unknown schema '${schema}': expected ${SCHEMAS.join(' or ')}`);
  }
  return answer(wasmCheck(text(query, 'query'), schema)).diagnostics;
}

/**
 * `query` repaired by the lenient parser (`hsq fmt --fix`): the canonical
 * form of what is left (null when nothing searchable is), the repairs made
 * (one error each) and the warnings. Never throws for any query.
 */
export function fix(query) {
  const { query: fixed, repairs, warnings } = answer(wasmFix(text(query, 'query')));
  return { query: fixed, repairs, warnings };
}

/**
 * The syntax tree of `query`, exactly as `hsq explain --json` prints it
 * (spans in bytes). Throws an HsqError when the query does not parse.
 */
export function explain(query) {
  return answer(wasmExplain(text(query, 'query'), false)).tree;
}

/** The syntax tree of `query` as text, as `hsq explain` prints it. */
export function explainText(query) {
  return answer(wasmExplain(text(query, 'query'), true)).text;
}

/** `modifiedSince`'s format: whole seconds, UTC. */
function isoSeconds(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A List Customers query string from a string (as sent, `?` optional), a
 * URLSearchParams, or a plain object of parameters (`undefined` and `null`
 * are left out; a Date becomes a timestamp; an array repeats the parameter).
 */
export function toQueryString(params = '') {
  if (typeof params === 'string') return params;
  if (params instanceof URLSearchParams) return params.toString();
  if (typeof params !== 'object' || params === null) {
    throw new TypeError('params must be a query string, a URLSearchParams or an object');
  }
  const pairs = [];
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      const written = item instanceof Date ? isoSeconds(item) : String(item);
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(written)}`);
    }
  }
  return pairs.join('&');
}

/**
 * The canonical request URL for `params` (`hsq url`): every parameter once,
 * in Help Scout's order, the query canonical. `base` replaces
 * `https://api.helpscout.net`. Throws an HsqError (with `body`) for an
 * invalid request.
 */
export function url(params, { base } = {}) {
  if (base !== undefined && typeof base !== 'string') throw new TypeError('base must be a string');
  return answer(wasmUrl(toQueryString(params), base)).url;
}

function clock(now) {
  if (now === undefined) return Date.now();
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number') return now;
  if (typeof now === 'string') {
    const ms = Date.parse(now);
    if (Number.isNaN(ms)) throw new TypeError(`now: '${now}' is not a timestamp`);
    return ms;
  }
  throw new TypeError('now must be a Date, a timestamp string or milliseconds');
}

function records(data) {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return JSON.stringify(data);
  throw new TypeError('records must be an array of customer objects or JSON text');
}

/**
 * Help Scout's HAL+JSON page answering `GET /v2/customers?params` over
 * `records` (an array of customer objects, or JSON text: an array, a HAL
 * page or NDJSON), as `hsq customers --data` does. `now` (a Date, a
 * timestamp or milliseconds; default the current time) is the clock of
 * `NOW`. Asynchronous: the first call loads the customers module. Rejects
 * with an HsqError (with `body`) for an invalid request or data, with a
 * TypeError for arguments of the wrong type.
 */
export async function customers(params, data, { now } = {}) {
  const query = toQueryString(params);
  const text = records(data);
  const ms = clock(now);
  const wasm = await filtering();
  return answer(wasm.customers(query, text, ms)).page;
}

/**
 * Customer records loaded once, for answering many requests over the same
 * data (the playground does this on every keystroke). Asynchronous: the
 * first call loads the customers module; the loaded records then answer
 * synchronously. Rejects with an HsqError for invalid data.
 */
export async function loadCustomers(data) {
  const text = records(data);
  const wasm = await filtering();
  let dataset;
  try {
    dataset = new wasm.Dataset(text);
  } catch (error) {
    if (error instanceof TypeError) throw error;
    throw new HsqError(error.message ?? String(error));
  }
  return {
    /** How many records. */
    get length() {
      return dataset.length;
    },
    /** As `customers(params, data, { now })`, synchronously. */
    customers(params, { now } = {}) {
      return answer(dataset.answer(toQueryString(params), clock(now))).page;
    },
    /** Releases the WebAssembly memory now (else the garbage collector does). */
    free() {
      dataset.free();
    },
  };
}
