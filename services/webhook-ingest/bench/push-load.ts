/**
 * Load generator of bench/webhook-ingest-throughput.ts, run as its own process: autocannon POSTing
 * Google push requests, each with a distinct (channel, message number) so none is a duplicate.
 * Argument: JSON [url, durationS, connections, channels]. Prints one JSON line.
 */
import autocannon from 'autocannon';

type BenchChannel = { id: string; resourceId: string; token: string };

async function main() {
  const [url, durationS, connections, channels] = JSON.parse(process.argv[2]!) as [
    string,
    number,
    number,
    BenchChannel[],
  ];
  let n = 0;
  const result = await autocannon({
    url,
    connections,
    duration: durationS,
    method: 'POST',
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          n++;
          const c = channels[n % channels.length]!;
          req.headers = {
            ...req.headers,
            'x-goog-channel-id': c.id,
            'x-goog-channel-token': c.token,
            'x-goog-resource-id': c.resourceId,
            'x-goog-resource-state': 'exists',
            'x-goog-message-number': String(n),
          };
          return req;
        },
      },
    ],
  });
  process.stdout.write(
    `${JSON.stringify({
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      durationS: result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
    })}\n`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
