import { z } from 'zod';
import { ErrorCode, type ErrorInfo } from './errors';
import type { ApiMethod } from './ipc-contract';
import { validateCredential, validateSDKAppID, validateUserID, type Credential } from './account-validation';
import { fail, ok, type Result } from './result';
import { MAX_HISTORY_POINTS, MAX_RECENT_UPDATES } from './limits';
import {
  validateBroadcastName,
  validateCounterMap,
  validateDelta,
  validateGroupID,
  validateKey,
  validateKeyList,
} from './validation';

/** A field judged by one of the shared validators, its coded error kept for the caller. */
function checkedBy<T>(validate: (input: unknown) => Result<T>) {
  return z.unknown().transform((input, ctx) => {
    const result = validate(input);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.error.message, params: { error: result.error } });
    return z.NEVER;
  });
}

/**
 * A request object: plain (a Map, an array, a Date or a boxed string is not one, whatever its
 * own keys) and with no field the call does not take.
 */
function request<T extends z.core.$ZodLooseShape>(shape: T) {
  const plain = z.unknown().superRefine((input, ctx) => {
    if (typeof input === 'object' && input !== null && [Object.prototype, null].includes(Object.getPrototypeOf(input))) return;
    ctx.addIssue({ code: 'custom', message: `expected a plain object, not ${kindOf(input)}` });
  });
  return plain.pipe(z.strictObject(shape));
}

function kindOf(input: unknown): string {
  if (input === null || input === undefined) return String(input);
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return `a ${input.constructor?.name ?? 'special object'}`;
  return typeof input === 'string' ? 'text' : `a ${typeof input}`;
}

const groupID = checkedBy(validateGroupID);
const deltaRequest = request({
  groupID,
  key: checkedBy(validateKey),
  value: checkedBy(validateDelta),
});
const noArgument = z.undefined();
/** A time in ms since the epoch: a whole number from 1970 to the year 275,760 (JS dates' end). */
const time = z.number().int().min(0).max(8.64e15);
const historyKeys = checkedBy(validateKeyList).refine((keys) => keys !== undefined, { message: 'give at least one key' });

/** Replaces the two credential fields by the one credential given, checked. */
function withCredential<T extends { userSig?: unknown; secretKey?: unknown }>(
  { userSig, secretKey, ...rest }: T,
  ctx: z.core.$RefinementCtx<T>,
): Omit<T, 'userSig' | 'secretKey'> & { credential: Credential } {
  const credential = validateCredential({ userSig, secretKey });
  if (credential.ok) return { ...rest, credential: credential.value };
  ctx.addIssue({ code: 'custom', message: credential.error.message, params: { error: credential.error } });
  return z.NEVER;
}

/** The schema each call's argument must pass at the IPC boundary, and the parsed form it yields. */
export const requestSchemas = {
  getSession: noArgument,
  listGroups: noArgument,
  joinGroup: groupID,
  getCounters: request({ groupID, keyList: checkedBy(validateKeyList).optional() }),
  setCounters: request({ groupID, counters: checkedBy(validateCounterMap) }),
  increaseCounter: deltaRequest,
  decreaseCounter: deltaRequest,
  getBudget: noArgument,
  getConnection: noArgument,
  connectTencent: request({
      SDKAppID: checkedBy(validateSDKAppID),
      userID: checkedBy(validateUserID),
      userSig: z.unknown().optional(),
      secretKey: z.unknown().optional(),
      remember: z.boolean(),
    })
    .transform(withCredential),
  renewSignIn: request({ userSig: z.unknown().optional(), secretKey: z.unknown().optional() }).transform(withCredential),
  useEmbedded: noArgument,
  forgetAccount: noArgument,
  getHistory: request({ groupID, keys: historyKeys, from: time, to: time, maxPoints: z.number().int().min(1).max(MAX_HISTORY_POINTS) })
    .refine(({ from, to }) => from < to, { message: '"from" must come before "to"', path: ['from'] }),
  getRecentUpdates: request({ limit: z.number().int().min(1).max(MAX_RECENT_UPDATES) }),
  getBroadcast: noArgument,
  startBroadcast: request({ name: checkedBy(validateBroadcastName).optional() }),
  endBroadcast: noArgument,
  getStorage: noArgument,
  deleteHistory: request({ before: time }),
  getPendingChanges: noArgument,
} satisfies Record<ApiMethod, z.ZodType>;

/** A call's argument after validation: values as bigint, keys and IDs checked. */
export type ParsedRequest<M extends ApiMethod> = z.output<(typeof requestSchemas)[M]>;

function describeIssue(method: ApiMethod, issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
  if (issue.code === 'unrecognized_keys') {
    return `${method} does not take ${issue.keys.map((key) => `"${key}"`).join(', ')}.`;
  }
  if (issue.code === 'invalid_type' && issue.expected === 'undefined') return `${method} takes no argument.`;
  return `${method}: ${issue.message}${where}.`;
}

/** Validates the argument of a call; a failure carries the code of the first rule broken. */
export function parseRequest<M extends ApiMethod>(method: M, payload: unknown): Result<ParsedRequest<M>> {
  const parsed = requestSchemas[method].safeParse(payload);
  if (parsed.success) return ok(parsed.data as ParsedRequest<M>);
  const [issue] = parsed.error.issues as [z.core.$ZodIssue];
  const fieldError = issue.code === 'custom' ? (issue.params as { error?: ErrorInfo } | undefined)?.error : undefined;
  return fieldError === undefined ? fail(ErrorCode.INVALID_REQUEST, describeIssue(method, issue)) : { ok: false, error: fieldError };
}
