import { CountdeckError } from '../../shared/errors';
import type { MethodsOf } from '../../shared/ipc-contract';
import type { Result } from '../../shared/result';
import type { BudgetSnapshot, CounterValues, GroupSummary } from '../../shared/types';
import { checkCounterCapacity, checkExact } from '../../shared/validation';
import type { ChatGroup } from './chat/chat-like';
import type { Clock } from './clock';
import type { Connection } from './connection';
import type { Handlers } from './router';


export interface CounterHandlerDeps {
  clock: Clock;
  /** The connection in use at the time of the call. */
  connection: () => Connection;
  budget: () => BudgetSnapshot;
  /** When each key of a group last changed, from the history. */
  lastUpdates: (groupID: string, keys: Iterable<string>) => Record<string, number>;
  /** A group's counters were read. */
  seen: (groupID: string, counters: ReadonlyMap<string, bigint>) => void;
}

const toDecimal = (counters: ReadonlyMap<string, bigint>): CounterValues =>
  Object.fromEntries([...counters].map(([key, value]) => [key, value.toString()]));

const toSummary = ({ groupID, name, type, memberCount }: ChatGroup): GroupSummary => ({ groupID, name, type, memberCount });

function orThrow<T>(result: Result<T>): T {
  if (!result.ok) throw CountdeckError.from(result.error);
  return result.value;
}

/** The core's answer to each counter call of the contract, over the connection in use. */
export function createCounterHandlers({ clock, connection, budget, lastUpdates, seen }: CounterHandlerDeps): Pick<Handlers, MethodsOf<'counters'>> {
  /**
   * Reads a group once before its first write or right after joining it: the SDK caches a group's
   * counters from the first call on it, and a cache started by a write (then fed only by notices)
   * would answer later reads with just the keys written since.
   */
  const firstReads = new Map<string, Promise<void>>();
  const readFirst = (groupID: string): Promise<void> => {
    const { id, session, reads } = connection();
    const slot = `${id}\u0000${groupID}`;
    let read = firstReads.get(slot);
    if (read === undefined) {
      if (!session.isReady || session.counters.hasSnapshot(groupID)) return Promise.resolve();
      // One read per group, awaited by every write that arrives meanwhile: they queue in the order they came.
      read = reads.fetchFresh(groupID).then(
        () => {},
        () => {},
      );
      firstReads.set(slot, read);
    }
    return read;
  };

  /**
   * Queues a write once the group has been read, refusing early, without spending budget, what the
   * service would refuse anyway. The capacity check and the queueing happen in one step, so writes
   * arriving together are judged one after another, each seeing the keys the earlier ones will add.
   */
  const write = async <T>(groupID: string, values: ReadonlyMap<string, bigint>, enqueue: (connection: Connection) => Promise<T>): Promise<T> => {
    if (connection().backend.exactNumbersOnly) for (const value of values.values()) orThrow(checkExact(value));
    await readFirst(groupID);
    const current = connection();
    if (current.session.counters.isFresh(groupID, clock.now())) {
      const known = [...current.session.counters.values(groupID).keys(), ...current.writes.pendingKeys(groupID)];
      orThrow(checkCounterCapacity(known, values.keys()));
    }
    return enqueue(current);
  };

  return {
    getSession: async () => connection().session.snapshot(),
    listGroups: async () => (await connection().backend.client.getGroupList()).data.groupList.map(toSummary),
    joinGroup: async (groupID) => {
      const joined = await connection().backend.client.joinGroup({ groupID });
      await readFirst(groupID);
      return toSummary(joined.data.group);
    },
    getCounters: async ({ groupID, keyList }) => {
      const { counters, inexact, source } = await connection().reads.read(groupID, keyList);
      seen(groupID, counters);
      const reply = { groupID, counters: toDecimal(counters), source, updatedAt: lastUpdates(groupID, counters.keys()) };
      return inexact.length === 0 ? reply : { ...reply, inexact };
    },
    setCounters: async ({ groupID, counters }) => ({
      groupID,
      counters: toDecimal(await write(groupID, counters, ({ writes }) => writes.set(groupID, counters))),
    }),
    increaseCounter: async ({ groupID, key, value }) => ({
      groupID,
      counters: toDecimal(await write(groupID, new Map([[key, value]]), ({ writes }) => writes.change(groupID, key, value))),
    }),
    decreaseCounter: async ({ groupID, key, value }) => ({
      groupID,
      counters: toDecimal(await write(groupID, new Map([[key, value]]), ({ writes }) => writes.change(groupID, key, -value))),
    }),
    getBudget: async () => budget(),
    getPendingChanges: async () => connection().writes.unconfirmed(),
  };
}
