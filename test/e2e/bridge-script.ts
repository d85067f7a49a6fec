import { API_EVENTS, API_METHODS } from '../../shared/ipc-contract';

/** The page global Playwright's `exposeFunction` defines; the bridge takes it and removes it. */
export const DISPATCH_BINDING = '__countdeckDispatch';
/** The hidden page global the test process calls (via `page.evaluate`) to hand events to listeners. */
export const EMIT_HOOK = '__countdeckEmit';

/**
 * The init script (a string: it runs before any page script, on every document) that defines
 * `window.countdeck` with exactly the shape `createPreloadApi` gives: each call unwraps the core's
 * Result and rejects with the plain `{ code, message }`; each event returns an unsubscribe and
 * hands every listener its own copy of the payload, never anything else.
 */
export function bridgeScript(): string {
  const config = JSON.stringify({ methods: API_METHODS, events: API_EVENTS, dispatch: DISPATCH_BINDING, emit: EMIT_HOOK });
  return `(() => {
  'use strict';
  const config = ${config};
  // exposeFunction ran first, so its binding is here: keep it private, as the preload's ipcRenderer is.
  const dispatch = window[config.dispatch];
  delete window[config.dispatch];
  // Like a preload without nodeIntegrationInSubFrames: the main frame only, once per document.
  if (window !== window.top || Object.prototype.hasOwnProperty.call(window, 'countdeck')) return;
  const registry = new Map(config.events.map((name) => [name, new Set()]));
  const api = {};
  for (const method of config.methods) {
    api[method] = async (payload) => {
      if (typeof dispatch !== 'function') throw { code: -1, message: 'The test bridge to the core is missing: expose it before adding this script.' };
      const result = await dispatch(method, payload);
      if (result.ok) return result.value;
      throw result.error;
    };
  }
  for (const name of config.events) {
    api[name] = (listener) => {
      if (typeof listener !== 'function') throw new TypeError(name + ' needs a listener function.');
      const relay = (payload) => listener(payload);
      registry.get(name).add(relay);
      return () => { registry.get(name).delete(relay); };
    };
  }
  Object.defineProperty(window, 'countdeck', { value: Object.freeze(api), enumerable: true });
  Object.defineProperty(window, config.emit, {
    value: (items) => {
      for (const [name, payload] of items) {
        for (const relay of [...(registry.get(name) ?? [])]) {
          try {
            relay(structuredClone(payload));
          } catch (error) {
            reportError(error);
          }
        }
      }
    },
  });
})();`;
}
