import type { CountersApi } from '../../shared/counters-api';
import { CountdeckError, ErrorCode } from '../../shared/errors';
import { API_METHODS, isApiMethod, type ApiMethod, type ReplyOf } from '../../shared/ipc-contract';
import { parseRequest, type ParsedRequest } from '../../shared/request-schemas';
import { fail, ok, type Result } from '../../shared/result';
import { toErrorInfo } from './error-info';
import type { Logger } from './logger';

/** The core's implementation of each call, taking the argument already validated and parsed. */
export type Handlers = { [M in ApiMethod]: (request: ParsedRequest<M>) => Promise<ReplyOf<M>> };

/** Answers one call from an untrusted caller: always a result, never a throw. */
export type Dispatch = (method: unknown, payload: unknown) => Promise<Result<unknown>>;

/**
 * Binds the contract to the handlers: every argument is validated with the shared schemas before a
 * handler sees it, and every failure becomes a coded error. The IPC binding calls this; so do tests.
 */
export function createDispatch(handlers: Handlers, log: Logger): Dispatch {
  return async (method, payload) => {
    if (!isApiMethod(method)) {
      const name = typeof method === 'string' ? JSON.stringify(method.slice(0, 60)) : `of type ${typeof method}`;
      return fail(ErrorCode.UNKNOWN_METHOD, `There is no call named ${name}.`);
    }
    const request = parseRequest(method, payload);
    if (!request.ok) return request;
    try {
      const handler = handlers[method] as (request: unknown) => Promise<unknown>;
      return ok(await handler(request.value));
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === ErrorCode.INTERNAL) log.error(`${method} failed: ${info.message}`);
      return { ok: false, error: info };
    }
  };
}

/** The calls of `CountersApi` over a dispatch: resolve with the value, reject with a CountdeckError. */
export function callsOverDispatch(dispatch: Dispatch): Pick<CountersApi, ApiMethod> {
  const calls = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (payload?: unknown) => {
        const result = await dispatch(method, payload);
        if (result.ok) return result.value;
        throw CountdeckError.from(result.error);
      },
    ]),
  );
  return calls as unknown as Pick<CountersApi, ApiMethod>;
}
