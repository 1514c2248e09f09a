import type { z } from 'zod';
import { type Envelope, envelopeSchema } from './envelope';
import { adminAlertPayload } from './topics/admin-alerts';
import { bookingCommandPayload, bookingResultPayload } from './topics/booking-commands';
import { channelLifecyclePayload } from './topics/channel-lifecycle';
import { connectionLifecyclePayload } from './topics/connection-lifecycle';
import { eventChangePayload } from './topics/event-changes';
import { googleNotificationPayload } from './topics/google-notifications';

type TopicDefinition<P extends z.ZodTypeAny> = {
  /** Kafka topic name (a deployment may prefix it). */
  name: string;
  description: string;
  schemaVersion: number;
  payload: P;
  /** Message key: everything with the same key stays ordered on one partition. */
  keyDescription: string;
  key: (message: Envelope<z.infer<P>>) => string;
  producers: string[];
  consumers: string[];
};

function topic<P extends z.ZodTypeAny>(definition: TopicDefinition<P>) {
  return { ...definition, envelope: envelopeSchema(definition.schemaVersion, definition.payload) };
}

/** The one registry of every Kafka topic. AsyncAPI, JSON Schemas and Helm's topic Job are generated from it. */
export const topics = {
  connectionLifecycle: topic({
    name: 'connection.lifecycle',
    description: 'A Google account connected, reauthorized, revoked or disconnected; calendars selected or deselected.',
    schemaVersion: 1,
    payload: connectionLifecyclePayload,
    keyDescription: 'connectionId',
    key: (m) => m.connectionId ?? m.orgId,
    producers: ['oauth'],
    consumers: ['renewer', 'sync-core'],
  }),
  googleNotifications: topic({
    name: 'google.notifications',
    description:
      'A reason to sync a calendar (or calendar list): a Google push, or a safety-net tick. Carries no event data.',
    schemaVersion: 1,
    payload: googleNotificationPayload,
    keyDescription: 'calendarId (connectionId for calendarList)',
    key: (m) => m.payload.calendarId ?? m.connectionId ?? m.orgId,
    producers: ['webhook-ingest', 'renewer'],
    consumers: ['sync-core', 'oauth'],
  }),
  eventChanges: topic({
    name: 'calendar.event-changes',
    description: 'One applied change of a mirrored Google Calendar event, for the booking app. Versioned per event.',
    schemaVersion: 1,
    payload: eventChangePayload,
    keyDescription: 'calendarId/eventId',
    key: (m) => `${m.payload.calendarId}/${m.payload.eventId}`,
    producers: ['sync-core'],
    consumers: ['booking app'],
  }),
  bookingCommands: topic({
    name: 'booking.commands',
    description:
      'Create, update or delete a booking in Google Calendar, sent by the booking app (async alternative to the booking API).',
    schemaVersion: 1,
    payload: bookingCommandPayload,
    keyDescription: 'bookingId',
    key: (m) => m.payload.bookingId,
    producers: ['booking app'],
    consumers: ['sync-core'],
  }),
  bookingResults: topic({
    name: 'booking.results',
    description: 'The outcome of a booking command: succeeded with event id and etag, or a typed failure.',
    schemaVersion: 1,
    payload: bookingResultPayload,
    keyDescription: 'bookingId',
    key: (m) => m.payload.bookingId,
    producers: ['sync-core'],
    consumers: ['booking app'],
  }),
  channelLifecycle: topic({
    name: 'channel.lifecycle',
    description: 'Google push channels created, renewed, failing renewal, or stopped.',
    schemaVersion: 1,
    payload: channelLifecyclePayload,
    keyDescription: 'calendarId (connectionId for calendarList channels)',
    key: (m) =>
      ('calendarId' in m.payload && m.payload.calendarId) ||
      ('channel' in m.payload && m.payload.channel.calendarId) ||
      m.connectionId ||
      m.orgId,
    producers: ['renewer', 'webhook-ingest (ping-unmatched)'],
    consumers: ['webhook-ingest', 'renewer (ping-unmatched)'],
  }),
  adminAlerts: topic({
    name: 'admin.alerts',
    description: 'Something an org admin must know or act on; opened and resolved per incident (kind + subject).',
    schemaVersion: 1,
    payload: adminAlertPayload,
    keyDescription: 'orgId',
    key: (m) => m.orgId,
    producers: ['oauth', 'sync-core', 'renewer'],
    consumers: ['notifier'],
  }),
} as const;

export type Topics = typeof topics;
export type TopicKey = keyof Topics;
export type TopicSpec = Topics[TopicKey];
export type PayloadOf<K extends TopicKey> = z.infer<Topics[K]['payload']>;
export type MessageOf<K extends TopicKey> = Envelope<PayloadOf<K>>;

/** Dead-letter topic for a topic: poison messages are parked here with the reason in headers. */
export function deadLetterTopicName(topicName: string): string {
  return `${topicName}.dlq`;
}

/** A deployment (or a test) may namespace every topic with a prefix. */
export function topicName(key: TopicKey, prefix = ''): string {
  return `${prefix}${topics[key].name}`;
}

export const allTopicKeys = Object.keys(topics) as TopicKey[];
