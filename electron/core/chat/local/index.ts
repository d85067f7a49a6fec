/** The embedded "local" Tencent Cloud Chat service: what the rest of the app uses of it. */
export { openLocalService, type LocalService, type LocalServiceOptions } from './local-service';
export type { Fault, LocalChatClient } from './local-client';
export { DEMO_USERS, type SeedKind } from './demo-seed';
export { memoryServiceState, type LoadedState, type ServiceStateStore } from './service-state';
export {
  DEFAULT_LIVE_RATES,
  MAX_RATE,
  type TrafficMetric,
  type TrafficRates,
  type TrafficSimulator,
} from './traffic-simulator';
