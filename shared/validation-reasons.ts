/**
 * Stable ids of the rules a validator can report, so the renderer can say them in the operator's
 * language (`validation.<id>` in its messages) with the figures in `params`.
 */
export const VALIDATION_REASONS = [
  'groupId.missing',
  'groupId.type',
  'groupId.empty',
  'groupId.topic',
  'groupId.characters',
  'groupId.tooLong',
  'key.missing',
  'key.type',
  'key.empty',
  'key.tooLong',
  'value.missing',
  'value.type',
  'value.empty',
  'value.fraction',
  'value.notDigits',
  'value.range',
  'delta.missing',
  'delta.type',
  'delta.empty',
  'delta.fraction',
  'delta.notDigits',
  'delta.tooSmall',
  'delta.tooLarge',
  'counters.missing',
  'counters.type',
  'counters.empty',
  'counters.tooMany',
  'counters.capacity',
  'keyList.missing',
  'keyList.type',
  'keyList.tooMany',
] as const;

export type ValidationReason = (typeof VALIDATION_REASONS)[number];

/** Figures a message names, such as a limit and the size found. */
export type ReasonParams = Record<string, string | number>;
