import type { KickedOutType } from '../../electron/core/chat/chat-like';
import type { SdkCounters, SdkGroup } from '../../electron/core/chat/tencent/sdk-surface';
import type { Clock } from '../../electron/core/clock';
import { ErrorCode } from '../../shared/errors';
import { MAX_COUNTERS_PER_GROUP } from '../../shared/limits';

/**
 * The server half of the scripted `@tencentcloud/chat` double (the instance half is scripted-sdk.ts):
 * one Tencent Cloud Chat application with groups, members, counters (JS numbers, as the SDK carries
 * them), UserSigs the test issues and expires, and GROUP_COUNTER_UPDATED notices to every signed-in
 * instance of a member. Requests reach it at once; replies and notices travel back `latencyMs` later.
 */

/** What the real SDK rejects with: an object with a numeric `code` and a `message` (not a ChatError). */
export class SdkError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TIMError';
  }
}

export type Command = 'getGroupList' | 'joinGroup' | 'get' | 'set' | 'increase' | 'decrease';
export interface ServerRequest {
  command: Command;
  groupID?: string;
  counters?: SdkCounters;
  key?: string;
  value?: number;
  unlimitedAVChatRoom?: boolean;
}
export type Outcome = { ok: true; data: unknown } | { ok: false; error: SdkError };

/** One signed-in SDK instance as the server sees it. */
export interface Endpoint {
  readonly userID: string | null;
  notice(groupID: string, changes: SdkCounters, seq: number): void;
  kick(type: KickedOutType): void;
}

export interface ServerGroup {
  groupID: string;
  name: string;
  type: string;
  members: Set<string>;
  counters: Map<string, number>;
  seq: number;
}

/** One write the server applied; `resend` when the SDK sent the same request again (reconnect). */
export interface AppliedWrite {
  userID: string | null;
  groupID: string;
  command: 'set' | 'increase' | 'decrease';
  counters: SdkCounters;
  resend: boolean;
  at: number;
}

const refuse = (code: number, message: string): Outcome => ({ ok: false, error: new SdkError(code, message) });
const WRITES: ReadonlySet<Command> = new Set(['set', 'increase', 'decrease']);

export class ScriptedServer {
  readonly groups = new Map<string, ServerGroup>();
  /** Every write applied, in order; a write applied twice shows twice. */
  readonly applied: AppliedWrite[] = [];
  /** The application's edition: without Ultimate every counter call fails with 3122. */
  ultimate = true;
  /** Web default: one instance per user; a second sign-in kicks the first ('multipleAccount'). */
  multiInstance = false;
  private readonly endpoints = new Set<Endpoint>();
  private readonly sigs = new Map<string, { userID: string; expired: boolean }>();
  private readonly faults: { code: number; kind: 'write' | 'read' }[] = [];

  constructor(
    readonly clock: Clock,
    readonly latencyMs = 0,
  ) {}

  addGroup(spec: { groupID: string; name?: string; type?: string; members?: string[]; counters?: Record<string, number> }): this {
    const { groupID, name = groupID, type = 'Public', members = [], counters = {} } = spec;
    this.groups.set(groupID, { groupID, name, type, members: new Set(members), counters: new Map(Object.entries(counters)), seq: 0 });
    return this;
  }

  /** A fresh valid UserSig for `userID`. */
  issueSig(userID: string): string {
    const sig = `sig-${userID}-${this.sigs.size + 1}`;
    this.sigs.set(sig, { userID, expired: false });
    return sig;
  }

  expireSig(sig: string): void {
    const entry = this.sigs.get(sig);
    if (entry !== undefined) entry.expired = true;
  }

  /** The next `times` counter writes (or reads) that reach the server fail with `code`, unapplied. */
  failNext(code: number, kind: 'write' | 'read' = 'write', times = 1): void {
    for (let i = 0; i < times; i += 1) this.faults.push({ code, kind });
  }

  /** What the REST API's update_group_counter (Set) does as the app admin: applies and notifies. */
  adminSet(groupID: string, counters: SdkCounters): void {
    const group = this.groups.get(groupID);
    if (group === undefined) throw new Error(`No group ${groupID}.`);
    this.apply(group, null, 'set', counters, new Map(Object.entries(counters)), false);
  }

  counter(groupID: string, key: string): number | undefined {
    return this.groups.get(groupID)?.counters.get(key);
  }

  /** Applied writes of one group (and key). */
  appliedTo(groupID: string, key?: string): AppliedWrite[] {
    return this.applied.filter((write) => write.groupID === groupID && (key === undefined || key in write.counters));
  }

  /** Runs `job` after `ms` (default the latency): on a microtask for 0, else on the injected clock. */
  later(job: () => void, ms = this.latencyMs): void {
    if (ms <= 0) queueMicrotask(job);
    else this.clock.setTimeout(job, ms);
  }

