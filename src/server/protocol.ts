/**
 * HTTP protocol hygiene around the GraphQL endpoint (issue 8, items 11–14): body size, CORS, error
 * details, introspection and the authentication check. Each is a small function so app.ts only wires them.
 */
import type http from 'node:http';
import express from 'express';
import type { Plugin } from 'graphql-yoga';
import { DocumentNode, getOperationAST, GraphQLError, Kind, OperationDefinitionNode, SelectionNode, visit } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { forbiddenCharacterIn } from '../shared/text';
import { unauthenticated } from '../shared/errors';
import type { RequestContext } from '../shared/context';

/** Who may read the schema through introspection. */
export type IntrospectionPolicy = 'public' | 'authenticated';

export interface ProtocolConfig {
  /** Largest JSON (non-upload) request body, in bytes; larger ones get 413. */
  jsonBodyMaxBytes: number;
  /** Origins allowed to call the API from a browser with CORS; none by default (GraphiQL is same-origin). */
  corsOrigins: string[];
  introspection: IntrospectionPolicy;
}

export const DEFAULT_PROTOCOL: ProtocolConfig = {
  jsonBodyMaxBytes: 1024 * 1024,
  corsOrigins: [],
  introspection: 'public',
};

/** Reads the protocol settings from the environment (see README, Configuration). */
export function protocolFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ProtocolConfig> {
  const out: Partial<ProtocolConfig> = {};
  if (env.JSON_BODY_LIMIT) out.jsonBodyMaxBytes = Number(env.JSON_BODY_LIMIT);
  if (env.CORS_ORIGINS) out.corsOrigins = env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  // A production deployment hides the schema from anonymous callers unless told otherwise.
  const intro = env.INTROSPECTION ?? (env.NODE_ENV === 'production' ? 'authenticated' : 'public');
  if (intro !== 'public' && intro !== 'authenticated') throw new Error(`INTROSPECTION must be public or authenticated, got ${intro}`);
  out.introspection = intro;
  return out;
}

