import type { Database } from '../store/database';

/** The name of a series in memory: its service, group and key. */
export const seriesKey = (source: string, groupID: string, key: string): string => `${source}\u0000${groupID}\u0000${key}`;

/** The stored id of every series, by `seriesKey`; new ones are created inside the write that first needs them. */
export class SeriesIDs {
  private readonly ids = new Map<string, number>();

  constructor(private readonly database: Database) {
    const rows = database.statement('SELECT id, source, group_id, key FROM series').all() as { id: bigint; source: string; group_id: string; key: string }[];
    for (const row of rows) this.ids.set(seriesKey(row.source, row.group_id, row.key), Number(row.id));
  }

  get(key: string): number | undefined {
    return this.ids.get(key);
  }

  all(): IterableIterator<number> {
    return this.ids.values();
  }

  /** Every series, by name and id. */
  entries(): IterableIterator<[string, number]> {
    return this.ids.entries();
  }

  /** The id of a series, created if need be (and noted in `created`, to forget if the write fails); inside a write. */
  getOrCreate(key: string, created: string[]): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const [source, groupID, name] = key.split('\u0000') as [string, string, string];
    const row = this.database.statement('INSERT INTO series (source, group_id, key) VALUES (?, ?, ?) RETURNING id').get(source, groupID, name) as { id: bigint };
    this.ids.set(key, Number(row.id));
    created.push(key);
    return Number(row.id);
  }

  /** Forgets series whose creation was rolled back. */
  forget(keys: readonly string[]): void {
    for (const key of keys) this.ids.delete(key);
  }
}
