import type { Logger } from '../logging/logger';

/**
 * Shutdown steps registered as resources are created and run in reverse order
 * (stop consuming → finish in-flight → close producers → close pool).
 */
export class ShutdownStack {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  /** Runs every step even if one fails; idempotent. */
  run(): Promise<void> {
    this.stopping ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        try {
          await step.run();
        } catch (error) {
          this.logger.error({ err: error, step: step.name }, 'shutdown step failed');
        }
      }
    })();
    return this.stopping;
  }
}
