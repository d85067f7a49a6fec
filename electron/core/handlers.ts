import { checkCounterCapacity } from '../../shared/validation';
import { CountdeckError } from '../../shared/errors';
import type { BudgetSnapshot, CounterValues, GroupSummary } from '../../shared/types';
import type { ChatGroup, ChatLike } from './chat/chat-like';
import type { Clock } from './clock';
import type { ReadLedger } from './ledger/read-ledger';
import type { WriteLedger } from './ledger/write-ledger';
import type { Handlers } from './router';
import type { Session } from './session/session';

export interface HandlerDeps {
  chat: ChatLike;
  clock: Clock;
  session: Session;
  reads: ReadLedger;
  writes: WriteLedger;
  budget: () => BudgetSnapshot;
}

const toDecimal = (counters: ReadonlyMap<string, bigint>): CounterValues =>
  Object.fromEntries([...counters].map(([key, value]) => [key, value.toString()]));

const toSummary = ({ groupID, name, type, memberCount }: ChatGroup): GroupSummary => ({ groupID, name, type, memberCount });

/** The core's answer to each call of the contract, over the session and the two ledgers. */
export function createHandlers({ chat, clock, session, reads, writes, budget }: HandlerDeps): Handlers {
  /** Refuses early, without spending budget, a write that would give a group it holds in full a 21st key. */
  const checkCapacity = (groupID: string, keys: Iterable<string>): void => {
    if (!session.counters.isFresh(groupID, clock.now())) return;
    const capacity = checkCounterCapacity(session.counters.values(groupID).keys(), keys);
    if (!capacity.ok) throw CountdeckError.from(capacity.error);
  };

  return {
    getSession: async () => session.snapshot(),
    listGroups: async () => (await chat.getGroupList()).data.groupList.map(toSummary),
    joinGroup: async (groupID) => toSummary((await chat.joinGroup({ groupID })).data.group),
    getCounters: async ({ groupID, keyList }) => {
      const { counters, source } = await reads.read(groupID, keyList);
      return { groupID, counters: toDecimal(counters), source };
    },
    setCounters: async ({ groupID, counters }) => {
      checkCapacity(groupID, counters.keys());
      return { groupID, counters: toDecimal(await writes.set(groupID, counters)) };
    },
    increaseCounter: async ({ groupID, key, value }) => {
      checkCapacity(groupID, [key]);
      return { groupID, counters: toDecimal(await writes.change(groupID, key, value)) };
    },
    decreaseCounter: async ({ groupID, key, value }) => {
      checkCapacity(groupID, [key]);
      return { groupID, counters: toDecimal(await writes.change(groupID, key, -value)) };
    },
    getBudget: async () => budget(),
  };
}
