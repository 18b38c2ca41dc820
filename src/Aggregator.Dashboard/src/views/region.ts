// 地区概览: penalty decisions by child region and year; complaint-type applications not processed over time;
// applications received vs granted, with the change on the year before. Blank is shown as blank.
import { client, json, type paths, type Schemas } from '../api/client';
import { csvLink, type Query } from '../api/csv';
import { chart } from '../charts';
import { change, h, number, numberCell, rate, section } from '../dom';
import { groupingLabel, loadRegion, prefixFromCode, rowKey, type Grouping, type Region } from '../regions';
import { link, navigate } from '../router';

type Row = Schemas['RollupRow'];

const penalty = 'proactive.penalty.decisions';
const complaints = 'applications.notProcessed.petitionComplaint';
const received = 'applications.newlyReceived';
const granted = 'applications.granted';

/**
 * The value a row shows for a metric: null when no report carries it, or when every cell that went into the sum was
 * blank (the API sums blanks as 0 and counts them in `blanks`).
 */
export function shown(row: Row, metric: string): number | null {
  const value = row.values[metric];
  if (value === null || value === undefined) return null;
  return (row.blanks[metric] ?? 0) >= row.reports ? null : value;
}

type RollupQuery = NonNullable<paths['/api/v1/rollups']['get']['parameters']['query']>;

async function rollup(query: RollupQuery): Promise<Schemas['RollupResponse']> {
  return json(await client.GET('/api/v1/rollups', { params: { query } }));
}

export async function regionView(root: HTMLElement, code: string | null): Promise<void> {
  // The series by year need only the region's prefix, so they are asked for at once beside the division; the penalty
  // decisions by child region wait for the division, which says what its children are.
  const scope = { division: prefixFromCode(code) };
  const complaintQuery: RollupQuery = { metric: [complaints], groupBy: ['year'], compare: 'previousYear', ...scope };
  const applicationsQuery: RollupQuery = { metric: [received, granted], groupBy: ['year'], compare: 'previousYear', ...scope };
  const series = Promise.all([rollup(complaintQuery), rollup(applicationsQuery)]);
  series.catch(() => {}); // awaited below; a failure is reported there
  // The child level is known from the code except for a province (prefectures, or counties for a municipality).
  const digits = scope.division?.length;
  const known: Grouping | undefined = digits === undefined ? 'province' : digits === 4 ? 'county' : digits === 6 ? 'agency' : undefined;
  const penaltyQueryOf = (grouping: Grouping): RollupQuery => ({ metric: [penalty], groupBy: [grouping, 'year'], ...scope });
  const early = known ? rollup(penaltyQueryOf(known)) : undefined;
  early?.catch(() => {});
  const region = await loadRegion(code);
  const penaltyQuery = penaltyQueryOf(region.childGrouping);
  const [penalties, [complaintRows, applicationRows]] = await Promise.all([
    early && known === region.childGrouping ? early : rollup(penaltyQuery), series]);

  root.replaceChildren(
    header(region),
    picker(region),
  );
  renderPenalties(root, region, penalties.rows, penaltyQuery);
  renderComplaints(root, complaintRows.rows, complaintQuery);
  renderApplications(root, applicationRows.rows, applicationsQuery);
  performance.mark('region-rendered');
}

function header(region: Region): HTMLElement {
  const trail = h('nav', { className: 'trail', 'aria-label': '区划层级' });
  region.trail.forEach((step, i) => {
    if (i > 0) trail.append(' › ');
    trail.append(i === region.trail.length - 1 ? h('strong', {}, step.name) : link(`/region/${step.code ?? ''}`, step.name));
  });
  return h('div', { className: 'page-head' }, trail, h('h1', { 'data-testid': 'region-name' }, `${region.name} · 地区概览`));
}

function picker(region: Region): HTMLElement | string {
  if (region.children.length === 0) return '';
  const list = h('div', { className: 'chips' });
  for (const child of region.children) list.append(link(`/region/${child.code}`, child.name));
  return h('details', { className: 'picker', open: region.level !== 'county' }, h('summary', {}, `下级区划（${region.children.length}）`), list);
}

