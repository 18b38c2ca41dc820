// The national template's tables (国办公开办函〔2019〕60号 and 〔2021〕30号), as published: rows, columns and labels.
// The report page draws a document through these; the paths are the document's (and the metric catalogue's).

export type Edition = '2019' | '2021';

export interface Column { key: string; label: string }
export interface Row { key: string; label: string; indent?: number }

/** Part 二 of an edition: rows × columns; a column a row does not have is drawn as a struck-out cell. */
export interface ProactiveTable { columns: Column[]; rows: (Row & { fields: string[] })[] }

const proactive2021: ProactiveTable = {
  columns: [
    { key: 'issued', label: '本年制发件数' },
    { key: 'repealed', label: '本年废止件数' },
    { key: 'inForce', label: '现行有效件数' },
    { key: 'decisions', label: '本年处理决定数量' },
    { key: 'amount', label: '本年收费金额（单位：万元）' },
  ],
  rows: [
    { key: 'regulations', label: '规章', fields: ['issued', 'repealed', 'inForce'] },
    { key: 'normativeDocuments', label: '行政规范性文件', fields: ['issued', 'repealed', 'inForce'] },
    { key: 'licensing', label: '行政许可', fields: ['decisions'] },
    { key: 'penalty', label: '行政处罚', fields: ['decisions'] },
    { key: 'coercion', label: '行政强制', fields: ['decisions'] },
    { key: 'fees', label: '行政事业性收费', fields: ['amount'] },
  ],
};

const proactive2019: ProactiveTable = {
  columns: [
    { key: 'newlyMade', label: '本年新制作数量' },
    { key: 'newlyPublished', label: '本年新公开数量' },
    { key: 'publishedTotal', label: '对外公开总数量' },
    { key: 'itemsLastYear', label: '上一年项目数量' },
    { key: 'itemsChange', label: '本年增/减' },
    { key: 'decisions', label: '处理决定数量' },
    { key: 'projects', label: '采购项目数量' },
    { key: 'amount', label: '采购总金额（万元）' },
  ],
  rows: [
    { key: 'regulations', label: '规章', fields: ['newlyMade', 'newlyPublished', 'publishedTotal'] },
    { key: 'normativeDocuments', label: '规范性文件', fields: ['newlyMade', 'newlyPublished', 'publishedTotal'] },
    { key: 'licensing', label: '行政许可', fields: ['itemsLastYear', 'itemsChange', 'decisions'] },
    { key: 'otherServices', label: '其他对外管理服务事项', fields: ['itemsLastYear', 'itemsChange', 'decisions'] },
    { key: 'penalty', label: '行政处罚', fields: ['itemsLastYear', 'itemsChange', 'decisions'] },
    { key: 'coercion', label: '行政强制', fields: ['itemsLastYear', 'itemsChange', 'decisions'] },
    { key: 'fees', label: '行政事业性收费', fields: ['itemsLastYear', 'itemsChange'] },
    { key: 'procurement', label: '政府集中采购', fields: ['projects', 'amount'] },
  ],
};

export const proactiveTable = (edition: Edition): ProactiveTable => (edition === '2019' ? proactive2019 : proactive2021);

/** Part 三's seven applicant columns, the same in both editions. */
export const applicants: Column[] = [
  { key: 'naturalPerson', label: '自然人' },
  { key: 'commercial', label: '商业企业' },
  { key: 'research', label: '科研机构' },
  { key: 'publicInterest', label: '社会公益组织' },
  { key: 'legalService', label: '法律服务机构' },
  { key: 'otherOrganization', label: '其他' },
  { key: 'total', label: '总计' },
];

