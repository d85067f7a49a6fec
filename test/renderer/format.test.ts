import { describe, expect, it } from 'vitest';
import { formatClock } from '../../renderer/src/lib/format';

describe('formatClock', () => {
  const at = Date.UTC(2026, 10, 23, 9, 30, 15, 200);
  const expected = (time: number, locale: string): string =>
    new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(time);

  it('gives the time to the second in the language asked for, however the calls interleave', () => {
    const times = [at, at + 500, at + 800, at + 1_000, at - 1, at + 60_000, at + 999];
    for (const locale of ['en-US', 'zh-CN', 'en-US']) {
      for (const time of times) expect(formatClock(time, locale)).toBe(expected(time, locale));
    }
  });

  it('gives the same text for every time within one second', () => {
    const second = Math.floor(at / 1_000) * 1_000;
    expect(formatClock(second + 999, 'en-US')).toBe(formatClock(second, 'en-US'));
    expect(formatClock(second + 1_000, 'en-US')).not.toBe(formatClock(second + 999, 'en-US'));
  });
});
