// Compiled (never run) by types.test.js: the declarations describe the API.
import {
  HsqError,
  SCHEMAS,
  check,
  customers,
  explain,
  explainText,
  fix,
  format,
  loadCustomers,
  toQueryString,
  url,
  type CustomersPage,
  type Diagnostic,
} from '../index.js';

const canonical: string = format('firstName:John');
const diagnostics: Diagnostic[] = check('firstName:John', { schema: 'conversations' });
const first = diagnostics[0];
const covered: string = 'firstName:John'.slice(first.span.start, first.span.end);
const bytes: number = first.bytes.end - first.bytes.start;
const hint: string | null = first.hint;
const fixed: string | null = fix('(a').query;
const kind: string = explain('a').root.kind.type;
const text: string = explainText('a');
const link: string = url({ query: 'firstName:John', page: 2, modifiedSince: new Date() }, { base: 'http://x' });
const qs: string = toQueryString(new URLSearchParams({ query: 'a' }));
const page: CustomersPage = await customers('query=firstName:John', [{ id: 1, firstName: 'John' }], { now: new Date() });
const total: number = page.page.totalElements + page._embedded.customers.length;
const loaded = await loadCustomers('[]');
const again: CustomersPage = loaded.customers({ sortField: 'score', sortOrder: 'asc' }, { now: 0 });
loaded.free();
const schemas: readonly string[] = SCHEMAS;
try {
  format('a=b');
} catch (error) {
  if (error instanceof HsqError) {
    const code: string | null = error.code;
    const where: number = error.diagnostics[0].span.start;
    const body = error.body?._embedded.errors[0].path;
    console.log(code, where, body);
  }
}
console.log(canonical, covered, bytes, hint, fixed, kind, text, link, qs, total, again, schemas);
