import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { CountersApi, Unsubscribe } from '../shared/counters-api';
import { ErrorCode } from '../shared/errors';
import { API_EVENTS, API_METHODS, eventChannel, methodChannel } from '../shared/ipc-contract';
import { fail } from '../shared/result';
import type { Dispatch } from './core/router';

/** Decides whether an IPC message comes from the app's own page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Registers every call of the contract on `ipcMain` with one generic handler; returns the undo. */
export function bindIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatch: Dispatch, isTrusted: SenderCheck): Unsubscribe {
  for (const method of API_METHODS) {
    ipcMain.handle(methodChannel(method), (event, payload: unknown) =>
      isTrusted(event)
        ? dispatch(method, payload)
        : fail(ErrorCode.NO_PERMISSION, 'This page may not talk to Countdeck.'),
    );
  }
  return () => API_METHODS.forEach((method) => ipcMain.removeHandler(methodChannel(method)));
}

/** Sends every event of the API to the app's windows; returns the undo. */
export function forwardEvents(api: CountersApi, targets: () => readonly WebContents[]): Unsubscribe {
  const stops = API_EVENTS.map((name) =>
    api[name]((payload: unknown) => {
      for (const target of targets()) if (!target.isDestroyed()) target.send(eventChannel(name), payload);
    }),
  );
  return () => stops.forEach((stop) => stop());
}
