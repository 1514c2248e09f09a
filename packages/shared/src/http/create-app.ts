import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/service-metrics';

export type ReadinessCheck = () => boolean | Promise<boolean>;

export type HttpAppOptions = {
  logger: Logger;
  metrics: ServiceMetrics;
  /** Named checks; /readyz is 200 only when every one passes (e.g. kafka, postgres). */
  readiness: Record<string, ReadinessCheck>;
  /** Body size limit for JSON. */
  jsonLimit?: string;
};

/**
 * The express kit every service starts from: JSON body parsing, request metrics,
 * /healthz (process alive), /readyz (dependencies up), /metrics (Prometheus).
 * Routes are added by the caller; finish with `app.use(errorHandler(logger))`.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path
        ? `${req.baseUrl}${req.route.path}`
        : res.statusCode === 404
          ? 'unmatched'
          : req.path;
      options.metrics.httpRequestDuration.observe(
        { method: req.method, route, status: String(res.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results: Record<string, boolean> = {};
    await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          results[name] = await check();
        } catch {
          results[name] = false;
        }
      }),
    );
    const ready = Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', options.metrics.registry.contentType);
    res.send(await options.metrics.registry.metrics());
  });

  app.use(express.json({ limit: options.jsonLimit ?? '1mb' }));
  return app;
}
