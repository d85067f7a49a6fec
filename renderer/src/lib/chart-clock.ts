import type { InjectionKey, Ref } from 'vue';

/** The live chart's clock, ticking once a second: the time its chips' rates are worked out at. */
export const CHART_CLOCK: InjectionKey<Readonly<Ref<number>>> = Symbol('chart clock');
