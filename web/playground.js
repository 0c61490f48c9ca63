// The playground: every keystroke checks the query, underlines its
// diagnostics in place, and redraws the canonical form, the URL, the tree
// and the sample customers that match. No framework; the library does the
// work (./hsq/index.js, copied here by `.ci/wasm.sh build`).

import { HsqError, check, explainText, format, loadCustomers, url } from './hsq/index.js';

const $ = (id) => document.getElementById(id);
const query = $('query');
const backdrop = $('backdrop');
const schema = $('schema');
const sortField = $('sort-field');
const sortOrder = $('sort-order');

/** The most diagnostics listed and underlined (a hostile query can have thousands). */
const MAX_SHOWN = 100;
/** The most sample rows drawn (one Help Scout page). */
const PAGE = 50;

// The sample panel loads the second module (the customers .wasm) here.
const sample = await loadCustomers(await (await fetch('./customers.json')).text());
$('sample-size').textContent = `${sample.length} records, data/customers.json`;

/** Timings of the last updates, in ms, for the browser test and the curious. */
window.hsqTimings = [];

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

/**
 * The query text with each diagnostic's span wrapped in a <mark>: segments
 * between span boundaries, each marked with the diagnostics covering it
 * (errors win the colour). An empty span is a zero-width caret mark.
 */
function drawUnderlines(text, diagnostics) {
  const cuts = new Set([0, text.length]);
  for (const d of diagnostics) {
    cuts.add(Math.min(d.span.start, text.length));
    cuts.add(Math.min(d.span.end, text.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const nodes = [];
  const empty = (at) =>
    diagnostics.filter((d) => d.span.start === d.span.end && Math.min(d.span.start, text.length) === at);
  for (let i = 0; i < points.length; i++) {
    const at = points[i];
    const carets = empty(at);
    if (carets.length) nodes.push(mark('', carets, at, at));
    if (i + 1 === points.length) break;
    const next = points[i + 1];
    const piece = text.slice(at, next);
    const covering = diagnostics.filter((d) => d.span.start <= at && next <= d.span.end && d.span.start < d.span.end);
    nodes.push(covering.length ? mark(piece, covering, at, next) : document.createTextNode(piece));
  }
  // A trailing newline needs a character after it to take up its line.
  nodes.push(document.createTextNode('\n'));
  backdrop.replaceChildren(...nodes);
  backdrop.scrollTop = query.scrollTop;
}

function mark(piece, covering, start, end) {
  const severity = covering.some((d) => d.severity === 'error') ? 'error' : 'warning';
  const node = element('mark', { className: piece ? severity : `${severity} caret` }, piece);
  node.dataset.start = start;
  node.dataset.end = end;
  node.dataset.codes = covering.map((d) => d.code).join(' ');
  return node;
}

function drawDiagnostics(diagnostics) {
  const items = diagnostics.slice(0, MAX_SHOWN).map((d) => {
    const item = element(
      'li',
      { className: d.severity },
      element('span', { className: 'severity' }, d.severity),
      element('code', { className: 'code' }, d.code),
      element('span', { className: 'where' }, `${d.line}:${d.column}`),
      element('span', { className: 'message' }, d.message),
    );
    if (d.hint) item.append(element('div', { className: 'hint' }, `hint: ${d.hint}`));
    item.dataset.code = d.code;
    item.dataset.start = d.span.start;
    item.dataset.end = d.span.end;
    return item;
  });
  if (diagnostics.length > MAX_SHOWN) {
    items.push(element('li', { className: 'more' }, `… and ${diagnostics.length - MAX_SHOWN} more`));
  }
  $('diagnostics').replaceChildren(...items);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const verdict = $('verdict');
  verdict.className = errors ? 'invalid' : 'valid';
  verdict.textContent = query.value.trim() === ''
    ? 'Type a query.'
    : errors
      ? `Invalid: ${errors} error${errors > 1 ? 's' : ''}${warnings ? `, ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}`
      : `Valid${warnings ? ` with ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}`;
}

/** A function's answer, or the message it threw. */
function attempt(run) {
  try {
    return { value: run() };
  } catch (error) {
    if (!(error instanceof HsqError)) throw error;
    return { error: error.message };
  }
}

function show(id, { value, error }, fallback = '') {
  const node = $(id);
  node.classList.toggle('failed', Boolean(error));
  node.textContent = error ? `— ${error}` : value ?? fallback;
}

function params(text) {
  const p = { sortField: sortField.value, sortOrder: sortOrder.value };
  if (text.trim() !== '') p.query = text;
  return p;
}

function drawSample(text, diagnostics) {
  const body = $('matches');
  if (diagnostics.some((d) => d.severity === 'error')) {
    $('total').textContent = 'Fix the query to see the matches.';
    body.replaceChildren();
    return;
  }
  const answer = attempt(() => sample.customers(params(text)));
  if (answer.error) {
    $('total').textContent = answer.error;
    body.replaceChildren();
    return;
  }
  const page = answer.value;
  const total = page.page.totalElements;
  const shown = page._embedded.customers.slice(0, PAGE);
  $('total').textContent =
    `${total} match${total === 1 ? '' : 'es'}` + (total > shown.length ? `; the first ${shown.length} shown` : '');
  body.replaceChildren(
    ...shown.map((c) => {
      const emails = (c._embedded?.emails ?? []).map((e) => e.value).join(', ');
      const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
      const row = element(
        'tr',
        {},
        element('td', {}, String(c.id ?? '')),
        element('td', { className: 'name' }, name),
        element('td', {}, emails),
        element('td', {}, (c.createdAt ?? '').slice(0, 10)),
      );
      row.dataset.id = c.id;
      return row;
    }),
  );
}

function update() {
  const started = performance.now();
  const text = query.value;
  const diagnostics = text.trim() === '' ? [] : check(text, { schema: schema.value });
  drawUnderlines(text, diagnostics.slice(0, MAX_SHOWN));
  drawDiagnostics(diagnostics);
  void backdrop.offsetHeight; // lay out now, so the time includes the redraw
  const checked = performance.now();
  const valid = text.trim() !== '' && !diagnostics.some((d) => d.severity === 'error');
  show('canonical', valid ? attempt(() => format(text)) : { value: '' });
  show('url', attempt(() => url(params(text))));
  show('tree', valid ? attempt(() => explainText(text)) : { value: '' });
  drawSample(text, diagnostics);
  void document.body.offsetHeight;
  const finished = performance.now();
  const timing = { bytes: new TextEncoder().encode(text).length, check: checked - started, total: finished - started };
  window.hsqTimings.push(timing);
  $('timing').textContent = `checked and drawn in ${timing.check.toFixed(1)} ms; all panels ${timing.total.toFixed(1)} ms`;
}

query.addEventListener('input', update);
// A click on a listed diagnostic selects what it is about.
$('diagnostics').addEventListener('click', (event) => {
  const item = event.target.closest('li[data-code]');
  if (!item) return;
  query.focus();
  query.setSelectionRange(Number(item.dataset.start), Number(item.dataset.end));
});
query.addEventListener('scroll', () => {
  backdrop.scrollTop = query.scrollTop;
});
for (const select of [schema, sortField, sortOrder]) select.addEventListener('change', update);
for (const button of document.querySelectorAll('[data-example]')) {
  button.addEventListener('click', () => {
    query.value = button.dataset.example;
    update();
    query.focus();
  });
}

const initial = new URLSearchParams(location.search).get('q');
query.value = initial ?? '(firstName:"John" OR firstName:"Johnny") AND email:"gmail.com"';
update();
document.body.dataset.ready = 'true';
