import { ErrorCode } from '../../../shared/errors';
import type { GroupType } from '../../../shared/types';
import type { GroupRecord } from '../chat/local/group-state';
import type { LoadedState, ServiceStateStore } from '../chat/local/service-state';
import type { Logger } from '../logger';
import type { Database } from './database';
import { readLegacyState } from './legacy-state';

/** The meta row that says the service's first state was stored, and where it came from. */
const ORIGIN = 'service_origin';

/**
 * The embedded service's state in Countdeck's database: groups, members, counters and sequence
 * numbers, each change one transaction. A new database takes the state file of the release before
 * it, once, and leaves that file where it is as a backup. If storing the first state failed (a
 * full disk at first start), the next change stores it first, in the same transaction.
 */
export class SqliteServiceState implements ServiceStateStore {
  private unsavedFirst: { groups: ReadonlyMap<string, GroupRecord>; origin: string } | null = null;

  constructor(
    private readonly database: Database,
    private readonly legacyFile: string | null,
    private readonly log: Logger,
  ) {}

  load(): LoadedState {
    if (this.database.statement('SELECT value FROM meta WHERE name = ?').get(ORIGIN) !== undefined) return { groups: this.stored(), notice: null };
    if (this.legacyFile === null) return { groups: null, notice: null };
    const legacy = readLegacyState(this.legacyFile);
    if (legacy.kind === 'absent') return { groups: null, notice: null };
    if (legacy.kind === 'unreadable') {
      const message = `The counters saved by the earlier version of Countdeck could not be read: ${this.legacyFile}: ${legacy.reason}. The file was left where it is; the embedded service started from the demo data.`;
      this.log.error(message);
      return { groups: null, notice: { code: ErrorCode.STATE_FILE_UNREADABLE, message } };
    }
    const message = `The counters saved by the earlier version of Countdeck were imported from ${this.legacyFile}; that file was kept as a backup.`;
    this.log.info(message);
    try {
      this.saveFirst(legacy.groups, `imported ${this.legacyFile}`);
    } catch (error) {
      this.log.error(`Storing the imported counters failed (${(error as Error).message}); the next change stores them.`);
    }
    return { groups: legacy.groups, notice: { code: ErrorCode.STATE_FILE_IMPORTED, message } };
  }

  private stored(): Map<string, GroupRecord> {
    const groups = new Map<string, GroupRecord>();
    const rows = this.database.statement('SELECT group_id, name, type, counter_seq FROM service_group ORDER BY rowid').all() as {
      group_id: string;
      name: string;
      type: GroupType;
      counter_seq: bigint;
    }[];
    for (const row of rows) {
      groups.set(row.group_id, { groupID: row.group_id, name: row.name, type: row.type, members: new Set(), counters: new Map(), seq: Number(row.counter_seq) });
    }
    for (const { group_id, user_id } of this.database.statement('SELECT group_id, user_id FROM service_member ORDER BY rowid').all() as { group_id: string; user_id: string }[]) {
      groups.get(group_id)?.members.add(user_id);
    }
    for (const { group_id, key, value } of this.database.statement('SELECT group_id, key, value FROM service_counter ORDER BY rowid').all() as {
      group_id: string;
      key: string;
      value: bigint;
    }[]) {
      groups.get(group_id)?.counters.set(key, value);
    }
    return groups;
  }

  saveFirst(groups: ReadonlyMap<string, GroupRecord>, origin: string): void {
    this.unsavedFirst = { groups, origin };
    this.write(() => {});
  }

  saveCounters(groupID: string, values: ReadonlyMap<string, bigint>, seq: number): void {
    this.write(() => {
      const upsert = this.database.statement(
        'INSERT INTO service_counter (group_id, key, value) VALUES (?, ?, ?) ON CONFLICT (group_id, key) DO UPDATE SET value = excluded.value',
      );
      for (const [key, value] of values) upsert.run(groupID, key, value);
      this.database.statement('UPDATE service_group SET counter_seq = ? WHERE group_id = ?').run(seq, groupID);
    });
  }

  saveMembership(userID: string, joined: string, left: readonly string[]): void {
    this.write(() => {
      const leave = this.database.statement('DELETE FROM service_member WHERE group_id = ? AND user_id = ?');
      for (const groupID of left) leave.run(groupID, userID);
      this.database.statement('INSERT OR IGNORE INTO service_member (group_id, user_id) VALUES (?, ?)').run(joined, userID);
    });
  }

  saveGroup(group: GroupRecord): void {
    this.write(() => this.insertGroup(group));
  }

  private write(work: () => void): void {
    const first = this.unsavedFirst;
    this.database.write(() => {
      if (first !== null) {
        for (const group of first.groups.values()) this.insertGroup(group);
        this.database.statement('INSERT INTO meta (name, value) VALUES (?, ?)').run(ORIGIN, first.origin);
      }
      work();
    });
    this.unsavedFirst = null;
  }

  private insertGroup(group: GroupRecord): void {
    this.database.statement('INSERT INTO service_group (group_id, name, type, counter_seq) VALUES (?, ?, ?, ?)').run(group.groupID, group.name, group.type, group.seq);
    const member = this.database.statement('INSERT INTO service_member (group_id, user_id) VALUES (?, ?)');
    for (const userID of group.members) member.run(group.groupID, userID);
    const counter = this.database.statement('INSERT INTO service_counter (group_id, key, value) VALUES (?, ?, ?)');
    for (const [key, value] of group.counters) counter.run(group.groupID, key, value);
  }
}
