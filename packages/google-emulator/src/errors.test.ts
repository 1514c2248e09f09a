import { expect, it } from 'vitest';
import { conditionNotMet, errorForStatus, fullSyncRequired } from './errors';

it('renders Google envelopes', () => {
  expect(fullSyncRequired().body()).toEqual({
    error: {
      code: 410,
      message: 'Sync token is no longer valid, a full sync is required.',
      errors: [
        {
          domain: 'calendar',
          reason: 'fullSyncRequired',
          message: 'Sync token is no longer valid, a full sync is required.',
          locationType: 'parameter',
          location: 'syncToken',
        },
      ],
      status: 'FAILED_PRECONDITION',
    },
  });
  expect(conditionNotMet().body().error.errors[0]).toMatchObject({ reason: 'conditionNotMet', location: 'If-Match' });
  expect(errorForStatus(403, 'quotaExceeded').domain).toBe('usageLimits');
});
