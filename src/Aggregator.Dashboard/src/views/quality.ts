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

type Summary = Schemas['ReportSummary'];

/** Reports whose findings are shown one by one (each is one request); the ranking counts every report. */
const detailed = 12;
const maxPages = 10;

async function reportsWithFindings(division: string | undefined, year: number | undefined): Promise<{ items: Summary[]; complete: boolean }> {
  // Walked by cursor (each page costs the same at any depth), at most maxPages pages of 1,000.
  const items: Summary[] = [];
  let cursor: string | undefined;
  for (let page = 1; page <= maxPages; page++) {
    const answer = json(await client.GET('/api/v1/reports', { params: { query: { division, year, hasFindings: true, pageSize: 1000, cursor } } }));
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

  const agencies = new Map<string, { name: string; findings: number; reports: Summary[] }>();
  for (const report of listed.items) {
    const agency = agencies.get(report.agency) ?? { name: report.agencyName, findings: 0, reports: [] };
    agency.findings += report.findingCount;
    agency.reports.push(report);
    agencies.set(report.agency, agency);
  }
  const ranked = [...agencies.entries()].sort((a, b) => b[1].findings - a[1].findings || a[0].localeCompare(b[0]));
  const query = { division: prefix, year, hasFindings: true };
  const top = ranked.slice(0, 20);
  const box = h('div', { className: 'chart', 'data-chart': 'findings-ranking', style: `height:${Math.max(200, 28 * top.length + 60)}px` });
  const table = h('table', { className: 'data', 'data-table': 'ranking' },
    h('thead', {}, h('tr', {}, h('th', {}, '排名'), h('th', {}, '机关'), h('th', { className: 'num' }, '勾稽问题数'), h('th', {}, '报告'))),
    h('tbody', {}, ...ranked.map(([agencyCode, a], i) => h('tr', { 'data-agency': agencyCode },
      h('td', { className: 'num' }, i + 1), h('td', {}, a.name),
      h('td', { className: 'num', 'data-findings': agencyCode }, number(a.findings)),
      h('td', {}, ...a.reports.map((r) => link(`/report/${r.agency}/${r.year}`, `${r.year}年（${r.findingCount}）`, { className: 'pill' })))))));
  root.append(section(`机关排名 · 按勾稽问题数${year ? ` · ${year}年度` : ''}`,
    h('p', { className: 'note' }, '各报告当前修订版本的勾稽关系检查结果（R1–R6），不改动已公开的数字。',
      listed.complete ? '' : h('strong', {}, `只列出前 ${listed.items.length} 份报告。`),
      csvLink('/api/v1/reports', query, 'reports-with-findings.csv')),
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

  // The findings themselves, of the reports with the most.
  const worst = [...listed.items].sort((a, b) => b.findingCount - a.findingCount || a.agency.localeCompare(b.agency)).slice(0, detailed);
  const reports = await Promise.all(worst.map(async (s) => ({
    summary: s,
    report: json(await client.GET('/api/v1/agencies/{code}/reports/{year}', { params: { path: { code: s.agency, year: s.year } } })),
  })));
  const list = h('tbody');
  for (const { summary, report } of reports) {
    for (const finding of report.findings) list.append(findingRow(summary, report, finding));
  }
  if (reports.length) {
    root.append(section(`勾稽问题明细${listed.items.length > detailed ? `（问题最多的 ${detailed} 份报告）` : ''}`,
      h('div', { className: 'scroll' }, h('table', { className: 'data', 'data-table': 'findings' },
        h('thead', {}, h('tr', {}, ...['机关', '年度', '规则', '单元格与数值', '说明', ''].map((t) => h('th', {}, t)))), list))));
  }
}

export function findingCells(finding: Schemas['Finding'], report: Schemas['RevisionResponse']): HTMLElement {
  const edition = report.edition as Edition;
  const cells = h('ul', { className: 'cells' });
  for (const path of cellsOf(finding.rule, finding.path, edition)) {
    const value = valueAt(report.document, path);
    cells.append(h('li', { 'data-cell': path, className: path === finding.path ? 'at' : '' },
      `${cellLabel(path, edition)}：`, h('b', { className: value === null ? 'blank' : '' }, value === null ? '空白' : number(value as number))));
  }
  return cells;
}

export function ruleName(rule: string): HTMLElement {
  const known = rules[rule];
  return h('span', { className: `rule ${rule}`, title: known?.check ?? '' }, `${rule} ${known?.name ?? ''}`);
}

function findingRow(summary: Summary, report: Schemas['RevisionResponse'], finding: Schemas['Finding']): HTMLElement {
  return h('tr', { 'data-finding': `${summary.agency}/${summary.year}/${finding.rule}/${finding.path}` },
    h('td', {}, summary.agencyName), h('td', {}, `${summary.year}年`), h('td', {}, ruleName(finding.rule)),
    h('td', {}, findingCells(finding, report)), h('td', { className: 'message-text', title: finding.message }, rules[finding.rule]?.check ?? finding.message),
    h('td', {}, link(`/report/${summary.agency}/${summary.year}`, '查看报告')));
}
