import express from 'express';
import { createYoga } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Db } from '../db/connection';
import { Clock, systemClock } from '../shared/clock';
import { authenticate } from '../modules/auth/auth.service';
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
import { corsFor, DEFAULT_PROTOCOL, jsonBodyLimit, ProtocolConfig, refuseUnsafeText, requireAuthentication, shortLogger, stripErrorDetails } from './protocol';

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
}

export function createApp(opts: AppOptions): express.Express {
  const clock = opts.clock ?? systemClock;
  const config: AppConfig = { uploadMaxBytes: 10 * 1024 * 1024, ...opts.config };
  const protocol: ProtocolConfig = { ...DEFAULT_PROTOCOL, ...opts.protocol };
  const schema = buildSchema();
  const yoga = createYoga<{ req: express.Request }>({
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
    context: async ({ request }) => {
      const actor = await authenticate(opts.db, request.headers.get('authorization'));
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
      stripErrorDetails,
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
  // Uploads are parsed into memory by yoga: refuse an announced body far beyond the upload limit before
  // reading it. A file just over the limit still reaches the service, which answers FILE_TOO_LARGE.
  const multipartCap = config.uploadMaxBytes + 1024 * 1024;
  app.post(yoga.graphqlEndpoint, (req, res, next) => {
    const length = Number(req.get('content-length') ?? 0);
    if (req.is('multipart/form-data') && length > multipartCap) {
      res.status(413).json({
        errors: [{ message: `Upload too large: at most ${config.uploadMaxBytes} bytes per file`, extensions: { code: 'FILE_TOO_LARGE' } }],
      });
      return;
    }
    next();
  });
  app.use(yoga.graphqlEndpoint, ...jsonBodyLimit(protocol.jsonBodyMaxBytes));
  app.use(yoga.graphqlEndpoint, yoga as unknown as express.RequestHandler);
  app.get('/documents/:id', documentDownload(opts.db, clock));
  app.get('/exports/revitalisation/:regionCode/overview.xlsx', revitalisationOverviewDownload(opts.db, clock));
  app.get('/notices/:id', noticePage(opts.db, clock));
  reportExportRoutes(app, opts.db, clock);
  app.get('/', (_req, res) => res.redirect('/graphql'));
  return app;
}
