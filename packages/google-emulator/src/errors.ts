/**
 * Google's JSON error envelope. Every Calendar API failure leaves the emulator in this shape
 * so clients exercise the same parsing they need against Google.
 */
export interface GoogleErrorItem {
  domain: string;
  reason: string;
  message: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    errors: GoogleErrorItem[];
    status?: string;
  };
}

const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  410: 'FAILED_PRECONDITION',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly domain = 'global',
    readonly extra: Partial<GoogleErrorItem> = {},
    readonly topMessage?: string,
  ) {
    super(message);
  }

  body(): GoogleErrorBody {
    const item: GoogleErrorItem = { domain: this.domain, reason: this.reason, message: this.message, ...this.extra };
    const status = STATUS_BY_CODE[this.code];
    return {
      error: {
        code: this.code,
        message: this.topMessage ?? this.message,
        errors: [item],
        ...(status ? { status } : {}),
      },
    };
  }
}

export const notFound = () => new ApiError(404, 'notFound', 'Not Found');
export const badRequest = (message = 'Bad Request') => new ApiError(400, 'badRequest', message);
export const invalid = (message: string, location?: string) =>
  new ApiError(400, 'invalid', message, 'global', location ? { location, locationType: 'parameter' } : {});
export const required = (message: string) => new ApiError(400, 'required', message);
export const deleted = () => new ApiError(410, 'deleted', 'Resource has been deleted');
export const fullSyncRequired = () =>
  new ApiError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.', 'calendar', {
    locationType: 'parameter',
    location: 'syncToken',
  });
export const updatedMinTooLongAgo = () =>
  new ApiError(
    410,
    'updatedMinTooLongAgo',
    'The requested minimum modification time lies too far in the past.',
    'calendar',
    {
      locationType: 'parameter',
      location: 'updatedMin',
    },
  );
export const conditionNotMet = () =>
  new ApiError(412, 'conditionNotMet', 'Precondition Failed', 'global', {
    locationType: 'header',
    location: 'If-Match',
  });
export const duplicate = () => new ApiError(409, 'duplicate', 'The requested identifier already exists.');
export const unauthenticated = (missing: boolean) =>
  missing
    ? new ApiError(
        401,
        'required',
        'Login Required.',
        'global',
        { locationType: 'header', location: 'Authorization' },
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      )
    : new ApiError(
        401,
        'authError',
        'Invalid Credentials',
        'global',
        { locationType: 'header', location: 'Authorization' },
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      );
export const insufficientPermissions = () =>
  new ApiError(
    403,
    'insufficientPermissions',
    'Insufficient Permission',
    'global',
    {},
    'Request had insufficient authentication scopes.',
  );
export const rateLimit = (kind: 'project' | 'user', style: 403 | 429) =>
  style === 429
    ? new ApiError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits')
    : kind === 'user'
      ? new ApiError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', 'usageLimits')
      : new ApiError(403, 'rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits');
export const quotaExceeded = () => new ApiError(403, 'quotaExceeded', 'Calendar usage limits exceeded.', 'usageLimits');

/** Default reason/message for a fault injected with only a status. */
export function errorForStatus(status: number, reason?: string, message?: string): ApiError {
  const defaults: Record<number, [string, string, string]> = {
    400: ['badRequest', 'Bad Request', 'global'],
    401: ['authError', 'Invalid Credentials', 'global'],
    403: ['forbidden', 'Forbidden', 'global'],
    404: ['notFound', 'Not Found', 'global'],
    409: ['conflict', 'Conflict', 'global'],
    410: ['fullSyncRequired', 'Sync token is no longer valid, a full sync is required.', 'global'],
    412: ['conditionNotMet', 'Precondition Failed', 'global'],
    429: ['rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits'],
    500: ['backendError', 'Backend Error', 'global'],
    502: ['badGateway', 'Bad Gateway', 'global'],
    503: ['backendError', 'Backend Error', 'global'],
    504: ['backendError', 'Backend Error', 'global'],
  };
  const [r, m, d] = defaults[status] ?? ['unknown', 'Error', 'global'];
  const usage = reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded' || reason === 'quotaExceeded';
  return new ApiError(status, reason ?? r, message ?? m, usage ? 'usageLimits' : d);
}
