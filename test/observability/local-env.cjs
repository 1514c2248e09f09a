// The environment each service gets when the stack runs locally from its built dist (prod bundles,
// the dashboard-query test, the trace test). One place, so every harness boots services the same
// way; a service adding a required variable adds it here.
//
//   node test/observability/local-env.cjs <service> [key=value ...]   prints `NAME=value` lines
//   require('./local-env.cjs').serviceEnv(service, options)            returns an env object
'use strict';

const SERVICES = ['oauth', 'webhook-ingest', 'sync-core', 'renewer', 'notifier'];

/** Local-only credentials (≥ 16 characters, as the internal-auth schema demands). */
function tokenOf(service) {
  return `local-${service}-token-0123456789`;
}

/**
 * options: { ports: {service: port}, databaseUrl, kafkaBrokers, topicPrefix, googleOrigin, otlpEndpoint, logLevel }
 */
function serviceEnv(service, options) {
  if (!SERVICES.includes(service)) throw new Error(`unknown service ${service}`);
  const ports = options.ports || {};
  const url = (s) => `http://127.0.0.1:${ports[s] || 0}`;
  const google = (options.googleOrigin || 'http://127.0.0.1:1').replace(/\/$/, '');
  const env = {
    PORT: String(ports[service] || 0),
    DATABASE_URL: options.databaseUrl,
    KAFKA_BROKERS: options.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: options.topicPrefix || '',
    LOG_LEVEL: options.logLevel || 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    // Every service accepts every other one on its internal API; NetworkPolicies narrow it in Kubernetes.
    INTERNAL_API_TOKENS: SERVICES.map((s) => `${s}:${tokenOf(s)}`).join(','),
    GOOGLE_API_ROOT_URL: `${google}/`,
    GOOGLE_OAUTH_AUTH_URL: `${google}/o/oauth2/v2/auth`,
    GOOGLE_OAUTH_TOKEN_URL: `${google}/token`,
    GOOGLE_OAUTH_REVOKE_URL: `${google}/revoke`,
    GOOGLE_USERINFO_URL: `${google}/oauth2/v3/userinfo`,
    // Where callers find each other (variables a service does not declare are ignored).
    OAUTH_SERVICE_URL: url('oauth'),
    OAUTH_SERVICE_TOKEN: tokenOf(service),
    OAUTH_BASE_URL: url('oauth'),
    OAUTH_CREDENTIAL: tokenOf(service),
    // The renewer registers this address in Google watch requests; the emulator pushes to it.
    WEBHOOK_ADDRESS: `${url('webhook-ingest')}/google/notifications`,
    ALLOW_HTTP_WEBHOOK: 'true',
    // Quick retries, so a failed watch is retried within a test's load.
    RETRY_BASE_MS: '300',
    // oauth
    GOOGLE_CLIENT_ID: 'local-client-id.apps.googleusercontent.com',
    GOOGLE_CLIENT_SECRET: 'local-client-secret',
    GOOGLE_REDIRECT_URI: `${url('oauth')}/oauth/callback`,
    TOKEN_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    TOKEN_ACTIVE_KEY_ID: 'k1',
    ADMIN_TOKENS: `org-local:${tokenOf('admin')}`,
    SIGNING_SECRET: 'local-signing-secret-0123456789abcdef',
    // notifier
    WEBHOOK_KEYS: `w1:${Buffer.alloc(32, 9).toString('base64')}`,
    WEBHOOK_ACTIVE_KEY_ID: 'w1',
    SLACK_ALLOW_HTTP: 'true',
    SLACK_WEBHOOK_HOSTS: '127.0.0.1,localhost',
    ADMIN_BASE_URL: `${url('oauth')}/admin`,
  };
  if (options.otlpEndpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = options.otlpEndpoint;
  return env;
}

module.exports = { SERVICES, serviceEnv, tokenOf };

if (require.main === module) {
  const [service, ...pairs] = process.argv.slice(2);
  const opts = { ports: {} };
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    const key = pair.slice(0, i);
    const value = pair.slice(i + 1);
    if (key.startsWith('port.')) opts.ports[key.slice(5)] = Number(value);
    else opts[key] = value;
  }
  for (const [k, v] of Object.entries(serviceEnv(service, opts))) process.stdout.write(`${k}=${v}\n`);
}
