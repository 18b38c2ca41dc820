// 报告: one agency's report for a year — the template's tables as published (either edition), its findings, and its
// revisions with the cells each correction changed.
import { client, json, type Schemas } from '../api/client';
import { dateTime, h, message, number, numberCell, section } from '../dom';
import { link } from '../router';
import { sectorNames } from '../sectors';
import {
  appealBlocks, appealFields, applicants, applicationRows, cellLabel, cellsOf, narrative, proactiveTable, valueAt, type Edition,
} from '../template';
import { findingCells, ruleName } from './quality';

type Revision = Schemas['RevisionResponse'];

export async function reportView(root: HTMLElement, agencyCode: string, year: number, revisionParameter: string | null): Promise<void> {
  const revision = revisionParameter ? Number(revisionParameter) : undefined;
  const [report, agency, revisions, sectors] = await Promise.all([
    client.GET('/api/v1/agencies/{code}/reports/{year}', { params: { path: { code: agencyCode, year }, query: { revision } } }).then(json),
    client.GET('/api/v1/agencies/{code}', { params: { path: { code: agencyCode } } }).then(json),
    client.GET('/api/v1/agencies/{code}/reports/{year}/revisions', { params: { path: { code: agencyCode, year } } }).then(json),
    sectorNames(),
  ]);
  const diffs = await Promise.all(revisions.filter((r) => r.revision > 1).map((r) =>
    client.GET('/api/v1/agencies/{code}/reports/{year}/revisions/{revision}/diff', {
      params: { path: { code: agencyCode, year, revision: r.revision } },
    }).then(json)));
  const edition = report.edition as Edition;
  const findingCellPaths = new Set(report.findings.flatMap((f) => cellsOf(f.rule, f.path, edition)));

  root.replaceChildren(h('div', { className: 'page-head' },
    h('nav', { className: 'trail' }, link(`/region/${agency.divisionCode}`, `区划 ${agency.divisionCode}`), ' › ',
      link(`/quality/${agency.divisionCode}?year=${year}`, '报告质量')),
    h('h1', { 'data-testid': 'report-title' }, `${agency.name} ${year} 年政府信息公开工作年度报告`),
    h('dl', { className: 'facts' },
      fact('机关代码', agency.code), fact('区划', agency.divisionCode), fact('行业', sectors.get(agency.sector) ?? agency.sector),
      fact('模板版本', `${edition} 版`), fact('修订', `第 ${report.revision} 版（共 ${revisions.length} 版）`),
      fact('提交时间', dateTime(report.submittedAt)), fact('内容哈希', report.contentHash.slice(0, 12)))));

  root.append(section(`勾稽关系检查（${report.findings.length}）`, report.findings.length
    ? h('ul', { className: 'findings', 'data-testid': 'findings' }, ...report.findings.map((f) =>
        h('li', { 'data-rule': f.rule, 'data-path': f.path, title: f.message }, ruleName(f.rule), ' ', f.severity === 'info' ? '（提示）' : '（警告）',
          findingCells(f, report))))
    : message('本报告符合模板的勾稽关系。')));

  root.append(section('二、主动公开政府信息情况', proactive(report, edition, findingCellPaths)));
  root.append(section('三、收到和处理政府信息公开申请情况', h('div', { className: 'scroll' }, applicationsTable(report, edition, findingCellPaths))));
  root.append(section('四、政府信息公开行政复议、行政诉讼情况', h('div', { className: 'scroll' }, appealsTable(report, findingCellPaths))));
  for (const part of narrative) {
    const text = valueAt(report.document, part.key);
    if (typeof text === 'string' && text.trim()) root.append(section(part.label, h('div', { className: 'narrative' }, text)));
  }
  root.append(section(`修订记录（${revisions.length}）`, revisionsTable(agencyCode, year, report, revisions, diffs)));
}

function fact(term: string, value: string): HTMLElement {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value));
}

function cell(report: Revision, path: string, marked: Set<string>): HTMLTableCellElement {
  const value = valueAt(report.document, path);
  const td = numberCell(typeof value === 'number' ? value : null, { 'data-path': path });
  if (marked.has(path)) td.classList.add('finding');
  return td;
}

