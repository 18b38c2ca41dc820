// 报告质量: agencies ranked by the consistency findings (R1–R6) of their reports' current revisions, and each
// finding with its rule, the cells it reads and their values, linking to the report.
import { client, json, type Schemas } from '../api/client';
import { csvLink } from '../api/csv';
import { chart } from '../charts';
import { h, message, number, section } from '../dom';
import { loadRegion, prefixFromCode } from '../regions';
import { link } from '../router';
import { cellLabel, cellsOf, rules, valueAt, type Edition } from '../template';
import { scopeBar, yearsWithReports } from './scope';

type Listed = Schemas['ReportFindings'];

/** At most this many pages of 1,000 reports are walked; the findings table shows at most maxRows findings. */
const maxPages = 10;
const maxRows = 500;

async function reportsWithFindings(division: string | undefined, year: number | undefined): Promise<{ items: Listed[]; complete: boolean }> {
  // One walk of GET /findings by cursor (each page costs the same at any depth): the reports with their findings
  // and the cells each rule reads, so no report is fetched on its own.
  const items: Listed[] = [];
  let cursor: string | undefined;
  for (let page = 1; page <= maxPages; page++) {
    const answer = json(await client.GET('/api/v1/findings', { params: { query: { division, year, pageSize: 1000, cursor } } }));
    items.push(...answer.items);
    if (!answer.next) return { items, complete: true };
    cursor = answer.next;
  }
  return { items, complete: false };
}

export async function qualityView(root: HTMLElement, code: string | null, yearParameter: string | null): Promise<void> {
  const prefix = prefixFromCode(code);
  const year = yearParameter ? Number(yearParameter) : undefined;
  const [region, years, listed] = await Promise.all([loadRegion(code), yearsWithReports(prefix), reportsWithFindings(prefix, year)]);
  root.replaceChildren(scopeBar('quality', '报告质量', region, years.map((y) => y.year), year ?? null, true));

  const agencies = new Map<string, { name: string; findings: number; reports: Listed[] }>();
  for (const report of listed.items) {
    const agency = agencies.get(report.agency) ?? { name: report.agencyName, findings: 0, reports: [] };
    agency.findings += report.findings.length;
    agency.reports.push(report);
    agencies.set(report.agency, agency);
  }
  const ranked = [...agencies.entries()].sort((a, b) => b[1].findings - a[1].findings || a[0].localeCompare(b[0]));
  const query = { division: prefix, year };
  const top = ranked.slice(0, 20);
  const box = h('div', { className: 'chart', 'data-chart': 'findings-ranking', style: `height:${Math.max(200, 28 * top.length + 60)}px` });
  const table = h('table', { className: 'data', 'data-table': 'ranking' },
    h('thead', {}, h('tr', {}, h('th', {}, '排名'), h('th', {}, '机关'), h('th', { className: 'num' }, '勾稽问题数'), h('th', {}, '报告'))),
    h('tbody', {}, ...ranked.map(([agencyCode, a], i) => h('tr', { 'data-agency': agencyCode },
      h('td', { className: 'num' }, i + 1), h('td', {}, a.name),
      h('td', { className: 'num', 'data-findings': agencyCode }, number(a.findings)),
      h('td', {}, ...a.reports.map((r) => link(`/report/${r.agency}/${r.year}`, `${r.year}年（${r.findings.length}）`, { className: 'pill' })))))));
  root.append(section(`机关排名 · 按勾稽问题数${year ? ` · ${year}年度` : ''}`,
    h('p', { className: 'note' }, '各报告当前修订版本的勾稽关系检查结果（R1–R6），不改动已公开的数字。',
      listed.complete ? '' : h('strong', {}, `只列出前 ${listed.items.length} 份报告。`),
      csvLink('/api/v1/findings', query, 'findings.csv')),
    ranked.length ? box : message('该范围内没有存在勾稽问题的报告。'),
    ranked.length ? h('div', { className: 'scroll' }, table) : ''));
  if (ranked.length) {
    const bars = [...top].reverse();
    chart(box, {
      grid: { left: 16, right: 40, top: 16, bottom: 24, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: bars.map(([, a]) => a.name) },
      series: [{ type: 'bar', name: '勾稽问题数', label: { show: true, position: 'right' }, data: bars.map(([, a]) => a.findings) }],
    });
  }

  // The findings themselves, reports with the most first, each with the cells its rule reads.
  const worst = [...listed.items].sort((a, b) => b.findings.length - a.findings.length || a.agency.localeCompare(b.agency));
  const rows = worst.flatMap((report) => report.findings.map((finding) => findingRow(report, finding)));
  if (rows.length) {
    root.append(section(`勾稽问题明细${rows.length > maxRows ? `（问题最多的报告，前 ${maxRows} 条）` : ''}`,
      h('div', { className: 'scroll' }, h('table', { className: 'data', 'data-table': 'findings' },
        h('thead', {}, h('tr', {}, ...['机关', '年度', '规则', '单元格与数值', '说明', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...rows.slice(0, maxRows))))));
  }
}

/** The cells a finding's rule reads, each with its label and value (blank shown as 空白), the finding's own cell marked. */
export function cellList(cells: { path: string; value?: number | null }[], at: string, edition: Edition): HTMLElement {
  const list = h('ul', { className: 'cells' });
  for (const { path, value } of cells) {
    const blank = value === null || value === undefined;
    list.append(h('li', { 'data-cell': path, className: path === at ? 'at' : '' },
      `${cellLabel(path, edition)}：`, h('b', { className: blank ? 'blank' : '' }, blank ? '空白' : number(value))));
  }
  return list;
}

export function findingCells(finding: Schemas['Finding'], report: Schemas['RevisionResponse']): HTMLElement {
  const edition = report.edition as Edition;
  const cells = cellsOf(finding.rule, finding.path, edition).map((path) => ({ path, value: valueAt(report.document, path) as number | null }));
  return cellList(cells, finding.path, edition);
}

export function ruleName(rule: string): HTMLElement {
  const known = rules[rule];
  return h('span', { className: `rule ${rule}`, title: known?.check ?? '' }, `${rule} ${known?.name ?? ''}`);
}

function findingRow(report: Listed, finding: Schemas['ListedFinding']): HTMLElement {
  return h('tr', { 'data-finding': `${report.agency}/${report.year}/${finding.rule}/${finding.path}` },
    h('td', {}, report.agencyName), h('td', {}, `${report.year}年`), h('td', {}, ruleName(finding.rule)),
    h('td', {}, cellList(finding.cells, finding.path, report.edition as Edition)),
    h('td', { className: 'message-text', title: finding.message }, rules[finding.rule]?.check ?? finding.message),
    h('td', {}, link(`/report/${report.agency}/${report.year}`, '查看报告')));
}
