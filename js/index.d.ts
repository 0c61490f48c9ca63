// Type declarations of helpscout-query for JavaScript (index.js).

/** A range of offsets; `end` is exclusive. */
export interface Range {
  start: number;
  end: number;
}

/** An error or a warning about a query or a request parameter. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** The stable code, e.g. `equals-for-colon` (the table is in grammar.md). */
  code: string;
  message: string;
  /** What to do about it. */
  hint: string | null;
  /** In UTF-16 code units, as JavaScript strings count: `text.slice(span.start, span.end)`. */
  span: Range;
  /** In bytes of UTF-8, as the CLI (`hsq --format json`) reports. */
  bytes: Range;
  /** 1-based line of the start. */
  line: number;
  /** 1-based column of the start, in characters (code points), as the CLI's. */
  column: number;
  /** For a request: the parameter whose decoded value the span points into. */
  parameter?: string;
}

/** Help Scout's error body (`application/vnd.error+json`) for an invalid request. */
export interface ErrorBody {
  logRef: string;
  message: string;
  _embedded: {
    errors: Array<{ path: string; message: string; rejectedValue: string | null; source: string }>;
  };
}

/** An invalid query, request or data. */
export class HsqError extends Error {
  name: 'HsqError';
  /** The errors, then any warnings. Empty for invalid data. */
  diagnostics: Diagnostic[];
  /** For an invalid request: Help Scout's error body. */
  body: ErrorBody | null;
  /** The code of the first error, or null. */
  code: string | null;
}

/** The schemas `check` knows. */
export const SCHEMAS: readonly ['customers', 'conversations'];

/** The canonical form (`hsq fmt`). Throws an HsqError for an invalid query. */
export function format(query: string): string;

/** Every error and warning against a schema (`hsq check`), errors first. Never throws for any query. */
export function check(query: string, options?: { schema?: 'customers' | 'conversations' }): Diagnostic[];

/** The query repaired by the lenient parser (`hsq fmt --fix`). Never throws for any query. */
export function fix(query: string): {
  /** The canonical form of what is left, or null when nothing searchable is. */
  query: string | null;
  /** The repairs made, one error each. */
  repairs: Diagnostic[];
  warnings: Diagnostic[];
};

/** A node of the syntax tree, as `hsq explain --json` prints it (spans in bytes). */
export interface Expr {
  kind: { type: string; [key: string]: unknown };
  span: Range;
}

/** The syntax tree (`hsq explain --json`). Throws an HsqError for an invalid query. */
export function explain(query: string): { root: Expr; [key: string]: unknown };

/** The syntax tree as text (`hsq explain`). Throws an HsqError for an invalid query. */
export function explainText(query: string): string;

/** List Customers parameters (SPEC §6); any other name is rejected as unknown. */
export interface CustomerParams {
  page?: number | string;
  mailbox?: number | string;
  firstName?: string;
  lastName?: string;
  /** `yyyy-MM-ddTHH:mm:ssZ`; a Date is written so, milliseconds dropped. */
  modifiedSince?: string | Date;
  sortField?: 'createdAt' | 'score' | 'firstName' | 'lastName' | 'modifiedAt';
  sortOrder?: 'asc' | 'desc';
  query?: string;
  [name: string]: unknown;
}

/** A query string (as sent, `?` optional), URLSearchParams, or an object of parameters. */
export type Params = string | URLSearchParams | CustomerParams;

/** The query string for `params`. */
export function toQueryString(params?: Params): string;

/** The canonical request URL (`hsq url`). Throws an HsqError (with `body`) for an invalid request. */
export function url(params: Params, options?: { base?: string }): string;

/** One customer record, kept verbatim in the answer. */
export interface Customer {
  id?: number;
  firstName?: string;
  lastName?: string;
  createdAt?: string;
  updatedAt?: string;
  /** Local extension: the mailboxes `mailbox=N` filters on. */
  mailboxIds?: number[];
  _embedded?: { emails?: Array<{ value: string; [key: string]: unknown }>; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Link {
  href: string;
  templated?: true;
}

/** Help Scout's HAL+JSON page of customers. */
export interface CustomersPage {
  _embedded: { customers: Customer[] };
  page: { size: number; totalElements: number; totalPages: number; number: number };
  _links: {
    self: Link;
    first?: Link;
    last?: Link;
    next?: Link;
    previous?: Link;
    page: Link;
  };
}

/** The clock of `NOW`: a Date, a timestamp string, or milliseconds since 1970. */
export type Now = Date | string | number;

/**
 * The HAL page answering `GET /v2/customers?params` over `records` (objects,
 * or JSON text: an array, a HAL page or NDJSON), as `hsq customers --data`.
 * Asynchronous: the first call loads the customers module (a second
 * .wasm). Rejects with an HsqError (with `body`) for an invalid request or
 * data.
 */
export function customers(
  params: Params,
  records: Customer[] | string,
  options?: { now?: Now },
): Promise<CustomersPage>;

/** Records loaded once, answering many requests synchronously. */
export interface LoadedCustomers {
  readonly length: number;
  customers(params: Params, options?: { now?: Now }): CustomersPage;
  free(): void;
}

/**
 * Loads records once. Asynchronous: the first call loads the customers
 * module (a second .wasm). Rejects with an HsqError for invalid data.
 */
export function loadCustomers(records: Customer[] | string): Promise<LoadedCustomers>;
