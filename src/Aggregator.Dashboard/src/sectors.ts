// Sector names (交通运输, 公安 …) for the codes agencies are registered under, read once from the API.
import { client, json } from './api/client';

let names: Promise<Map<string, string>> | undefined;

export function sectorNames(): Promise<Map<string, string>> {
  names ??= client.GET('/api/v1/sectors').then(json).then((list) => new Map(list.map((s) => [s.code, s.name])))
    .catch((error) => { names = undefined; throw error; });
  return names;
}
