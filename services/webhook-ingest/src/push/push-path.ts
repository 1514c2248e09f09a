/**
 * Where Google delivers pushes unless WEBHOOK_PATH says otherwise. Its own module, without imports,
 * because bin.ts needs it before anything else loads (telemetry must patch http first).
 */
export const DEFAULT_PUSH_PATH = '/google/notifications';
