import { optionsFromEnv } from './config';
import { startEmulator } from './server';

async function main(): Promise<void> {
  const options = optionsFromEnv(process.env, process.argv.slice(2));
  const emulator = await startEmulator(options);
  console.log(
    JSON.stringify({
      msg: 'google-emulator listening',
      url: emulator.url,
      autoConsent: Boolean(options.autoConsent),
      allowHttpPush: Boolean(options.allowHttpPush),
      clients: options.clients ? Object.keys(options.clients) : 'any',
    }),
  );
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
