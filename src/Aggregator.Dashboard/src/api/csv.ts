// CSV downloads: the API's own CSV for the same query as a chart. The contract moves CSV to sibling paths
// (/api/v1/rollups.csv); until a contract has them, the query asks for format=csv on the JSON path.
import { apiKey } from './key';

declare const __CSV_PATHS__: string[];
const siblingCsv = new Set<string>(__CSV_PATHS__);

export type Query = Record<string, string | number | boolean | (string | number)[] | undefined | null>;

export function search(query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  return params.toString();
}

/** The address of the CSV for a JSON path and its query, with Chinese headers (labels=zh). */
export function csvHref(path: string, query: Query): string {
  const withLabels = { ...query, labels: 'zh' };
  return siblingCsv.has(`${path}.csv`)
    ? `${path}.csv?${search(withLabels)}`
    : `${path}?${search({ ...withLabels, format: 'csv' })}`;
}

/**
 * A download link. Without a key it is a plain link; with one (reads need a key) the click fetches the CSV with the
 * key in its header and saves it, since a link cannot carry a header.
 */
export function csvLink(path: string, query: Query, fileName: string): HTMLAnchorElement {
  const link = document.createElement('a');
  link.className = 'csv';
  link.textContent = '下载 CSV';
  link.href = csvHref(path, query);
  link.download = fileName;
  link.addEventListener('click', async (event) => {
    const key = apiKey.get();
    if (!key) return;
    event.preventDefault();
    const response = await fetch(link.href, { headers: { 'X-Api-Key': key } });
    if (!response.ok) {
      link.title = `下载失败：HTTP ${response.status}`;
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const save = document.createElement('a');
    save.href = url;
    save.download = fileName;
    save.click();
    URL.revokeObjectURL(url);
  });
  return link;
}
