const SECRET_KEY =
  /(token|secret|password|authorization|cookie|api[-_]?key|client[-_]?secret|refresh|credential|webhook[-_]?url)/i;

/** Replaces the value of every key that looks secret, at any depth, so no token reaches a log line. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubString(value.message), stack: value.stack && scrubString(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (Buffer.isBuffer(value)) return '[buffer]';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && v !== undefined && v !== null && typeof v !== 'boolean' && typeof v !== 'number'
        ? '[redacted]'
        : typeof v === 'string'
          ? scrubString(v)
          : redactSecrets(v, depth + 1);
  }
  return out;
}

/** Bearer tokens and Google OAuth tokens inside free text (error messages from client libraries). */
export function scrubString(text: string): string {
  return text
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]')
    .replace(/\bya29\.[A-Za-z0-9._-]+/g, '[redacted]')
    .replace(/\b1\/\/[A-Za-z0-9._-]+/g, '[redacted]')
    .replace(/(refresh_token|access_token|client_secret|code_verifier|code)=([^&\s"]+)/g, '$1=[redacted]');
}
