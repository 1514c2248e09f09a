/** A Google API error answer, shaped so the shared `classifyGoogleError` reads status and reason. */
export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: { reason?: string }[],
    message: string,
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }

  static async fromResponse(res: Response, what: string): Promise<GoogleApiError> {
    let body: { error?: { message?: string; errors?: { reason?: string }[] } } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // Not Google's JSON envelope (a proxy's page): the status says enough.
    }
    const reason = body.error?.errors?.[0]?.reason;
    return new GoogleApiError(
      res.status,
      body.error?.errors ?? [],
      `${what}: HTTP ${res.status}${reason ? ` ${reason}` : ''}${body.error?.message ? `: ${body.error.message}` : ''}`,
    );
  }
}
