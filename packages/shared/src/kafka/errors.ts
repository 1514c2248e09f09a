/** A message that can never be handled (bad data, unknown reference): parked in the dead-letter topic at once. */
export class PermanentMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentMessageError';
  }
}