const applicationRows = (edition: Edition): Row[] => [
  { key: 'newlyReceived', label: '一、本年新收政府信息公开申请数量' },
  { key: 'carriedOver', label: '二、上年结转政府信息公开申请数量' },
  { key: 'granted', label: '（一）予以公开', indent: 1 },
  { key: 'partiallyGranted', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', indent: 1 },
  { key: 'denied.stateSecret', label: '（三）不予公开 1.属于国家秘密', indent: 1 },
  { key: 'denied.prohibitedByLaw', label: '2.其他法律行政法规禁止公开', indent: 2 },
  { key: 'denied.endangersSecurity', label: '3.危及“三安全一稳定”', indent: 2 },
  { key: 'denied.thirdPartyRights', label: '4.保护第三方合法权益', indent: 2 },
  { key: 'denied.internalAffairs', label: '5.属于三类内部事务信息', indent: 2 },
  { key: 'denied.processInformation', label: '6.属于四类过程性信息', indent: 2 },
  { key: 'denied.enforcementCaseFile', label: '7.属于行政执法案卷', indent: 2 },
  { key: 'denied.administrativeQuery', label: '8.属于行政查询事项', indent: 2 },
  { key: 'unableToProvide.notHeld', label: '（四）无法提供 1.本机关不掌握相关政府信息', indent: 1 },
  { key: 'unableToProvide.needsCreation', label: '2.没有现成信息需要另行制作', indent: 2 },
  { key: 'unableToProvide.unclearAfterCorrection', label: '3.补正后申请内容仍不明确', indent: 2 },
  { key: 'notProcessed.petitionComplaint', label: '（五）不予处理 1.信访举报投诉类申请', indent: 1 },
  { key: 'notProcessed.duplicate', label: '2.重复申请', indent: 2 },
  { key: 'notProcessed.publication', label: '3.要求提供公开出版物', indent: 2 },
  { key: 'notProcessed.excessive', label: '4.无正当理由大量反复申请', indent: 2 },
  { key: 'notProcessed.confirmOrReissue', label: '5.要求行政机关确认或重新出具已获取信息', indent: 2 },
  ...(edition === '2019'
    ? [{ key: 'otherHandling', label: '（六）其他处理', indent: 1 }]
    : [
        { key: 'otherHandling.noCorrection', label: '（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', indent: 1 },
        { key: 'otherHandling.feeUnpaid', label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', indent: 2 },
        { key: 'otherHandling.other', label: '3.其他', indent: 2 },
      ]),
  { key: 'totalHandled', label: '（七）总计', indent: 1 },
  { key: 'carriedForward', label: '四、结转下年度继续办理' },
];
export { applicationRows };

/** Part 四: three blocks of five. */
export const appealBlocks: Column[] = [
  { key: 'review', label: '行政复议' },
  { key: 'litigationDirect', label: '行政诉讼 未经复议直接起诉' },
  { key: 'litigationAfterReview', label: '行政诉讼 复议后起诉' },
];
export const appealFields: Column[] = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  { key: 'total', label: '总计' },
];

export const narrative: Column[] = [
  { key: 'overview', label: '一、总体情况' },
  { key: 'problems', label: '五、存在的主要问题及改进情况' },
  { key: 'otherMatters', label: '六、其他需要报告的事项' },
];

/** The value at a dotted path of a document: a number, text, null for a blank cell, undefined when the path is not there. */
export function valueAt(document: unknown, path: string): number | string | null | undefined {
  let node: unknown = document;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'number' || typeof node === 'string' || node === null ? node : undefined;
}

/** The consistency rules R1–R6 in the template's words. */
export const rules: Record<string, { name: string; check: string }> = {
  R1: { name: '收支平衡', check: '本年新收 + 上年结转 = 办理总计 + 结转下年度（每列）' },
  R2: { name: '行合计', check: '总计 = 六类申请人之和（每行）' },
  R3: { name: '办理结果合计', check: '（七）总计 = 各办理结果之和（每列）' },
  R4: { name: '复议诉讼合计', check: '总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结（每项）' },
  R5: { name: '跨年结转', check: '本年“上年结转” = 上年“结转下年度继续办理”' },
  R6: { name: '跨年项目数', check: '本年“上一年项目数量” = 上年“上一年项目数量” + 上年“本年增/减”（2019 版）' },
};

const outcomeRows = (edition: Edition) =>
  applicationRows(edition).map((r) => r.key).filter((k) => !['newlyReceived', 'carriedOver', 'totalHandled', 'carriedForward'].includes(k));

/**
 * The cells of this report that a finding's rule reads, from the finding's rule and path (the rules' own shape, see
 * ConsistencyRules in the domain). R5 and R6 also read the previous year's report: only this report's cell is listed.
 */
export function cellsOf(rule: string, path: string, edition: Edition): string[] {
  const parts = path.split('.');
  const last = parts[parts.length - 1];
  switch (rule) {
    case 'R1':
      return ['newlyReceived', 'carriedOver', 'totalHandled', 'carriedForward'].map((r) => `applications.${r}.${last}`);
    case 'R2': {
      const row = parts.slice(0, -1).join('.');
      return applicants.map((a) => `${row}.${a.key}`);
    }
    case 'R3':
      return [`applications.totalHandled.${last}`, ...outcomeRows(edition).map((r) => `applications.${r}.${last}`)];
    case 'R4': {
      const block = parts.slice(0, -1).join('.');
      return appealFields.map((f) => `${block}.${f.key}`);
    }
    default:
      return [path];
  }
}

const shortRow: Record<string, string> = {
  newlyReceived: '本年新收', carriedOver: '上年结转', totalHandled: '办理结果总计', carriedForward: '结转下年度继续办理',
};

/** A cell path's label in Chinese: 行政处罚 处理决定数量, 予以公开 · 总计, 行政复议 · 总计. */
export function cellLabel(path: string, edition: Edition): string {
  const parts = path.split('.');
  if (parts[0] === 'proactive') {
    const table = proactiveTable(edition);
    const row = table.rows.find((r) => r.key === parts[1]);
    const column = table.columns.find((c) => c.key === parts[2]);
    return `${row?.label ?? parts[1]} ${column?.label ?? parts[2]}`;
  }
  if (parts[0] === 'applications') {
    const rowKey = parts.slice(1, -1).join('.');
    const row = applicationRows(edition).find((r) => r.key === rowKey);
    const column = applicants.find((a) => a.key === parts[parts.length - 1]);
    return `${shortRow[rowKey] ?? row?.label.replace(/^[一二三四]、|^（[一二三四五六七]）/, '') ?? rowKey} · ${column?.label ?? ''}`;
  }
  if (parts[0] === 'appeals') {
    const block = appealBlocks.find((b) => b.key === parts[1]);
    const field = appealFields.find((f) => f.key === parts[2]);
    return `${block?.label ?? parts[1]} · ${field?.label ?? parts[2]}`;
  }
  return narrative.find((n) => n.key === path)?.label ?? path;
}