  /** null when the sig signs `userID` in; otherwise the error the login fails with (70001 expired, 70003, 70013). */
  authenticate(userID: string, userSig: string): SdkError | null {
    const entry = this.sigs.get(userSig);
    if (entry === undefined) return new SdkError(ErrorCode.USERSIG_INVALID, 'UserSig verification failed.');
    if (entry.userID !== userID) return new SdkError(ErrorCode.USERSIG_OTHER_USER, 'UserSig was issued for another UserID.');
    if (entry.expired) return new SdkError(ErrorCode.USERSIG_EXPIRED, 'UserSig expired.');
    return null;
  }

  signIn(endpoint: Endpoint): void {
    if (!this.multiInstance) {
      for (const other of [...this.endpoints]) if (other !== endpoint && other.userID === endpoint.userID) other.kick('multipleAccount');
    }
    this.endpoints.add(endpoint);
  }

  signOut(endpoint: Endpoint): void {
    this.endpoints.delete(endpoint);
  }

  /** Processes one request from `userID` as the server would; writes are applied (again, if resent). */
  handle(userID: string, request: ServerRequest, resend: boolean): Outcome {
    const { command, groupID = '' } = request;
    if (command === 'getGroupList') {
      return { ok: true, data: { groupList: [...this.groups.values()].filter((g) => g.members.has(userID)).map(summary) } };
    }
    const group = this.groups.get(groupID);
    if (group === undefined) return refuse(ErrorCode.GROUP_NOT_FOUND, `Group ${groupID} does not exist or was dismissed.`);
    if (command === 'joinGroup') return this.join(group, userID, request.unlimitedAVChatRoom === true);
    const faultAt = this.faults.findIndex((fault) => fault.kind === (WRITES.has(command) ? 'write' : 'read'));
    if (faultAt >= 0) return refuse(this.faults.splice(faultAt, 1)[0]!.code, 'Injected server fault.');
    if (!group.members.has(userID)) return refuse(ErrorCode.NO_PERMISSION, `${userID} is not a member of ${groupID}.`);
    if (command === 'get') return { ok: true, data: { counters: Object.fromEntries(group.counters), groupCounterSeq: group.seq } };
    const wanted = command === 'set' ? request.counters! : { [request.key!]: request.value! };
    const next = new Map<string, number>();
    for (const [key, value] of Object.entries(wanted)) {
      if (!Number.isInteger(value)) return refuse(ErrorCode.INVALID_PARAMETER, `${key}: ${value} is not an integer.`);
      const before = group.counters.get(key) ?? 0;
      next.set(key, command === 'set' ? value : command === 'increase' ? before + value : before - value);
    }
    const keys = new Set([...group.counters.keys(), ...next.keys()]);
    // The exact server code for a 21st key is not documented; 10004 (invalid parameter) is assumed.
    if (keys.size > MAX_COUNTERS_PER_GROUP) return refuse(ErrorCode.INVALID_PARAMETER, `A group has at most ${MAX_COUNTERS_PER_GROUP} counters.`);
    this.apply(group, userID, command as AppliedWrite['command'], wanted, next, resend);
    return { ok: true, data: { counters: Object.fromEntries(next) } };
  }

  private join(group: ServerGroup, userID: string, unlimitedAVChatRoom: boolean): Outcome {
    // Like the SDK: an AlreadyInGroup answer carries no group.
    if (group.members.has(userID)) return { ok: true, data: { status: 'AlreadyInGroup' } };
    if (group.type === 'Private') return refuse(ErrorCode.NO_PERMISSION, `${group.groupID} is invitation-only.`);
    if (group.type === 'AVChatRoom' && !unlimitedAVChatRoom) {
      for (const other of this.groups.values()) if (other.type === 'AVChatRoom') other.members.delete(userID);
    }
    group.members.add(userID);
    return { ok: true, data: { status: 'JoinedSuccess', group: summary(group) } };
  }

  private apply(group: ServerGroup, userID: string | null, command: AppliedWrite['command'], payload: SdkCounters, next: Map<string, number>, resend: boolean): void {
    for (const [key, value] of next) group.counters.set(key, value);
    group.seq += 1;
    this.applied.push({ userID, groupID: group.groupID, command, counters: { ...payload }, resend, at: this.clock.now() });
    const changes = Object.fromEntries(next);
    for (const endpoint of this.endpoints) {
      if (endpoint.userID !== null && group.members.has(endpoint.userID)) endpoint.notice(group.groupID, changes, group.seq);
    }
  }
}

function summary(group: ServerGroup): SdkGroup {
  return { groupID: group.groupID, name: group.name, type: group.type, memberCount: group.members.size };
}