function proactive(report: Revision, edition: Edition, marked: Set<string>): HTMLElement {
  const table = proactiveTable(edition);
  const used = table.columns.filter((c) => table.rows.some((r) => r.fields.includes(c.key)));
  return h('div', { className: 'scroll' }, h('table', { className: 'data template', 'data-table': 'proactive' },
    h('thead', {}, h('tr', {}, h('th', {}, '信息内容'), ...used.map((c) => h('th', { className: 'num' }, c.label)))),
    h('tbody', {}, ...table.rows.map((row) => h('tr', {}, h('th', { scope: 'row' }, row.label),
      ...used.map((c) => (row.fields.includes(c.key) ? cell(report, `proactive.${row.key}.${c.key}`, marked) : h('td', { className: 'na' }, '—'))))))));
}

function applicationsTable(report: Revision, edition: Edition, marked: Set<string>): HTMLElement {
  return h('table', { className: 'data template', 'data-table': 'applications' },
    h('thead', {},
      h('tr', {}, h('th', { rowspan: 2 }, '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'),
        h('th', { colspan: 7, className: 'center' }, '申请人情况')),
      h('tr', {}, ...applicants.map((a) => h('th', { className: 'num' }, a.label)))),
    h('tbody', {}, ...applicationRows(edition).map((row) =>
      h('tr', {}, h('th', { scope: 'row', className: `indent${row.indent ?? 0}` }, row.key === 'granted' ? ['三、本年度办理结果 ', row.label].join('') : row.label),
        ...applicants.map((a) => cell(report, `applications.${row.key}.${a.key}`, marked))))));
}

function appealsTable(report: Revision, marked: Set<string>): HTMLElement {
  return h('table', { className: 'data template', 'data-table': 'appeals' },
    h('thead', {},
      h('tr', {}, ...appealBlocks.map((b) => h('th', { colspan: 5, className: 'center' }, b.label))),
      h('tr', {}, ...appealBlocks.flatMap(() => appealFields.map((f) => h('th', { className: 'num' }, f.label))))),
    h('tbody', {}, h('tr', {}, ...appealBlocks.flatMap((b) => appealFields.map((f) => cell(report, `appeals.${b.key}.${f.key}`, marked))))));
}

function shownChange(value: unknown): string {
  if (value === null || value === undefined) return '空白';
  if (typeof value === 'number') return number(value);
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function revisionsTable(agency: string, year: number, shown: Revision, revisions: Schemas['RevisionSummary'][], diffs: Schemas['RevisionDiff'][]): HTMLElement {
  const kind: Record<string, string> = { changed: '修改', added: '新增', removed: '删除' };
  const body = h('tbody');
  for (const r of revisions) {
    const diff = diffs.find((d) => d.revision === r.revision);
    const edition = r.edition as Edition;
    body.append(h('tr', { 'data-revision': r.revision, className: r.revision === shown.revision ? 'shown' : '' },
      h('td', {}, r.revision === shown.revision ? h('strong', {}, `第 ${r.revision} 版`) : link(`/report/${agency}/${year}?revision=${r.revision}`, `第 ${r.revision} 版`)),
      h('td', {}, dateTime(r.submittedAt)), h('td', {}, `${r.edition} 版`), h('td', { className: 'num' }, number(r.findingCount)),
      h('td', {}, r.current ? '当前' : ''),
      h('td', {}, diff
        ? (diff.changes.length
            ? h('ul', { className: 'changes' }, ...diff.changes.map((c) => h('li', { 'data-change': c.path },
                `${kind[c.kind] ?? c.kind} ${cellLabel(c.path, edition)}：`, h('s', {}, shownChange(c.from)), ' → ', h('b', {}, shownChange(c.to)))))
            : '与上一版相同')
        : '首次报送')));
  }
  return h('div', { className: 'scroll' }, h('table', { className: 'data', 'data-table': 'revisions' },
    h('thead', {}, h('tr', {}, ...['修订', '提交时间', '模板版本', '勾稽问题', '', '本版修改的单元格（与上一版相比）'].map((t) => h('th', {}, t)))), body));
}
