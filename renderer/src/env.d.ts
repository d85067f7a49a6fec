/// <reference types="vite/client" />
import type { CountersApi } from '../../shared/counters-api';

declare global {
  interface Window {
    /** The main process's API, exposed by the preload. */
    countdeck: CountersApi;
  }
}

