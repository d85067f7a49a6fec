import { ErrorCode } from '../../../../shared/errors';
import type { GroupType } from '../../../../shared/types';
import { validateGroupID } from '../../../../shared/validation';
import { fail, ok, type Result } from '../../../../shared/result';
import { systemClock, type Clock } from '../../clock';
import type { ChatGroup, CounterMap, JoinStatus } from '../chat-like';
import { Courier } from './courier';
import type { SeedKind } from './demo-seed';
import { commitWrite, findGroup, planWrite, readCounters, type CounterWrite, type GroupRecord } from './group-state';
import { LocalClient, type LocalChatClient } from './local-client';
import { groupsOf, joinGroup } from './membership';
import type { ClientLink, LogFn, ServicePort } from './service-port';
import { encodeState } from './state-codec';
import { loadState, StateWriter, type Recovery } from './state-store';
import { Simulator, type SimulatorHost, type TrafficSimulator } from './traffic-simulator';

export interface LocalServiceOptions {
  clock?: Clock;
  /** Folder for state.json; absent → memory only, nothing written. */
  dataDir?: string;
  /** What a fresh (or recovered) state holds; default 'demo'. */
  seed?: SeedKind;
  /** Delay of every reply and event delivery, default 0 (a microtask). */
  latencyMs?: number;
  /** For the simulator; default Math.random. */
  random?: () => number;
  log?: LogFn;
}

/** The embedded imitation of Tencent Cloud Chat: several clients, one set of groups and counters. */
export interface LocalService {
  /** A new SDK instance, like `TencentCloudChat.create`. */
  createClient(options?: { unlimitedAVChatRoom?: boolean }): LocalChatClient;
  /** Set when a bad state file was put aside at open. */
  readonly recovered: Recovery | null;
  readonly simulator: TrafficSimulator;
  /** A copy of a group's counters, for inspection; throws for an unknown group. */
  counters(groupID: string): ReadonlyMap<string, bigint>;
  /**
   * What the application's administrator can do through Tencent's REST API (an admin identity, no
   * client budget): create a group, and change a counter, which every member hears about.
   */
  createGroup(group: { groupID: string; name: string; type: GroupType; members: readonly string[] }): Result<true>;
  systemWrite(groupID: string, key: string, delta: bigint): Result<unknown>;
  /** Writes pending state now. */
  flush(): Promise<void>;
  /** Stops the simulator, logs every client out and flushes; idempotent. */
  close(): Promise<void>;
}

const defaultLog: LogFn = (level, message) => console[level](`[local chat] ${message}`);

/** Opens the local service, loading (or seeding, or recovering) its state. Never throws on a bad file. */
export async function openLocalService(options: LocalServiceOptions = {}): Promise<LocalService> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? defaultLog;
  const courier = new Courier(clock, options.latencyMs ?? 0);
  const loaded = await loadState({ dataDir: options.dataDir, seed: options.seed ?? 'demo', clock, log });
  const writer = new StateWriter(loaded.file, clock, () => encodeState(loaded.groups.values()), log);
  if (loaded.unsaved) writer.changed();
  return new Service(clock, courier, log, loaded.groups, loaded.recovered, writer, options.random ?? Math.random);
}

class Service implements LocalService, ServicePort, SimulatorHost {
  readonly simulator: Simulator;
  private readonly clients = new Set<ClientLink>();
  private closing: Promise<void> | null = null;

  constructor(
    readonly clock: Clock,
    readonly courier: Courier,
    readonly log: LogFn,
    private readonly groups: Map<string, GroupRecord>,
    readonly recovered: Recovery | null,
    private readonly writer: StateWriter,
    random: () => number,
  ) {
    const liveRooms = [...groups.values()].filter((group) => group.type === 'AVChatRoom').map((group) => group.groupID);
    this.simulator = new Simulator(this, clock, random, log, liveRooms);
  }

