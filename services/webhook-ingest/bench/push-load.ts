/**
 * Load generator of bench/webhook-ingest-throughput.ts, run as its own process: autocannon POSTing
 * Google push requests, each with a distinct (channel, message number) so none is a duplicate.
 * Argument: JSON [url, durationS, connections, channels, firstNumber]. Prints one JSON line. Each run
 * starts its message numbers at `firstNumber`, so a run never repeats the warm-up's (channel, number)
 * pairs: webhook-ingest would answer those as cheap duplicates and flatter the figures.
 */
import autocannon from 'autocannon';

type BenchChannel = { id: string; resourceId: string; token: string };

async function main() {
  const [url, durationS, connections, channels, firstNumber] = JSON.parse(process.argv[2]!) as [
    string,
    number,
    number,
    BenchChannel[],
    number,
  ];
  let n = firstNumber;
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
