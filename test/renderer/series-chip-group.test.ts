// @vitest-environment happy-dom
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import SeriesChipGroup, { type SeriesChip } from '../../renderer/src/components/SeriesChipGroup.vue';
import { CHART_CLOCK } from '../../renderer/src/lib/chart-clock';
import { seriesID, useSeriesStore } from '../../renderer/src/stores/series';
import { freshPinia, mountWithApp } from './support/mount';

const ROOM = 'live-room';
const T0 = 1_700_000_000_000;

let wrapper: VueWrapper | undefined;

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

/** A group of two chips over a store whose likes rose by 60 and viewers by 6 in the minute before T0. */
function mountGroup() {
  const pinia = freshPinia();
  const series = useSeriesStore();
  series.ingest({
    seq: 1,
    updates: [
      { groupID: ROOM, key: 'likes', value: '100', previous: '99', at: T0 - 60_000 },
      { groupID: ROOM, key: 'viewers', value: '10', previous: '9', at: T0 - 60_000 },
      { groupID: ROOM, key: 'likes', value: '160', previous: '100', at: T0 },
      { groupID: ROOM, key: 'viewers', value: '16', previous: '10', at: T0 },
    ],
  });
  series.togglePlotted(seriesID(ROOM, 'likes'));
  const chips: SeriesChip[] = ['likes', 'viewers'].map((key, i) => ({
    id: seriesID(ROOM, key),
    groupID: ROOM,
    key,
    color: ['#123456', '#654321'][i]!,
    plotted: key === 'likes',
  }));
  const now = ref(T0);
  wrapper = mountWithApp(SeriesChipGroup, {
    pinia,
    props: { groupName: 'Live Room', chips, rateLabel: (rate: number) => `${rate}/min` },
    global: { provide: { [CHART_CLOCK as symbol]: now } },
  });
  return { wrapper, series, now };
}

const rates = (root: VueWrapper): string[] => root.findAll('.chip-rate').map((rate) => rate.text());

/** What the browser dispatches when a content-visibility: auto element starts or stops being skipped. */
function visibility(skipped: boolean): Event {
  return Object.assign(new Event('contentvisibilityautostatechange'), { skipped });
}

describe('SeriesChipGroup', () => {
  it('names each series with its group and rate per minute, and shows which are plotted', () => {
    const { wrapper } = mountGroup();
    expect(wrapper.get('.chip-group').attributes('aria-label')).toBe('Live Room');
    expect(wrapper.findAll('.chip').map((chip) => [chip.attributes('data-series'), chip.attributes('aria-pressed')])).toEqual([
      ['live-room/likes', 'true'],
      ['live-room/viewers', 'false'],
    ]);
    expect(wrapper.findAll('.chip-group-name').map((name) => name.text())).toEqual(['Live Room', 'Live Room']);
    expect(rates(wrapper)).toEqual(['60/min', '6/min']);
  });

  it('plots or hides a series when its chip is pressed', async () => {
    const { wrapper, series } = mountGroup();
    await wrapper.findAll('.chip')[1]!.trigger('click');
    expect(series.plotted).toEqual([seriesID(ROOM, 'likes'), seriesID(ROOM, 'viewers')]);
  });

  it('works its rates out on the chart’s clock while on screen, and keeps the last ones while the browser skips it', async () => {
    const { wrapper, now } = mountGroup();
    // A minute on, with no new points: nothing moved in the last minute.
    now.value = T0 + 60_000;
    await nextTick();
    expect(rates(wrapper)).toEqual(['0/min', '0/min']);
    wrapper.get('.chip-group').element.dispatchEvent(visibility(true));
    now.value = T0;
    await nextTick();
    expect(rates(wrapper)).toEqual(['0/min', '0/min']);
    wrapper.get('.chip-group').element.dispatchEvent(visibility(false));
    await nextTick();
    expect(rates(wrapper)).toEqual(['60/min', '6/min']);
  });
});
