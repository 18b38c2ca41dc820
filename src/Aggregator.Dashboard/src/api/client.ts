// The one way the dashboard talks to the API: a client generated from openapi/aggregator.v1.json (openapi-typescript
// types, openapi-fetch calls), with the session's key added to every request when one is set.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { apiKey } from './key';

export type Schemas = components['schemas'];

export const client = createClient<paths>({ baseUrl: window.location.origin });

const withKey: Middleware = {
  onRequest({ request }) {
    const key = apiKey.get();
    if (key) request.headers.set('X-Api-Key', key);
    return request;
  },
};
client.use(withKey);

/** A refusal of the API: its status and problem details (title, detail). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: { title?: string | null; detail?: string | null } | undefined) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

/**
 * The JSON body of a successful answer. Operations that also offer CSV declare their 200 as JSON or text/csv, so the
 * generated type of `data` is a union with string; the dashboard always asks for JSON, and this is the one place that
 * says so. (When the contract moves CSV to sibling paths, the union goes away and this is a plain check.)
 */
export function json<T>(result: { data?: T; error?: unknown; response: Response }): Exclude<T, string> {
  const { data, error, response } = result;
  if (!response.ok || data === undefined) {
    throw new ApiError(response.status, error as ApiError['problem']);
  }
  if (typeof data === 'string') {
    throw new ApiError(response.status, { title: `Expected JSON from ${response.url}, got ${response.headers.get('content-type')}` });
  }
  return data as Exclude<T, string>;
}
