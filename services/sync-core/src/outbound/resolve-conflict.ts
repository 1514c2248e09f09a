import type { BookingFields, ConflictResolution } from '@gcal-sync/shared';
import { type AppField, differingFields, presentFields, sameField } from './app-fields';

export type ConflictInput = {
  /** App-owned fields at the version the app last saw; undefined when that version is no longer known. */
  base: BookingFields | undefined;
  /** App-owned fields as they are in Google now. */
  google: BookingFields;
  /** What the app asks for (PATCH semantics). For a delete, pass `deleting: true` and no fields. */
  request: BookingFields;
  deleting?: boolean;
  appEditedAt: string;
  googleUpdated: string | undefined;
  /** When this service received the write (server clock). */
  receivedAt: string;
  skewMs: number;
};

export type ConflictDecision = {
  /** `merged` and `app-won` write `patchFields`; `google-won` refuses the app's write. */
  resolution: 'merged' | 'app-won' | 'google-won';
  patchFields: AppField[];
  report: ConflictResolution;
};

/**
 * The app time used for last-write-wins. Two clocks are compared: the app's (editedAt) and Google's
 * (`updated`). A client clock running fast must not win every conflict, so an editedAt later than
 * our own receipt of the request is clamped to the receipt time.
 */
export function effectiveAppTime(appEditedAt: string, receivedAt: string): number {
  return Math.min(Date.parse(appEditedAt), Date.parse(receivedAt));
}

/**
 * Decides a write that met a concurrent change in Google (412 on If-Match).
 * - A field changed on one side only merges: the app's PATCH carries only its own changes, Google's stay.
 * - A field changed on both sides to different values collides; then last write wins by time, with a
 *   skew allowance: the app wins only when its (clamped) edit time is more than `skewMs` after
 *   Google's `updated`. Inside that window the order is unknowable, and refusing is the safe answer:
 *   the app shows "updated elsewhere, reload" and nothing is overwritten silently.
 * - Without a known base every differing field counts as changed on both sides.
 * - A delete collides with any app-owned change made in Google since the base.
 */
export function resolveConflict(input: ConflictInput): ConflictDecision {
  const requested = presentFields(input.request);
  const appFields = input.deleting
    ? []
    : input.base
      ? requested.filter((f) => !sameField(f, input.request[f], input.base?.[f]))
      : requested.filter((f) => !sameField(f, input.request[f], input.google[f]));
  const googleFields = input.base ? differingFields(input.base, input.google) : undefined;
  const colliding: AppField[] = input.deleting
    ? (googleFields ?? [])
    : appFields.filter(
        (f) =>
          (googleFields === undefined || googleFields.includes(f)) && !sameField(f, input.request[f], input.google[f]),
      );

  const report = (resolution: ConflictResolution['resolution']): ConflictResolution => ({
    resolution,
    appFields,
    googleFields: googleFields ?? [],
    collidingFields: colliding,
    appEditedAt: input.appEditedAt,
    ...(input.googleUpdated ? { googleUpdated: input.googleUpdated } : {}),
  });
  // Only what the app changed and Google does not already hold needs writing.
  const patchFields = appFields.filter((f) => !sameField(f, input.request[f], input.google[f]));

  if (colliding.length === 0) return { resolution: 'merged', patchFields, report: report('merged') };
  const googleTime = input.googleUpdated ? Date.parse(input.googleUpdated) : Number.POSITIVE_INFINITY;
  const appWins = effectiveAppTime(input.appEditedAt, input.receivedAt) > googleTime + input.skewMs;
  return appWins
    ? { resolution: 'app-won', patchFields, report: report('app-won') }
    : { resolution: 'google-won', patchFields: [], report: report('google-won') };
}
