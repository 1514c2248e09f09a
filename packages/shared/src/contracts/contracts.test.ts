import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allTopicKeys, type MessageOf, type TopicKey, topics } from './registry';

const envelope = <P>(payload: P) => ({
  messageId: randomUUID(),
  schemaVersion: 1,
  occurredAt: '2026-06-12T14:00:00.000Z',
  orgId: 'org-1',
  connectionId: 'conn-1',
  trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  payload,
});

const event = {
  id: 'abc123',
  calendarId: 'primary@x.com',
  status: 'confirmed',
  summary: 'Customer call',
  start: { dateTime: '2026-06-12T14:00:00-07:00', timeZone: 'America/Los_Angeles' },
  end: { dateTime: '2026-06-12T15:00:00-07:00', timeZone: 'America/Los_Angeles' },
  allDay: false,
  attendees: [{ email: 'c@example.com', responseStatus: 'accepted' }],
  etag: '"3181161784712000"',
  updated: '2026-06-12T10:00:00.000Z',
};

/** One valid payload per topic, and a malformed variant with the field its error must name. */
const samples: { [K in TopicKey]: { valid: MessageOf<K>['payload']; malformed: unknown; field: string } } = {
  connectionLifecycle: {
    valid: {
      type: 'connected',
      googleSubject: '1234',
      email: 'rep@example.com',
      calendars: [{ calendarId: 'rep@example.com', accessRole: 'owner', primary: true, watchable: true }],
    },
    malformed: { type: 'connected', googleSubject: '1234', email: 'not-an-email', calendars: [] },
    field: 'payload.email',
  },
  googleNotifications: {
    valid: {
      resource: 'events',
      calendarId: 'c1',
      trigger: 'push',
      resourceState: 'exists',
      channelId: 'ch',
      messageNumber: 7,
      receivedAt: '2026-06-12T10:00:00Z',
    },
    malformed: { resource: 'events', calendarId: 'c1', trigger: 'carrier-pigeon', receivedAt: '2026-06-12T10:00:00Z' },
    field: 'payload.trigger',
  },
  eventChanges: {
    valid: {
      calendarId: 'c1',
      eventId: 'abc123',
      change: 'updated',
      version: 2,
      source: 'google',
      changedFields: ['start'],
      recurrence: 'single',
      event: event as never,
    },
    malformed: {
      calendarId: 'c1',
      eventId: 'abc123',
      change: 'updated',
      version: 0,
      source: 'google',
      changedFields: [],
      recurrence: 'single',
      event,
    },
    field: 'payload.version',
  },
  bookingCommands: {
    valid: {
      op: 'create',
      commandId: 'cmd-1',
      bookingId: 'b-1',
      editedAt: '2026-06-12T10:00:00Z',
      fields: { summary: 'Call' },
    },
    malformed: {
      op: 'update',
      commandId: 'cmd-1',
      bookingId: 'b-1',
      editedAt: '2026-06-12T10:00:00Z',
      eventId: 'e',
      fields: {},
    },
    field: 'payload.expectedVersion',
  },
  bookingResults: {
    valid: { outcome: 'succeeded', commandId: 'cmd-1', bookingId: 'b-1', calendarId: 'c1', eventId: 'e1', etag: '"1"' },
    malformed: { outcome: 'failed', commandId: 'cmd-1', bookingId: 'b-1', error: 'oops', message: 'x' },
    field: 'payload.error',
  },
  channelLifecycle: {
    valid: {
      type: 'created',
      channel: {
        channelId: 'ch-1',
        resourceId: 'r-1',
        resource: 'events',
        calendarId: 'c1',
        expiration: '2026-06-19T10:00:00Z',
        tokenHash: 'a'.repeat(64),
      },
    },
    malformed: {
      type: 'created',
      channel: {
        channelId: 'x'.repeat(65),
        resourceId: 'r-1',
        resource: 'events',
        calendarId: 'c1',
        expiration: '2026-06-19T10:00:00Z',
        tokenHash: 'a'.repeat(64),
      },
    },
    field: 'payload.channel.channelId',
  },
  adminAlerts: {
    valid: {
      kind: 'connection.revoked',
      status: 'open',
      severity: 'critical',
      subject: 'connection:conn-1',
      title: 'Reconnect needed',
      detail: '',
      since: '2026-06-12T10:00:00Z',
    },
    malformed: {
      kind: 'connection.revoked',
      status: 'open',
      severity: 'apocalyptic',
      subject: 'connection:conn-1',
      title: 't',
      detail: '',
      since: '2026-06-12T10:00:00Z',
    },
    field: 'payload.severity',
  },
};

describe('topic registry', () => {
  it('declares every topic once with a unique name', () => {
    const names = allTopicKeys.map((k) => topics[k].name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(samples).sort()).toEqual([...allTopicKeys].sort());
  });

  describe.each(allTopicKeys)('%s', (key) => {
    const spec = topics[key];
    const sample = samples[key];

    it('accepts a valid message and derives its key', () => {
      const parsed = spec.envelope.parse(envelope(sample.valid));
      expect((spec.key as (m: unknown) => string)(parsed)).toMatch(/.+/);
    });

    it('rejects a malformed payload naming the field', () => {
      const result = spec.envelope.safeParse(envelope(sample.malformed));
      expect(result.success).toBe(false);
      const paths = result.error?.issues.map((i) => i.path.join('.')) ?? [];
      expect(paths).toContain(sample.field);
    });

    it('rejects an envelope without identity or with the wrong schema version', () => {
      const { messageId: _drop, ...noId } = envelope(sample.valid);
      expect(spec.envelope.safeParse(noId).error?.issues.map((i) => i.path.join('.'))).toContain('messageId');
      expect(
        spec.envelope
          .safeParse({ ...envelope(sample.valid), schemaVersion: 99 })
          .error?.issues.map((i) => i.path.join('.')),
      ).toContain('schemaVersion');
    });
  });
});
