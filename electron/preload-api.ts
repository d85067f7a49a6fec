import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { CountersApi } from '../shared/counters-api';
import { API_EVENTS, API_METHODS, eventChannel, methodChannel } from '../shared/ipc-contract';
import type { Result } from '../shared/result';

/**
 * Builds `window.countdeck` from the contract: each call invokes its channel and unwraps the result
 * (rejecting with the plain `{ code, message }`, which survives the context bridge); each event
 * hands listeners the payload, never the IPC event, and returns an unsubscribe.
 */
export function createPreloadApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): CountersApi {
  const api: Record<string, unknown> = {};
  for (const method of API_METHODS) {
    api[method] = async (payload?: unknown) => {
      const result = (await ipc.invoke(methodChannel(method), payload)) as Result<unknown>;
      if (result.ok) return result.value;
      throw result.error;
    };
  }
  for (const name of API_EVENTS) {
    api[name] = (listener: (payload: unknown) => void) => {
      const relay = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipc.on(eventChannel(name), relay);
      return () => ipc.removeListener(eventChannel(name), relay);
    };
  }
  return api as unknown as CountersApi;
}
