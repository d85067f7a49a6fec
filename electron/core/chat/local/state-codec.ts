import { z } from 'zod';
import { ErrorCode } from '../../../../shared/errors';
import { MAX_COUNTERS_PER_GROUP } from '../../../../shared/limits';
import { fail, ok, type Result } from '../../../../shared/result';
import type { GroupType } from '../../../../shared/types';
import { validateGroupID, validateKey, validateValue } from '../../../../shared/validation';
import type { GroupRecord } from './group-state';

const FILE_VERSION = 1;
const GROUP_TYPES = ['Public', 'Private', 'ChatRoom', 'AVChatRoom', 'Community'] as const satisfies GroupType[];

const groupSchema = z.object({
  groupID: z.string(),
  name: z.string(),
  type: z.enum(GROUP_TYPES),
  members: z.array(z.string().min(1)),
  // [key, decimal] pairs: JSON numbers cannot carry int64 exactly, and a list (unlike an object)
  // keeps a key such as "__proto__" an ordinary key all the way through parsing.
  counters: z.array(z.tuple([z.string(), z.string()])),
  groupCounterSeq: z.number().int().nonnegative(),
});

const fileSchema = z.object({ version: z.literal(FILE_VERSION), groups: z.array(groupSchema) });

type StoredGroup = z.infer<typeof groupSchema>;

/** The state file's text for these groups. */
export function encodeState(groups: Iterable<GroupRecord>): string {
  const stored: StoredGroup[] = [...groups].map((group) => ({
    groupID: group.groupID,
    name: group.name,
    type: group.type,
    members: [...group.members],
    counters: [...group.counters].map(([key, value]): [string, string] => [key, value.toString()]),
    groupCounterSeq: group.seq,
  }));
  return `${JSON.stringify({ version: FILE_VERSION, groups: stored }, null, 2)}\n`;
}

/** Parses and checks a state file's text; the error says what is wrong with it. */
export function decodeState(text: string): Result<Map<string, GroupRecord>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return corrupt(`it is not valid JSON (${(error as Error).message})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return corrupt(`${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'unexpected shape'}`);
  }
  const groups = new Map<string, GroupRecord>();
  for (const stored of parsed.data.groups) {
    const group = decodeGroup(stored);
    if (!group.ok) return group;
    if (groups.has(group.value.groupID)) return corrupt(`group "${group.value.groupID}" appears twice`);
    groups.set(group.value.groupID, group.value);
  }
  return ok(groups);
}

/** Holds a stored group to the same rules as the service: a bad key or value makes the file corrupt. */
function decodeGroup(stored: StoredGroup): Result<GroupRecord> {
  const groupID = validateGroupID(stored.groupID);
  if (!groupID.ok) return corrupt(`group "${stored.groupID}": ${groupID.error.message}`);
  const entries = stored.counters;
  if (entries.length > MAX_COUNTERS_PER_GROUP) {
    return corrupt(`group "${stored.groupID}" holds ${entries.length} counters, more than ${MAX_COUNTERS_PER_GROUP}`);
  }
  const counters = new Map<string, bigint>();
  for (const [key, text] of entries) {
    const checkedKey = validateKey(key);
    if (!checkedKey.ok) return corrupt(`group "${stored.groupID}": ${checkedKey.error.message}`);
    if (counters.has(key)) return corrupt(`group "${stored.groupID}" holds counter "${key}" twice`);
    const value = validateValue(text);
    if (!value.ok) return corrupt(`group "${stored.groupID}", counter "${key}": ${value.error.message}`);
    counters.set(key, value.value);
  }
  return ok({
    groupID: stored.groupID,
    name: stored.name,
    type: stored.type,
    members: new Set(stored.members),
    counters,
    seq: stored.groupCounterSeq,
  });
}

function corrupt(reason: string): Result<never> {
  return fail(ErrorCode.STATE_FILE_RECOVERED, `The state file is unusable: ${reason}.`);
}
