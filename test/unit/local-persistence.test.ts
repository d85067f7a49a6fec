import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLocalService, STATE_FILE_NAME, type LocalService } from '../../electron/core/chat/local';
import { INT64_MAX, INT64_MIN } from '../../shared/limits';
import { createFakeClock } from '../support/fake-clock';

let dir: string;
let file: string;
const opened: LocalService[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countdeck-local-'));
  file = join(dir, STATE_FILE_NAME);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((service) => service.close()));
  await rm(dir, { recursive: true, force: true });
});

async function open(log: (level: string, message: string) => void = () => undefined): Promise<LocalService> {
  const service = await openLocalService({ dataDir: dir, clock: createFakeClock(), log });
  opened.push(service);
  return service;
}

/** A state file holding one group, with `counters` as stored ([key, decimal] pairs) and fields overridden. */
function stateWith(counters: unknown[][], extra: object = {}): string {
  const group = { groupID: 'g1', name: 'G', type: 'Public', members: ['operator'], counters, groupCounterSeq: 3 };
  return JSON.stringify({ version: 1, groups: [{ ...group, ...extra }] });
}

describe('local service: persistence', () => {
  it('starts a missing state from the demo seed and writes it on flush', async () => {
    const service = await open();
    expect(service.recovered).toBeNull();
    expect(service.counters('live-friday').get('viewers')).toBe(1_284n);
    await service.flush();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.version).toBe(1);
    expect(saved.groups.find((group: { groupID: string }) => group.groupID === 'fan-club').counters).toEqual([
      ['members_total', '4821'],
      ['badges', '97'],
      ['lifetime_points', '9007199254740993'],
    ]);
  });

  it('keeps counters, sequence numbers and memberships across close and reopen', async () => {
    const first = await open();
    const client = first.createClient();
    await client.login({ userID: 'newcomer', userSig: 'sig' });
    await client.joinGroup({ groupID: 'fan-club' });
    const chineseKey = '计'.repeat(42);
    const counters = Object.fromEntries([
      ['max', INT64_MAX],
      ['min', INT64_MIN],
      [chineseKey, 7n],
      ['__proto__', 1n],
    ]);
    await client.setGroupCounters({ groupID: 'fan-club', counters });
    await first.close();

    const second = await open();
    expect(second.recovered).toBeNull();
    expect(second.counters('fan-club').get('max')).toBe(INT64_MAX);
    expect(second.counters('fan-club').get('min')).toBe(INT64_MIN);
    expect(second.counters('fan-club').get(chineseKey)).toBe(7n);
    expect(second.counters('fan-club').get('__proto__')).toBe(1n);
    const again = second.createClient();
    await again.login({ userID: 'newcomer', userSig: 'sig' });
    const { data } = await again.getGroupList();
    expect(data.groupList).toEqual([{ groupID: 'fan-club', name: 'Fan Club', type: 'Public', memberCount: 3 }]);
    await expect(again.getGroupCounters({ groupID: 'fan-club', keyList: ['max'] })).resolves.toMatchObject({
      data: { groupCounterSeq: 1 },
    });
  });

  it('saves about 500 ms after a change, without a flush', async () => {
    const clock = createFakeClock();
    const service = await openLocalService({ dataDir: dir, clock, log: () => undefined });
    opened.push(service);
    await service.flush();
    const client = service.createClient();
    await client.login({ userID: 'operator', userSig: 'sig' });
    await client.increaseGroupCounter({ groupID: 'fan-club', key: 'badges', value: 1n });
    await clock.advance(400);
    await new Promise((resolve) => setTimeout(resolve, 50)); // real time, for a save that should not have started
    expect(await readFile(file, 'utf8')).toMatch(/"badges",\s+"97"/);
    await clock.advance(100);
    await vi.waitFor(async () => expect(await readFile(file, 'utf8')).toMatch(/"badges",\s+"98"/));
  });

  it('writes nothing without a dataDir', async () => {
    const service = await openLocalService({ log: () => undefined });
    const client = service.createClient();
    await client.login({ userID: 'operator', userSig: 'sig' });
    await client.increaseGroupCounter({ groupID: 'fan-club', key: 'badges', value: 1n });
    await service.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('starts empty with the empty seed', async () => {
    const service = await openLocalService({ seed: 'empty', log: () => undefined });
    const client = service.createClient();
    await client.login({ userID: 'operator', userSig: 'sig' });
    await expect(client.getGroupList()).resolves.toEqual({ code: 0, data: { groupList: [] } });
    expect(() => service.counters('live-friday')).toThrow();
    await service.close();
  });
});

describe('local service: a bad state file', () => {
  it('is moved aside, logged, and the service starts from the seed', async () => {
    await writeFile(file, '{ not json');
    const log = vi.fn();
    const service = await open(log);
    expect(service.recovered).not.toBeNull();
    expect(service.recovered?.backupPath).toMatch(/state\.json\.corrupt-/);
    expect(service.recovered?.reason).toMatch(/not valid JSON/);
    expect(await readFile(service.recovered?.backupPath ?? '', 'utf8')).toBe('{ not json');
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('corrupt-'));
    expect(service.counters('live-friday').get('viewers')).toBe(1_284n);
    await service.flush();
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(1);
  });

  it.each([
    ['a 129-byte key', stateWith([['k'.repeat(129), '1']]), /128 bytes/],
    ['a 43-character Chinese key (129 bytes)', stateWith([['计'.repeat(43), '1']]), /128 bytes/],
    ['a value past INT64_MAX', stateWith([['a', '9223372036854775808']]), /64-bit/],
    ['a value past INT64_MIN', stateWith([['a', '-9223372036854775809']]), /64-bit/],
    ['a fractional value', stateWith([['a', '1.5']]), /whole number/],
    ['a numeric value', stateWith([['a', 1]]), /counters/],
    ['the same key twice', stateWith([['a', '1'], ['a', '2']]), /twice/],
    ['21 counters', stateWith(Array.from({ length: 21 }, (_, i) => [`k${i}`, '0'])), /21 counters/],
    ['an unknown group type', stateWith([], { type: 'Moon' }), /type/],
    ['a negative sequence', stateWith([], { groupCounterSeq: -1 }), /groupCounterSeq/],
    ['a topic as a group', stateWith([], { groupID: '@TGS#_c@TOPIC#_t' }), /topic/],
    ['another version', JSON.stringify({ version: 2, groups: [] }), /version/],
    ['a bare array', '[]', /the file/],
  ])('with %s is treated as corrupt', async (_, text, reason) => {
    await writeFile(file, text);
    const service = await open();
    expect(service.recovered?.reason).toMatch(reason);
    expect(service.counters('fan-club').get('badges')).toBe(97n);
  });

  it('with the same group twice is treated as corrupt', async () => {
    const group = JSON.parse(stateWith([])).groups[0];
    await writeFile(file, JSON.stringify({ version: 1, groups: [group, group] }));
    expect((await open()).recovered?.reason).toMatch(/twice/);
  });

  it('that cannot be read (a folder in its place) is moved aside too', async () => {
    await mkdir(file);
    const service = await open();
    expect(service.recovered?.reason).toMatch(/could not be read/);
    await service.flush();
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(1);
  });

  it('accepts a valid file as it is', async () => {
    await writeFile(file, stateWith([['a', '-9223372036854775808'], ['b', '9223372036854775807']]));
    const service = await open();
    expect(service.recovered).toBeNull();
    expect(service.counters('g1')).toEqual(new Map([['a', INT64_MIN], ['b', INT64_MAX]]));
  });
});
