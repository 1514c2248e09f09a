import pino from 'pino';
import { redactSecrets, scrubString } from './redact';

export type Logger = pino.Logger;

export type LoggerOptions = {
  service: string;
  level?: string;
  /** Tests pass a stream to capture lines. */
  destination?: pino.DestinationStream;
};

/** JSON logs; every object is deep-redacted and messages are scrubbed of bearer/OAuth tokens. */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}
