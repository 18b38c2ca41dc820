// The API key for scoped reads (Aggregator:RequireKeyForReads). Kept in this browser tab's session only: never in
// localStorage, a cookie or the address, so it is gone when the tab closes.
const storageKey = 'aggregator.dashboard.apiKey';

export const apiKey = {
  get: (): string | null => sessionStorage.getItem(storageKey),
  set: (key: string) => sessionStorage.setItem(storageKey, key.trim()),
  clear: () => sessionStorage.removeItem(storageKey),
};
