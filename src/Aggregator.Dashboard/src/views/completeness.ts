// 报送情况: for a year, who has reported, who is missing, who was late, and the reporting rate per child region
// (ranked bars: no maintained npm package ships approved boundaries, see README).
import { client, json, type Schemas } from '../api/client';
import { csvLink } from '../api/csv';
import { chart } from '../charts';
import { dateTime, h, message, number, rate, section } from '../dom';
import { groupingLabel, loadRegion, prefixFromCode, rowKey } from '../regions';
import { link } from '../router';
import { sectorNames } from '../sectors';
import { defaultYear, scopeBar, yearsWithReports } from './scope';

type Group = Schemas['CompletenessGroup'];

export async function completenessView(root: HTMLElement, code: string | null, yearParameter: string | null): Promise<void> {
  const [region, scopedYears] = await Promise.all([loadRegion(code), yearsWithReports(prefixFromCode(code))]);
  const year = yearParameter ? Number(yearParameter) : defaultYear(scopedYears);
  const grouping = region.childGrouping === 'agency' ? 'county' : region.childGrouping;
  const query = { year, division: region.prefix, groupBy: [grouping] };
  const [answer, sectors] = await Promise.all([client.GET('/api/v1/completeness', { params: { query } }).then(json), sectorNames()]);
  const groups = answer.groups;
  const total = (f: (g: Group) => number) => groups.reduce((s, g) => s + f(g), 0);
  const expected = total((g) => g.expected), submitted = total((g) => g.submitted);

  root.replaceChildren(scopeBar('completeness', '报送情况', region, scopedYears.map((y) => y.year), year));
  root.append(h('div', { className: 'kpis', 'data-testid': 'completeness-kpis' },
    kpi('应报机关', number(expected), 'expected'),
    kpi('已报送', number(submitted), 'submitted'),
    kpi('报送率', expected ? rate(submitted / expected) : '', 'rate'),
    kpi('未报送', number(total((g) => g.missing.length)), 'missing'),
    kpi('逾期报送', number(total((g) => g.late.length)), 'late'),
    kpi('有勾稽问题', number(total((g) => g.withFindings.length)), 'findings')));

  const ranked = [...groups].sort((a, b) => (b.reportingRate ?? -1) - (a.reportingRate ?? -1));
  const box = h('div', { className: 'chart', 'data-chart': 'reporting-rate', style: `height:${Math.max(220, 28 * ranked.length + 60)}px` });
  const table = h('table', { className: 'data', 'data-table': 'completeness' },
    h('thead', {}, h('tr', {}, ...[groupingLabel[grouping], '应报', '已报', '报送率', '未报', '逾期', '有勾稽问题']
      .map((t, i) => h('th', { className: i ? 'num' : '' }, t)))));
  const body = h('tbody');
  for (const g of ranked) {
    const { key, name } = rowKey(g, grouping);
    body.append(h('tr', { 'data-group': key }, h('th', { scope: 'row' }, link(`/completeness/${key}?year=${year}`, name)),
      h('td', { className: 'num' }, number(g.expected)), h('td', { className: 'num' }, number(g.submitted)),
      h('td', { className: 'num' }, rate(g.reportingRate)), h('td', { className: 'num' }, number(g.missing.length)),
      h('td', { className: 'num' }, number(g.late.length)), h('td', { className: 'num' }, number(g.withFindings.length))));
  }
  table.append(body);
  root.append(section(`报送率 · 按${groupingLabel[grouping]}排序`,
    h('p', { className: 'note' }, `${year} 年度报告；应报为当年在册且存续的机关。`, csvLink('/api/v1/completeness', query, `completeness-${year}.csv`)),
    groups.length ? box : message('该区划没有登记的机关。'), h('div', { className: 'scroll' }, table)));
  if (groups.length) {
    const bars = [...ranked].reverse();
    chart(box, {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '') },
      grid: { left: 16, right: 48, top: 16, bottom: 24, containLabel: true },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: bars.map((g) => rowKey(g, grouping).name) },
      series: [{
        type: 'bar', name: '报送率', label: { show: true, position: 'right', formatter: '{c}%' },
        data: bars.map((g) => (g.reportingRate === null || g.reportingRate === undefined ? null : Math.round(g.reportingRate * 1000) / 10)),
      }],
    });
  }

  const missing = groups.flatMap((g) => g.missing);
  root.append(section(`未报送（${missing.length}）`, missing.length
    ? h('table', { className: 'data', 'data-table': 'missing' },
        h('thead', {}, h('tr', {}, h('th', {}, '机关'), h('th', {}, '机关代码'), h('th', {}, '区划代码'), h('th', {}, '行业'))),
        h('tbody', {}, ...missing.map((a) => h('tr', { 'data-missing': a.code },
          h('td', {}, a.name), h('td', {}, h('code', {}, a.code)), h('td', {}, a.divisionCode), h('td', {}, sectors.get(a.sector) ?? a.sector)))))
    : message('应报机关均已报送。')));

  const late = groups.flatMap((g) => g.late);
  root.append(section(`逾期报送（${late.length}）`, late.length
    ? h('table', { className: 'data', 'data-table': 'late' },
        h('thead', {}, h('tr', {}, h('th', {}, '机关'), h('th', {}, '法定期限'), h('th', {}, '首次报送'), h('th', { className: 'num' }, '逾期天数'))),
        h('tbody', {}, ...late.map((l) => h('tr', { 'data-late': l.code },
          h('td', {}, link(`/report/${l.code}/${year}`, l.name)), h('td', {}, dateTime(l.deadline)), h('td', {}, dateTime(l.submittedAt)),
          h('td', { className: 'num' }, number(Math.ceil((Date.parse(l.submittedAt) - Date.parse(l.deadline)) / 86_400_000)))))))
    : message('没有逾期报送的机关。')));
}

function kpi(label: string, value: string, name: string): HTMLElement {
  return h('div', { className: 'kpi', 'data-kpi': name }, h('span', { className: 'kpi-value' }, value), h('span', { className: 'kpi-label' }, label));
}