  createClient(options: { unlimitedAVChatRoom?: boolean } = {}): LocalChatClient {
    if (this.closing !== null) throw new Error('The local service is closed: open a new one.');
    const client = new LocalClient(this, options.unlimitedAVChatRoom === true);
    this.clients.add(client);
    return client;
  }

  counters(groupID: string): ReadonlyMap<string, bigint> {
    const group = this.groups.get(groupID);
    if (group === undefined) throw new Error(`The local service has no group "${groupID}".`);
    return new Map(group.counters);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  signIn(client: ClientLink, userID: string): Result<true> {
    if (this.closing !== null) return fail(ErrorCode.CORE_CLOSED, 'The local service is closed.');
    for (const other of this.clients) {
      if (other !== client && other.userID === userID) other.endByService('multipleAccount');
    }
    return ok(true);
  }

  forget(client: ClientLink): void {
    this.clients.delete(client);
  }

  groupList(userID: string): Result<{ groupList: ChatGroup[] }> {
    return ok({ groupList: groupsOf(this.groups, userID) });
  }

  joinGroup(
    userID: string,
    groupID: string,
    unlimitedAVChatRoom: boolean,
  ): Result<{ status: JoinStatus; group: ChatGroup }> {
    const joined = joinGroup(this.groups, userID, groupID, unlimitedAVChatRoom);
    if (!joined.ok) return joined;
    if (joined.value.changed) this.writer.changed();
    return ok({ status: joined.value.status, group: joined.value.group });
  }

  getCounters(
    userID: string,
    groupID: string,
    keyList: readonly string[] | undefined,
  ): Result<{ counters: CounterMap; groupCounterSeq: number }> {
    const found = findGroup(this.groups, groupID, userID);
    if (!found.ok) return found;
    return ok({ counters: readCounters(found.value, keyList), groupCounterSeq: found.value.seq });
  }

  write(userID: string, groupID: string, write: CounterWrite): Result<{ counters: CounterMap }> {
    return this.apply(userID, groupID, write);
  }

  hasGroup(groupID: string): boolean {
    return this.groups.has(groupID);
  }

  createGroup({ groupID, name, type, members }: { groupID: string; name: string; type: GroupType; members: readonly string[] }): Result<true> {
    const checked = validateGroupID(groupID);
    if (!checked.ok) return checked;
    if (this.groups.has(groupID)) return fail(ErrorCode.INVALID_GROUP_ID, `A group "${groupID}" already exists.`);
    this.groups.set(groupID, { groupID, name, type, members: new Set(members), counters: new Map(), seq: 0 });
    this.writer.changed();
    return ok(true);
  }

  counterValue(groupID: string, key: string): bigint | undefined {
    return this.groups.get(groupID)?.counters.get(key);
  }

  systemWrite(groupID: string, key: string, delta: bigint): Result<unknown> {
    return this.apply(null, groupID, { kind: 'increase', key, value: delta });
  }

  /** Checks and applies a write by a user (or the system, `null`), then sends its events. */
  private apply(userID: string | null, groupID: string, write: CounterWrite): Result<{ counters: CounterMap }> {
    const found = findGroup(this.groups, groupID, userID);
    if (!found.ok) return found;
    const group = found.value;
    const planned = planWrite(group, write);
    if (!planned.ok) return planned;
    const groupCounterSeq = commitWrite(group, planned.value);
    this.writer.changed();
    // Every signed-in member hears it, the writer included; the client drops it if its link is down.
    for (const client of this.clients) {
      if (client.userID === null || !group.members.has(client.userID)) continue;
      for (const [key, value] of planned.value) client.receive({ groupID, key, value, groupCounterSeq });
    }
    return ok({ counters: Object.fromEntries(planned.value) });
  }

  private async shutDown(): Promise<void> {
    this.simulator.dispose();
    for (const client of this.clients) {
      if (client.userID !== null) client.endByService(null);
    }
    await this.writer.flush().catch(() => undefined); // the writer logged it
  }
}