const tooLarge = (limit: number) => ({
  errors: [{ message: `Request body too large: at most ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
});

/** A node:http handler step: `next` continues, or the step has answered. */
export type NodeStep = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

/** Answers with a JSON body (the /graphql path has no express response helpers). */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Reads a non-upload body into a Buffer of at most `limit` bytes (body-parser's raw reader, which counts the
 * bytes actually received, so a chunked body without Content-Length cannot slip past), and answers 413
 * beyond it. Yoga then parses the Buffer as it would the stream. Uploads (multipart) keep their own limit.
 * A node:http step, run before yoga on /graphql (app.ts).
 */
export function jsonBodyLimit(limit: number): NodeStep {
  const read = express.raw({ type: (req) => !String(req.headers['content-type'] ?? '').startsWith('multipart/'), limit }) as unknown as (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    next: (err?: any) => void,
  ) => void;
  return (req, res, next) =>
    read(req, res, (err) => {
      if (!err) return next();
      if (err?.type === 'entity.too.large') return sendJson(res, 413, tooLarge(limit));
      // Malformed encodings and aborted bodies: say so without echoing the parser's details.
      if (typeof err?.status === 'number' && err.status < 500) {
        return sendJson(res, err.status, { errors: [{ message: 'Malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
      }
      sendJson(res, 500, { errors: [{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
}

/** Yoga's own request-body limit (25 MB by default), kept for uploads only: see limitUploadBody. */
export const UPLOAD_BODY_LIMIT = 25_000_000;

const uploadTooLarge = () =>
  new GraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });

/**
 * Yoga's request-body limit, applied to multipart (upload) requests only; app.ts turns yoga's own off
 * (`maxRequestBodySize: false`). Every other body was already read whole, within JSON_BODY_LIMIT, by
 * jsonBodyLimit before yoga saw it, and yoga's limit piped that Buffer through a TransformStream and a node
 * stream pipeline again on every request (an AbortController and a DOMException each: about 5% of the CPU of
 * `{ me { name } }`, issue 16). Same rules as yoga's: a Content-Length that is not one integer is a 400, one
 * beyond the limit a 413, and a body without one is counted as it streams.
 */
export function limitUploadBody(limit: number = UPLOAD_BODY_LIMIT): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!String(request.headers.get('content-type') ?? '').startsWith('multipart/')) return;
      const length = request.headers.get('content-length');
      if (length != null) {
        if (!/^\d+$/.test(length)) {
          throw new GraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
        }
        if (Number(length) > limit) throw uploadTooLarge();
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => {
        if (!req.body) return parse(req);
        let read = 0;
        // As yoga does: a native ReadableStream takes the native TransformStream (graphql-yoga issue 4583).
        const Transform = req.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        const limited = req.body.pipeThrough(
          new Transform({
            transform(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>) {
              read += chunk.byteLength;
              if (read > limit) return controller.error(uploadTooLarge());
              controller.enqueue(chunk);
            },
          }),
        );
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, signal: req.signal, body: limited, duplex: 'half' } as RequestInit));
      });
    },
  };
}

/**
 * CORS answers only configured origins: any other Origin gets no CORS headers at all, so a browser page on
 * another site cannot read responses (credentials or not). Same-origin GraphiQL needs no CORS.
 */
export function corsFor(origins: readonly string[]) {
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !origins.includes(origin)) return false as const;
    return { origin: [origin], credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type'] };
  };
}

/**
 * Errors carry a message and a code, never the parser's or the database's internals: yoga attaches
 * `originalError` (with the raw body text) to malformed-JSON errors even when not in development.
 */
export const stripErrorDetails: Plugin = {
  onResultProcess({ result, setResult }) {
    if (!result || Array.isArray(result) || typeof result !== 'object' || !('errors' in result) || !result.errors) return;
    const errors = result.errors as readonly GraphQLError[];
    if (!errors.some((e) => e.extensions?.originalError || e.extensions?.stack)) return;
    // Rebuilt as GraphQLErrors (keeping path and the http status yoga answers with), minus the internals.
    const cleaned = errors.map((e) => {
      const { originalError: _dropped, stack: _stack, ...extensions } = (e.extensions ?? {}) as Record<string, unknown>;
      const http = extensions.http as { status?: number } | undefined;
      // A request yoga could not parse keeps its status (400), whatever the client accepts.
      if (http?.status) extensions.http = { status: http.status };
      return new GraphQLError(e.message, { path: e.path, extensions });
    });
    setResult({ ...result, errors: cleaned } as any);
  },
};

/**
 * Variables are coerced by graphql-js before compiled execution (app.ts, graphql-jit) runs: jit's own coercion
 * answers a custom scalar's refusal with "Expected type Date." and drops the scalar's message ("…not a real
 * calendar date") and code. graphql-js's errors, as without jit, are answered instead; jit then coerces the
 * (valid) inputs again, which costs little next to the request.
 */
export const coerceVariables: Plugin = {
  onExecute({ args, setResultAndStopExecution }) {
    const op = operationOf(args.document as DocumentNode, args.operationName);
    if (!op?.variableDefinitions?.length) return;
    const coerced = getVariableValues(args.schema, op.variableDefinitions, (args.variableValues ?? {}) as Record<string, unknown>, { maxErrors: 50 });
    if (coerced.errors) setResultAndStopExecution({ errors: coerced.errors });
  },
};

/** True when every field the operation selects at its root is an introspection field (__schema, __type…). */
function onlyIntrospection(selections: readonly SelectionNode[]): boolean {
  return selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}

/**
 * Rejects an anonymous operation unless it selects only introspection and the policy lets anonymous callers
 * introspect. The operation checked is the one that runs (operationName picks it among several), not the
 * document's first.
 */
export function requireAuthentication(policy: IntrospectionPolicy): Plugin<RequestContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as RequestContext;
      if (ctx.actor) return;
      const op = operationOf(args.document as DocumentNode, args.operationName);
      const allowed = policy === 'public' && !!op && onlyIntrospection(op.selectionSet.selections);
      if (!allowed) setResultAndStopExecution({ errors: [unauthenticated()] });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Text hygiene at the edge (item 10)

/** Longest string a read may carry (filters, codes, cursors): a 50 000-character LIKE pattern is no filter. */
export const MAX_QUERY_STRING = 500;

/** Characters that break storage itself (PostgreSQL refuses NUL; a lone surrogate is not UTF-8). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsOf(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringsOf(v, out));
  return out;
}

/**
 * The operation that runs and the strings written in it, kept per parsed document (issue 16): yoga caches
 * the parsed document per query text, so a repeated query reuses the same DocumentNode and the three
 * plugins here no longer look the operation up, nor walk the document for its strings, on every request.
 */
interface OperationFacts {
  op: OperationDefinitionNode | null;
  literals?: string[];
}
const factsByDocument = new WeakMap<DocumentNode, Map<string | null, OperationFacts>>();

function factsOf(document: DocumentNode, operationName: string | null | undefined): OperationFacts {
  let byName = factsByDocument.get(document);
  if (!byName) factsByDocument.set(document, (byName = new Map()));
  const name = operationName ?? null;
  let facts = byName.get(name);
  if (!facts) byName.set(name, (facts = { op: getOperationAST(document, name) ?? null }));
  return facts;
}

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | null {
  return factsOf(document, operationName).op;
}

function literalStringsOf(op: OperationDefinitionNode, document: DocumentNode): string[] {
  const out: string[] = [];
  const collect = { StringValue: (node: { value: string }) => void out.push(node.value) };
  visit(op, collect);
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) visit(d, collect);
  return out;
}

const textError = (code: 'INVALID_TEXT' | 'TOO_LONG', message: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Every string of a request, in variables or written in the query: reads (filters, codes) refuse control,
 * bidi and zero-width characters and strings over MAX_QUERY_STRING; writes refuse what cannot be stored
 * (NUL, lone surrogates) here, and the rest in their payload, field by field (validation.ts, text()).
 */
export const refuseUnsafeText: Plugin = {
  onExecute({ args, setResultAndStopExecution }) {
    const facts = factsOf(args.document as DocumentNode, args.operationName);
    const op = facts.op;
    if (!op) return;
    const strings = [...stringsOf(args.variableValues), ...(facts.literals ??= literalStringsOf(op, args.document as DocumentNode))];
    const isRead = op.operation === 'query';
    for (const s of strings) {
      if (isRead && s.length > MAX_QUERY_STRING) {
        return setResultAndStopExecution({ errors: [textError('TOO_LONG', `A text argument is longer than ${MAX_QUERY_STRING} characters`)] });
      }
      const bad = isRead ? forbiddenCharacterIn(s) : UNSTORABLE.test(s) ? 'NUL or a lone surrogate' : null;
      if (bad) return setResultAndStopExecution({ errors: [textError('INVALID_TEXT', `A text argument contains a forbidden character (${bad})`)] });
    }
  },
};

/**
 * Yoga's logger, minus the request: an internal error is logged by its name and the first line of its
 * message, cut short, so a failing SQL statement never writes the whole statement (and the user's
 * 50 000-character pattern) into the log.
 */
export const shortLogger = {
  debug: () => undefined,
  info: (...args: unknown[]) => console.info(...args.map(brief)),
  warn: (...args: unknown[]) => console.warn(...args.map(brief)),
  error: (...args: unknown[]) => console.error(...args.map(brief)),
};

function brief(value: unknown): unknown {
  const text = value instanceof Error ? `${value.name}: ${value.message}` : typeof value === 'string' ? value : null;
  if (text === null) return value && typeof value === 'object' ? '[object]' : value;
  const firstLine = text.split('\n')[0];
  return firstLine.length > 200 ? `${firstLine.slice(0, 200)}… (${text.length} characters)` : firstLine;
}
