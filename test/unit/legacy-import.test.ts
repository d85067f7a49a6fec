import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/create-core';
import { ErrorCode } from '../../shared/errors';
import { withReadOnly } from '../support/db-inspect';
import { createFakeClock, type FakeClock } from '../support/fake-clock';
import { closeCore, settleWithin, startCore } from '../support/fault-core';

/**
 * Migration from the old state file. test/fixtures/state-v1.json was written by today's release
 * (`<dataDir>/embedded-service/state.json`). A first start on a folder holding it imports it: every
 * group (name, type), member list, counter value (int64 extremes, "__proto__", "constructor", Chinese
 * and emoji keys, in their order) and sequence number is what the file says, in the running service
 * and in the database; the notice is 9036; the file stays, byte for byte. A second start does not
 * import again (the file is changed between starts; the database keeps its own values). The same
 * file with a UTF-8 BOM and CRLF line endings is imported too. A truncated file is left in place,
 * the notice is 9037, and the service starts from the demo data. Expected values come from parsing
 * the fixture here, never from the app's decoder.
 */

const FIXTURE = fileURLToPath(new URL('../fixtures/state-v1.json', import.meta.url));

interface FixtureGroup {
  groupID: string;
  name: string;
  type: string;
  members: string[];
  counters: [string, string][];
  groupCounterSeq: number;
}

/** The fixture, read with JSON.parse only: counters are [key, decimal] pairs, so "__proto__" is plain data. */
const fixtureText = readFileSync(FIXTURE, 'utf8');
const fixture = (JSON.parse(fixtureText) as { version: number; groups: FixtureGroup[] }).groups;

let dataDir: string | null = null;
const cores: [FakeClock, Core][] = [];

afterEach(async () => {
  for (const [clock, core] of cores.splice(0).reverse()) await closeCore(clock, core);
  if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
});

async function folderWithStateFile(contents: string | Buffer): Promise<string> {
  const dir = await mkdtemp('/tmp/countdeck-legacy-');
  dataDir = dir;
  mkdirSync(join(dir, 'embedded-service'));
  const file = join(dir, 'embedded-service', 'state.json');
  writeFileSync(file, contents);
  return file;
}

async function start(): Promise<Core> {
  const clock = createFakeClock();
  const core = await startCore(clock, { dataDir: dataDir! });
  cores.push([clock, core]);
  return core;
}

async function stop(core: Core): Promise<void> {
  const at = cores.findIndex(([, held]) => held === core);
  const [[clock]] = cores.splice(at, 1) as [[FakeClock, Core]];
  expect(await closeCore(clock, core)).toBeNull();
}

/** What the database holds for the embedded service, read with plain SQL. */
function storedState(): { groups: { groupID: string; name: string; type: string; seq: number }[]; members: Map<string, string[]>; counters: Map<string, [string, string][]> } {
  return withReadOnly(join(dataDir!, 'countdeck.db'), (db) => {
    const groups = (db.prepare('SELECT group_id, name, type, counter_seq FROM service_group ORDER BY rowid').all() as { group_id: string; name: string; type: string; counter_seq: number }[]).map(
      (row) => ({ groupID: row.group_id, name: row.name, type: row.type, seq: row.counter_seq }),
    );
    const members = new Map<string, string[]>();
    for (const row of db.prepare('SELECT group_id, user_id FROM service_member ORDER BY rowid').all() as { group_id: string; user_id: string }[]) {
      members.set(row.group_id, [...(members.get(row.group_id) ?? []), row.user_id]);
    }
    const read = db.prepare('SELECT group_id, key, value FROM service_counter ORDER BY rowid');
    read.setReadBigInts(true);
    const counters = new Map<string, [string, string][]>();
    for (const row of read.all() as { group_id: string; key: string; value: bigint }[]) {
      counters.set(row.group_id, [...(counters.get(row.group_id) ?? []), [row.key, row.value.toString()]]);
    }
    return { groups, members, counters };
  });
}

/**
 * The running service's view of a group: its counters, and the sequence number it reports to the
 * operator's session on a fresh read (a sequence of 0 is reported as none).
 */
async function serviceView(core: Core, groupID: string): Promise<{ counters: [string, string][]; seq: number }> {
  const counters = [...core.service.counters(groupID)].map(([key, value]): [string, string] => [key, value.toString()]);
  const read = await core.api.getCounters({ groupID });
  expect(read.source).toBe('service');
  expect(Object.entries(read.counters).sort()).toEqual([...counters].sort());
  return { counters, seq: core.connection.session.counters.sequence(groupID) ?? 0 };
}

