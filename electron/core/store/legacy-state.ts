import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MAX_COUNTERS_PER_GROUP } from '../../../shared/limits';
import type { GroupType } from '../../../shared/types';
import { validateGroupID, validateKey, validateValue } from '../../../shared/validation';
import type { GroupRecord } from '../chat/local/group-state';

/** The embedded service's state file of releases before the database, and the folder they kept it in. */
export const LEGACY_STATE_FOLDER = 'embedded-service';
export const LEGACY_STATE_FILE = 'state.json';

const GROUP_TYPES = ['Public', 'Private', 'ChatRoom', 'AVChatRoom', 'Community'] as const satisfies GroupType[];

// Read leniently: what the old release wrote, and what a hand edit may have made of it (numbers as
// JSON numbers where they are exact, fields left out); never what would change a value.
const counterValue = z.union([z.string(), z.number().int().refine(Number.isSafeInteger, 'beyond 2^53, so not exact').transform(String)]);
const groupSchema = z.object({
  groupID: z.string(),
  name: z.string().optional(),
  type: z.enum(GROUP_TYPES),
  members: z.array(z.string().min(1)).default([]),
  // [key, decimal] pairs: a list (unlike an object) keeps a key such as "__proto__" an ordinary key.
  counters: z.array(z.tuple([z.string(), counterValue])).default([]),
  groupCounterSeq: z.number().int().nonnegative().default(0),
});
const fileSchema = z.object({ version: z.literal(1).default(1), groups: z.array(groupSchema) });

export type LegacyState = { kind: 'absent' } | { kind: 'read'; groups: Map<string, GroupRecord> } | { kind: 'unreadable'; reason: string };

/** Reads the old release's state file, if there is one; says why when it cannot be used. Never throws. */
export function readLegacyState(file: string): LegacyState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unreadable', reason: `it could not be read (${(error as Error).message})` };
  }
  return decodeLegacyState(text);
}

/** Parses and checks a state file's text; the reason says what is wrong with it. */
export function decodeLegacyState(text: string): LegacyState {
  let json: unknown;
  try {
    // Editors on Windows may have put a byte-order mark in front.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return unreadable(`it is not valid JSON (${(error as Error).message})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return unreadable(`${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'unexpected shape'}`);
  }
  const groups = new Map<string, GroupRecord>();
  for (const stored of parsed.data.groups) {
    const group = decodeGroup(stored);
    if (typeof group === 'string') return unreadable(group);
    if (groups.has(group.groupID)) return unreadable(`group "${group.groupID}" appears twice`);
    groups.set(group.groupID, group);
  }
  return { kind: 'read', groups };
}

/** Holds a stored group to the service's rules; a string says what breaks them. */
function decodeGroup(stored: z.infer<typeof groupSchema>): GroupRecord | string {
  const groupID = validateGroupID(stored.groupID);
  if (!groupID.ok) return `group "${stored.groupID}": ${groupID.error.message}`;
  if (stored.counters.length > MAX_COUNTERS_PER_GROUP) {
    return `group "${stored.groupID}" holds ${stored.counters.length} counters, more than ${MAX_COUNTERS_PER_GROUP}`;
  }
  const counters = new Map<string, bigint>();
  for (const [key, text] of stored.counters) {
    const checkedKey = validateKey(key);
    if (!checkedKey.ok) return `group "${stored.groupID}": ${checkedKey.error.message}`;
    if (counters.has(key)) return `group "${stored.groupID}" holds counter "${key}" twice`;
    const value = validateValue(text.trim());
    if (!value.ok) return `group "${stored.groupID}", counter "${key}": ${value.error.message}`;
    counters.set(key, value.value);
  }
  return {
    groupID: stored.groupID,
    name: stored.name ?? stored.groupID,
    type: stored.type,
    members: new Set(stored.members),
    counters,
    seq: stored.groupCounterSeq,
  };
}

function unreadable(reason: string): LegacyState {
  return { kind: 'unreadable', reason };
}
