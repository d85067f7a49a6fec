/** The service's rules for group counters, as the seeds and the SDK define them. */

/** At most this many counter keys in one group. */
export const MAX_COUNTERS_PER_GROUP = 20;

/** A key is at most this many bytes of UTF-8 (the REST docs' reading, stricter than characters). */
export const MAX_KEY_BYTES = 128;

/** Group IDs are printable ASCII of at most this many bytes. */
export const MAX_GROUP_ID_BYTES = 48;

/** Marker inside a Community topic ID (`@TGS#_…@TOPIC#_…`); topics have no counters. */
export const TOPIC_ID_MARKER = '@TOPIC#_';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** The largest magnitude a JS number carries exactly. */
export const MAX_EXACT_NUMBER = BigInt(Number.MAX_SAFE_INTEGER);

/** Each budget (writes; reads) allows this many calls per window. */
export const BUDGET_CALLS = 20;

/** The length of one budget window in milliseconds. */
export const BUDGET_WINDOW_MS = 5_000;

/**
 * Counter events reach the renderer in batches at most this far apart: one per 60 Hz frame. The
 * renderer draws at most once a frame, so flushing faster buys no pixel and flushing slower only
 * adds waiting; at a busy room's hundreds of events a second it is still one message per frame.
 */
export const FLUSH_INTERVAL_MS = 16;

/** The most buckets one history request may ask for, per key. */
export const MAX_HISTORY_POINTS = 2_000;

/** The most stored updates the event log may ask for at once. */
export const MAX_RECENT_UPDATES = 500;

/** A broadcast's name is at most this many characters. */
export const MAX_BROADCAST_NAME_CHARS = 80;
