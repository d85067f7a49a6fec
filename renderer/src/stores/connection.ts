import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ErrorInfo } from '../../../shared/errors';
import type { ConnectionInfo, ConnectTencentRequest, RenewSignInRequest } from '../../../shared/types';
import { countdeck } from '../services/countdeck';

/** Which service is in use, the remembered account, and switching between them. */
export const useConnectionStore = defineStore('connection', () => {
  const info = ref<ConnectionInfo | null>(null);
  const busy = ref(false);

  async function load(): Promise<void> {
    info.value = await countdeck().getConnection();
  }

  /** Runs a switch; resolves with its error, or null once it succeeded. */
  async function run(action: () => Promise<unknown>): Promise<ErrorInfo | null> {
    busy.value = true;
    try {
      await action();
      return null;
    } catch (error) {
      return error as ErrorInfo;
    } finally {
      busy.value = false;
      await load().catch(() => {});
    }
  }

  return {
    info,
    busy,
    load,
    connect: (request: ConnectTencentRequest) => run(() => countdeck().connectTencent(request)),
    renew: (request: RenewSignInRequest) => run(() => countdeck().renewSignIn(request)),
    useEmbedded: () => run(() => countdeck().useEmbedded()),
    forget: () => run(() => countdeck().forgetAccount()),
  };
});
