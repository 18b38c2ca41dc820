// The division tree as the dashboard walks it: country → province → prefecture → county, each with the query
// prefix that selects it and the dimension its children are grouped by.
import { client, json, type Schemas } from './api/client';

export type Grouping = 'province' | 'prefecture' | 'county' | 'agency';

export interface Region {
  code: string | null; // null: the whole country
  name: string;
  level: 'country' | 'province' | 'prefecture' | 'county';
  prefix: string | undefined; // the division filter of queries: 2, 4 or 6 digits
  childGrouping: Grouping;
  children: Schemas['DivisionSummary'][];
  trail: { code: string | null; name: string }[]; // from the country down to the region itself
}

export const groupingLabel: Record<Grouping, string> = { province: '省份', prefecture: '地市', county: '县区', agency: '机关' };

/** The query prefix of a 6-digit division: 650000 → 65, 654200 → 6542, 654202 → 654202. */
export function prefixOf(code: string, level: string): string {
  return level === 'province' ? code.slice(0, 2) : level === 'prefecture' ? code.slice(0, 4) : code;
}

/** The same from the code alone: XX0000 is a province, XXYY00 a prefecture, anything else a county. */
export function prefixFromCode(code: string | null): string | undefined {
  if (!code) return undefined;
  return code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
}

export async function loadRegion(code: string | null): Promise<Region> {
  if (!code) {
    // The division list has no root to ask for: the provinces are those the rollups know (agencies registered there).
    const provinces = json(await client.GET('/api/v1/rollups', {
      params: { query: { metric: ['proactive.penalty.decisions'], groupBy: ['province'] } },
    }));
    const children = provinces.rows.filter((r) => r.province)
      .map((r) => ({ code: r.province!, name: r.provinceName ?? r.province!, level: 'province' }))
      .sort((a, b) => a.code.localeCompare(b.code));
    return { code: null, name: '全国', level: 'country', prefix: undefined, childGrouping: 'province', children, trail: [{ code: null, name: '全国' }] };
  }
  const division = json(await client.GET('/api/v1/divisions/{code}', { params: { path: { code } } }));
  const level = division.level as Region['level'];
  const trail: Region['trail'] = [{ code: null, name: '全国' }];
  if (division.parent) {
    if (division.parent.level === 'prefecture') {
      const province = json(await client.GET('/api/v1/divisions/{code}', { params: { path: { code: `${code.slice(0, 2)}0000` } } }));
      trail.push({ code: province.code, name: province.name });
    }
    trail.push({ code: division.parent.code, name: division.parent.name });
  }
  trail.push({ code: division.code, name: division.name });
  const childGrouping: Grouping =
    level === 'county' ? 'agency' : level === 'prefecture' ? 'county' : division.children.some((c) => c.level === 'prefecture') ? 'prefecture' : 'county';
  return { code, name: division.name, level, prefix: prefixOf(code, level), childGrouping, children: division.children, trail };
}

/** The key and name of a rollup or completeness row for a grouping. */
export function rowKey(row: Partial<Record<string, unknown>>, grouping: Grouping): { key: string; name: string } {
  const key = String(row[grouping] ?? '');
  return { key, name: String(row[`${grouping}Name`] ?? key) };
}