/** Every group, member, counter and sequence of the fixture, in the service and in the database. */
async function expectFixtureImported(core: Core): Promise<void> {
  const stored = storedState();
  expect(stored.groups).toEqual(fixture.map(({ groupID, name, type, groupCounterSeq }) => ({ groupID, name, type, seq: groupCounterSeq })));
  for (const group of fixture) {
    expect(stored.members.get(group.groupID) ?? [], `${group.groupID}: members`).toEqual(group.members);
    expect(stored.counters.get(group.groupID) ?? [], `${group.groupID}: stored counters`).toEqual(group.counters);
    // The running service (the operator is in every group of the fixture).
    expect(group.members).toContain('operator');
    const seen = await serviceView(core, group.groupID);
    expect(seen.counters, `${group.groupID}: counters in the service`).toEqual(group.counters);
    expect(seen.seq, `${group.groupID}: sequence`).toBe(group.groupCounterSeq);
  }
  // The operator's group list is the fixture's, names and member counts included.
  const listed = await core.api.listGroups();
  expect(listed.map(({ groupID, name, type, memberCount }) => ({ groupID, name, type, memberCount })).sort((a, b) => a.groupID.localeCompare(b.groupID))).toEqual(
    fixture.map(({ groupID, name, type, members }) => ({ groupID, name, type, memberCount: members.length })).sort((a, b) => a.groupID.localeCompare(b.groupID)),
  );
}

describe('the state file of the earlier release', () => {
  it('is the fixture we think it is: the hard cases are in it', () => {
    const keys = fixture.flatMap((group) => group.counters.map(([key]) => key));
    const values = fixture.flatMap((group) => group.counters.map(([, value]) => value));
    expect(keys).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'emoji 🎉']));
    expect(keys.some((key) => /[\u4e00-\u9fff]/.test(key))).toBe(true);
    expect(values).toEqual(expect.arrayContaining(['9223372036854775807', '-9223372036854775808']));
  });

  it('is imported once, exactly, and left where it is; a second start keeps the database\'s own values', async () => {
    const file = await folderWithStateFile(fixtureText);
    const first = await start();
    const notice = (await first.api.getSession()).notice;
    expect(notice?.code).toBe(ErrorCode.STATE_FILE_IMPORTED);
    expect(notice?.message).toContain(file);
    await expectFixtureImported(first);
    expect(readFileSync(file, 'utf8')).toBe(fixtureText);

    // This run changes a counter; then the old file is edited behind Countdeck's back.
    const clock = cores.at(-1)![0];
    expect(await settleWithin(clock, first.api.setCounters({ groupID: 'fan-club', counters: { badges: '98' } }))).toMatchObject({ state: 'ok' });
    await stop(first);
    const edited = JSON.parse(fixtureText) as { groups: FixtureGroup[] };
    edited.groups[2]!.counters = edited.groups[2]!.counters.map(([key, value]) => [key, key === 'badges' ? '5' : key === '__proto__' ? '999' : value]);
    edited.groups.push({ groupID: 'new-in-file', name: 'New', type: 'Public', members: ['operator'], counters: [['x', '1']], groupCounterSeq: 0 });
    writeFileSync(file, JSON.stringify(edited, null, 2));

    const second = await start();
    expect((await second.api.getSession()).notice).toBeNull();
    const fanClub = second.service.counters('fan-club');
    expect(fanClub.get('badges')).toBe(98n);
    expect(fanClub.get('__proto__')).toBe(1n);
    expect((await second.api.listGroups()).map((group) => group.groupID)).not.toContain('new-in-file');
    expect(storedState().groups.map((group) => group.groupID)).toEqual(fixture.map((group) => group.groupID));
  });

  it('with a UTF-8 byte-order mark and CRLF line endings is imported, not discarded', async () => {
    const text = `\uFEFF${fixtureText.replace(/\r?\n/g, '\r\n')}`;
    const file = await folderWithStateFile(text);
    const core = await start();
    expect((await core.api.getSession()).notice?.code).toBe(ErrorCode.STATE_FILE_IMPORTED);
    await expectFixtureImported(core);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('that is unreadable (truncated JSON) is left in place; 9037; the service starts from the demo data', async () => {
    const truncated = fixtureText.slice(0, Math.floor(fixtureText.length / 2));
    const file = await folderWithStateFile(truncated);
    const core = await start();
    const notice = (await core.api.getSession()).notice;
    expect(notice?.code).toBe(ErrorCode.STATE_FILE_UNREADABLE);
    expect(notice?.message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(truncated);
    // The demo data (electron/core/chat/local/demo-seed.ts), not the file's.
    expect(Object.fromEntries(core.service.counters('live-friday'))).toEqual({ viewers: 1_284n, likes: 53_210n, gifts: 342n });
    expect(core.service.counters('fan-club').get('lifetime_points')).toBe(9_007_199_254_740_993n);
    expect(core.service.counters('fan-club').has('__proto__')).toBe(false);
    expect((await core.api.listGroups()).map((group) => group.groupID)).not.toContain('side-room');
  });
});
