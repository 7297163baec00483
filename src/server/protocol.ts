/**
 * HTTP protocol hygiene around the GraphQL endpoint (issue 8, items 11–14): body size, CORS, error
 * details, introspection and the authentication check. Each is a small function so app.ts only wires them.
 */
import express from 'express';
import type { Plugin } from 'graphql-yoga';
import { DocumentNode, getOperationAST, Kind, SelectionNode } from 'graphql';
import { unauthenticated } from '../shared/errors';
import type { RequestContext } from './context';

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

/**
 * Reads a non-upload body into a Buffer of at most `limit` bytes (body-parser's raw reader, which counts the
 * bytes actually received, so a chunked body without Content-Length cannot slip past), and answers 413
 * beyond it. Yoga then parses the Buffer as it would the stream. Uploads (multipart) keep their own limit.
 */
export function jsonBodyLimit(limit: number): express.RequestHandler[] {
  const read = express.raw({ type: (req) => !String(req.headers['content-type'] ?? '').startsWith('multipart/'), limit });
  const answerTooLarge: express.ErrorRequestHandler = (err, _req, res, next) => {
    if (err?.type === 'entity.too.large') return void res.status(413).json(tooLarge(limit));
    // Malformed encodings and aborted bodies: say so without echoing the parser's details.
    if (typeof err?.status === 'number' && err.status < 500) {
      return void res.status(err.status).json({ errors: [{ message: 'Malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
    }
    next(err);
  };
  return [read, answerTooLarge as unknown as express.RequestHandler];
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
    const errors = (result.errors as readonly any[]).map((e) => {
      const json = typeof e.toJSON === 'function' ? e.toJSON() : { ...e };
      if (json.extensions) {
        const { originalError: _dropped, stack: _stack, http: _http, ...rest } = json.extensions;
        json.extensions = rest;
      }
      return json;
    });
    setResult({ ...result, errors } as any);
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
      const op = getOperationAST(args.document as DocumentNode, args.operationName ?? undefined);
      const allowed = policy === 'public' && !!op && onlyIntrospection(op.selectionSet.selections);
      if (!allowed) setResultAndStopExecution({ errors: [unauthenticated()] });
    },
  };
}
