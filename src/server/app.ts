import http from 'node:http';
import express from 'express';
import { createYoga } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useGraphQlJit } from '@envelop/graphql-jit';
import type { Db } from '../db/connection';
import { Clock, systemClock } from '../shared/clock';
import { createTokenCache, TokenCache, TokenCacheOptions } from '../modules/auth/auth.service';
import type { AppConfig } from '../shared/context';
import { buildRequestContext } from './context';
import { buildSchema } from './schema';
import { DemoTokens } from './graphiqlExample';
import { graphiqlPage, graphiqlOptions } from './graphiql';
import { exportRoutes } from './exports';
import { documentDownload } from '../modules/documents/documents.http';
import { revitalisationOverviewDownload } from '../modules/revitalisation/revitalisation.http';
import { noticePage } from '../modules/reports/reports.notices';
import { reportExportRoutes } from '../modules/reports/reports.export';
import { registerioRoutes } from '../modules/registerio/registerio.http';
import { coerceVariables, corsFor, DEFAULT_PROTOCOL, jsonBodyLimit, limitUploadBody, ProtocolConfig, refuseUnsafeText, requireAuthentication, sendJson, shortLogger, stripErrorDetails } from './protocol';

export interface AppOptions {
  db: Db;
  clock?: Clock;
  config?: Partial<AppConfig>;
  /** Token put in GraphiQL's headers (the demo seed's county-finance token), so the demo works at once. */
  graphiqlToken?: string;
  /** The demo tokens of each user group, one GraphiQL tab each (demo only). */
  graphiqlTokens?: DemoTokens;
  /** Body limit, CORS origins, introspection policy (defaults: 1 MB, none, public). */
  protocol?: Partial<ProtocolConfig>;
  /**
   * Token → actor cache of /graphql (README, Configuration): entries live `ttlMs` (default
   * DEFAULT_TOKEN_CACHE_MS; 0 turns the cache off), so a token revoked in the database stops working within it.
   */
  tokenCache?: Partial<TokenCacheOptions>;
}

/** A revoked token stops working within this long (TOKEN_CACHE_SECONDS overrides it, README). */
export const DEFAULT_TOKEN_CACHE_MS = 5_000;

/**
 * The server's request handler: POST/GET /graphql go straight to yoga on node:http (no express router,
 * request or response objects in their path — issue 16, G1/G2); every other route is the express app's.
 * `listen` is a convenience for main.ts and tests (`http.createServer(app).listen(...)`).
 */
export type App = http.RequestListener & {
  listen: http.Server['listen'];
  /** The express app that serves every route but /graphql. */
  express: express.Express;
  /** The token → actor cache of /graphql (forget a token revoked in this process, or clear). */
  tokenCache: TokenCache;
};

export function createApp(opts: AppOptions): App {
  const clock = opts.clock ?? systemClock;
  const config: AppConfig = { uploadMaxBytes: 10 * 1024 * 1024, ...opts.config };
  const protocol: ProtocolConfig = { ...DEFAULT_PROTOCOL, ...opts.protocol };
  const schema = buildSchema();
  const tokenCache = createTokenCache({ ttlMs: DEFAULT_TOKEN_CACHE_MS, ...opts.tokenCache });
  const yoga = createYoga<{ req: http.IncomingMessage; res: http.ServerResponse }>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    cors: corsFor(protocol.corsOrigins),
    logging: shortLogger,
    // Never leak stack traces or internal messages; GraphQLErrors we throw on purpose pass through.
    maskedErrors: { isDev: false },
    // GraphiQL is served whole from the installed @graphql-yoga/render-graphiql (scripts, styles and editor
    // workers inlined): no request leaves the machine, so it works on a township's restricted network.
    graphiql: graphiqlOptions(opts.graphiqlTokens ?? (opts.graphiqlToken ? { finance: opts.graphiqlToken } : null)),
    renderGraphiQL: graphiqlPage,
    // Non-upload bodies are read within JSON_BODY_LIMIT before yoga (graphqlHandler below); yoga's own limit,
    // which streams every body through again, is kept for uploads only (limitUploadBody, issue 16).
    maxRequestBodySize: false,
    context: async ({ request }) => {
      const actor = await tokenCache.authenticate(opts.db, request.headers.get('authorization'));
      return buildRequestContext(opts.db, clock, actor, config);
    },
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 20 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 5000 },
        costLimit: { maxCost: 20000 },
        // Suggestions help a county official typing in GraphiQL; the schema is not secret.
        blockFieldSuggestion: { enabled: false },
      }),
      requireAuthentication(protocol.introspection),
      refuseUnsafeText,
      coerceVariables,
      stripErrorDetails,
      limitUploadBody(),
      // Compiled execution (issue 16, G2): each document is compiled once into a function (kept with the
      // parsed document, which yoga caches per query text) instead of walking the AST on every request.
      useGraphQlJit(),
    ],
  });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    try {
      await opts.db.raw('select 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  exportRoutes(app, opts.db, clock);
  registerioRoutes(app, opts.db, clock);
  app.get('/documents/:id', documentDownload(opts.db, clock));
  app.get('/exports/revitalisation/:regionCode/overview.xlsx', revitalisationOverviewDownload(opts.db, clock));
  app.get('/notices/:id', noticePage(opts.db, clock));
  reportExportRoutes(app, opts.db, clock);
  app.get('/', (_req, res) => res.redirect('/graphql'));

  // Uploads are parsed into memory by yoga: refuse an announced body far beyond the upload limit before
  // reading it. A file just over the limit still reaches the service, which answers FILE_TOO_LARGE.
  const multipartCap = config.uploadMaxBytes + 1024 * 1024;
  const graphql = graphqlHandler(yoga, protocol.jsonBodyMaxBytes, multipartCap, config.uploadMaxBytes);
  const handler: http.RequestListener = (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    if (pathname === yoga.graphqlEndpoint || pathname === `${yoga.graphqlEndpoint}/`) graphql(req, res);
    else app(req, res);
  };
  return Object.assign(handler, {
    listen: ((...args: Parameters<http.Server['listen']>) => http.createServer(handler).listen(...args)) as http.Server['listen'],
    express: app,
    tokenCache,
  });
}

/**
 * /graphql on node:http: the multipart cap (413 on an announced body beyond it), the JSON body limit
 * (protocol.ts), then yoga, which parses the Buffer (or, for an upload, the multipart stream).
 */
function graphqlHandler(
  yoga: (req: http.IncomingMessage, res: http.ServerResponse) => unknown,
  limit: number,
  multipartCap: number,
  uploadMaxBytes: number,
): http.RequestListener {
  const readBody = jsonBodyLimit(limit);
  return (req, res) => {
    if (String(req.headers['content-type'] ?? '').startsWith('multipart/')) {
      if (req.method === 'POST' && Number(req.headers['content-length'] ?? 0) > multipartCap) {
        return sendJson(res, 413, {
          errors: [{ message: `Upload too large: at most ${uploadMaxBytes} bytes per file`, extensions: { code: 'FILE_TOO_LARGE' } }],
        });
      }
      return void yoga(req, res);
    }
    readBody(req, res, () => void yoga(req, res));
  };
}
