// The one way the dashboard talks to the API: a client generated from openapi/aggregator.v1.json (openapi-typescript
// types, openapi-fetch calls), with the session's key added to every request when one is set.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { apiKey } from './key';

export type Schemas = components['schemas'];
export type { paths };

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
 * The body of a successful answer, or an ApiError with the problem the API sent. (Every JSON operation's 200 is
 * application/json only in the contract — CSV has sibling paths — so `data` is exactly the response schema.)
 */
export function json<T>(result: { data?: T; error?: unknown; response: Response }): T {
  const { data, error, response } = result;
  if (!response.ok || data === undefined) {
    throw new ApiError(response.status, error as ApiError['problem']);
  }
  return data;
}
