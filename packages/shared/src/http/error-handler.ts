import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging/logger';
import { HttpError } from './http-error';

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
  };
}

/** Last middleware: typed errors become their status; anything else a 500 without internals (no stack traces). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(status).json({
      error:
        status === 500
          ? { code: 'internal', message: 'internal error' }
          : { code: 'bad_request', message: error.message },
    });
  };
}
