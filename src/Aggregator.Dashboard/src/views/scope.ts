// The scope of the completeness and quality pages: a region of the division tree and a report year.
import { client, json } from '../api/client';
import { h } from '../dom';
import type { Region } from '../regions';
import { link, navigate } from '../router';

/** Report years 2019 … last year with how many reports each has in the region (from a rollup by year). */
export async function yearsWithReports(prefix: string | undefined): Promise<{ year: number; reports: number }[]> {
  const answer = json(await client.GET('/api/v1/rollups', {
    params: { query: { metric: ['proactive.penalty.decisions'], groupBy: ['year'], division: prefix } },
  }));
  return answer.rows.map((r) => ({ year: r.year!, reports: r.reports })).sort((a, b) => a.year - b.year);
}

/** The latest year with a report in the region, else the latest year. */
export function defaultYear(years: { year: number; reports: number }[]): number {
  const withReports = years.filter((y) => y.reports > 0);
  return (withReports.at(-1) ?? years.at(-1) ?? { year: new Date().getFullYear() - 1 }).year;
}

/** Breadcrumb, child regions and the year picker for a page at /page/<code>?year=. */
export function scopeBar(page: string, title: string, region: Region, years: number[], year: number | null, allYears = false): HTMLElement {
  const at = (code: string | null, y: number | null) => `/${page}/${code ?? ''}${y ? `?year=${y}` : ''}`;
  const trail = h('nav', { className: 'trail', 'aria-label': '区划层级' });
  region.trail.forEach((step, i) => {
    if (i > 0) trail.append(' › ');
    trail.append(i === region.trail.length - 1 ? h('strong', {}, step.name) : link(at(step.code, year), step.name));
  });
  const select = h('select', { 'aria-label': '年度', name: 'year' }) as HTMLSelectElement;
  if (allYears) select.append(h('option', { value: '' }, '全部年度'));
  for (const y of years) select.append(h('option', { value: y, selected: y === year }, `${y}年度`));
  select.addEventListener('change', () => navigate(at(region.code, select.value ? Number(select.value) : null)));
  const chips = h('div', { className: 'chips' });
  for (const child of region.children) chips.append(link(at(child.code, year), child.name));
  return h('div', { className: 'page-head' }, trail,
    h('div', { className: 'title-row' }, h('h1', {}, `${region.name} · ${title}`), h('label', {}, '年度 ', select)),
    region.children.length ? h('details', { className: 'picker' }, h('summary', {}, `下级区划（${region.children.length}）`), chips) : '');
}