function renderPenalties(root: HTMLElement, region: Region, rows: Row[], query: Query): void {
  const years = [...new Set(rows.map((r) => r.year!))].sort();
  const groups = new Map<string, { name: string; byYear: Map<number, Row> }>();
  for (const row of rows) {
    const { key, name } = rowKey(row, region.childGrouping);
    if (!groups.has(key)) groups.set(key, { name, byYear: new Map() });
    groups.get(key)!.byYear.set(row.year!, row);
  }
  const keys = [...groups.keys()].sort();
  const box = h('div', { className: 'chart', 'data-chart': 'penalties' });
  const table = h('table', { className: 'data', 'data-table': 'penalties' },
    h('thead', {}, h('tr', {}, h('th', {}, groupingLabel[region.childGrouping]), ...years.map((y) => h('th', { className: 'num' }, `${y}年`)))));
  const body = h('tbody');
  for (const key of keys) {
    const group = groups.get(key)!;
    const name = region.childGrouping === 'agency' ? h('span', {}, group.name) : link(`/region/${key}`, group.name);
    body.append(h('tr', {}, h('th', { scope: 'row' }, name),
      ...years.map((y) => {
        const row = group.byYear.get(y);
        const value = row ? shown(row, penalty) : null;
        const cell = numberCell(value, { 'data-region': key, 'data-year': y });
        if (row && row.reports < row.expected) cell.title = `${cell.title ? cell.title + '；' : ''}报送 ${row.reports}/${row.expected}（${rate(row.reportingRate)}）`;
        return cell;
      })));
  }
  table.append(body);
  root.append(section(`行政处罚决定数 · 按${groupingLabel[region.childGrouping]}和年度`,
    h('p', { className: 'note' }, '空白格表示未填报或无报告，不计为零。', csvLink('/api/v1/rollups', query, 'penalty-decisions.csv')),
    box, h('div', { className: 'scroll' }, table)));
  chart(box, {
    legend: { top: 0 },
    xAxis: { type: 'category', data: keys.map((k) => groups.get(k)!.name), axisLabel: { interval: 0, rotate: keys.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', name: '件' },
    series: years.map((y) => ({
      name: `${y}年`, type: 'bar',
      data: keys.map((k) => { const row = groups.get(k)!.byYear.get(y); return row ? shown(row, penalty) : null; }),
    })),
  }).on('click', (event) => {
    const key = keys[event.dataIndex as number];
    if (region.childGrouping !== 'agency' && key) navigate(`/region/${key}`);
  });
}

function yearTable(name: string, rows: Row[], metrics: { code: string; label: string }[]): HTMLTableElement {
  const table = h('table', { className: 'data', 'data-table': name },
    h('thead', {}, h('tr', {}, h('th', {}, '年度'),
      ...metrics.flatMap((m) => [h('th', { className: 'num' }, m.label), h('th', { className: 'num' }, '同比变化')]),
      h('th', { className: 'num' }, '报送/应报'))));
  const body = h('tbody');
  for (const row of [...rows].sort((a, b) => a.year! - b.year!)) {
    body.append(h('tr', {}, h('th', { scope: 'row' }, `${row.year}年`),
      ...metrics.flatMap((m) => {
        const delta = row.change?.[m.code];
        return [
          numberCell(shown(row, m.code), { 'data-year': row.year!, 'data-metric': m.code }),
          h('td', { className: delta === null || delta === undefined ? 'num blank' : 'num', 'data-year': row.year!, 'data-change': m.code }, change(delta)),
        ];
      }),
      h('td', { className: 'num' }, `${number(row.reports)}/${number(row.expected)}`)));
  }
  table.append(body);
  return table;
}

function renderComplaints(root: HTMLElement, rows: Row[], query: Query): void {
  const sorted = [...rows].sort((a, b) => a.year! - b.year!);
  const box = h('div', { className: 'chart small', 'data-chart': 'complaints' });
  root.append(section('不予处理 · 信访举报投诉类申请 · 历年',
    h('p', { className: 'note' }, csvLink('/api/v1/rollups', query, 'petition-complaint.csv')),
    box, h('div', { className: 'scroll' }, yearTable('complaints', rows, [{ code: complaints, label: '信访举报投诉类申请' }]))));
  chart(box, {
    xAxis: { type: 'category', data: sorted.map((r) => `${r.year}年`) },
    yAxis: { type: 'value', name: '件' },
    series: [{ name: '信访举报投诉类申请', type: 'line', connectNulls: false, symbolSize: 8, data: sorted.map((r) => shown(r, complaints)) }],
  });
}

function renderApplications(root: HTMLElement, rows: Row[], query: Query): void {
  const sorted = [...rows].sort((a, b) => a.year! - b.year!);
  const box = h('div', { className: 'chart small', 'data-chart': 'applications' });
  root.append(section('政府信息公开申请 · 新收与予以公开 · 同比',
    h('p', { className: 'note' }, csvLink('/api/v1/rollups', query, 'applications-received-granted.csv')),
    box, h('div', { className: 'scroll' }, yearTable('applications', rows, [
      { code: received, label: '本年新收申请' },
      { code: granted, label: '予以公开' },
    ]))));
  chart(box, {
    legend: { top: 0 },
    xAxis: { type: 'category', data: sorted.map((r) => `${r.year}年`) },
    yAxis: { type: 'value', name: '件' },
    series: [
      { name: '本年新收申请', type: 'bar', data: sorted.map((r) => shown(r, received)) },
      { name: '予以公开', type: 'bar', data: sorted.map((r) => shown(r, granted)) },
    ],
  });
}
