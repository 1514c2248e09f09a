import type { Stack } from './stack';

/**
 * The Google side of the load: an emulator, an account connected through oauth, a selected
 * calendar with a push channel, and edits made in the emulator. Filled in as the emulator and
 * the connect flow land; until then only the HTTP load runs.
 */
export const runScenario = {
  async prepare(): Promise<{ googleOrigin?: string; run(stack: Stack): Promise<string> }> {
    return { googleOrigin: undefined, run: async () => 'no Google scenario (emulator not wired yet)' };
  },
  async stop(): Promise<void> {},
};
