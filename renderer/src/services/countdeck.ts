import type { CountersApi } from '../../../shared/counters-api';
import { CountdeckError, ErrorCode, isErrorInfo } from '../../../shared/errors';
import { API_METHODS } from '../../../shared/ipc-contract';

const clients = new WeakMap<CountersApi, CountersApi>();

/** Whatever a call rejected with, as a CountdeckError (the bridge hands over plain `{ code, message }`). */
export function asCountdeckError(error: unknown): CountdeckError {
  if (error instanceof CountdeckError) return error;
  if (isErrorInfo(error)) return CountdeckError.from(error);
  return new CountdeckError(ErrorCode.INTERNAL, error instanceof Error ? error.message : String(error));
}

function wrap(bridge: CountersApi): CountersApi {
  const client: Record<string, unknown> = { ...bridge };
  for (const method of API_METHODS) {
    const call = bridge[method] as (payload?: unknown) => Promise<unknown>;
    client[method] = (payload?: unknown) => call(payload).catch((error: unknown) => Promise.reject(asCountdeckError(error)));
  }
  return client as unknown as CountersApi;
}

/** The main process's API (`window.countdeck`), its rejections turned into CountdeckError. The only door to it. */
export function countdeck(): CountersApi {
  const bridge = window.countdeck;
  let client = clients.get(bridge);
  if (client === undefined) {
    client = wrap(bridge);
    clients.set(bridge, client);
  }
  return client;
}
