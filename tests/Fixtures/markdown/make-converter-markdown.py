#!/usr/bin/env python3
"""Writes pingtan-2021.converter.md: pingtan-2021's report as PDF-to-markdown converters print it, with the faults
issue #13 names, from the values read by hand (../reports/pingtan-2021.expected.json), so every number in it is the
published one. It is made by hand after those faults, not by a converter:

- the header of part 三 split over two rows, its cells in the wrong rows;
- 一、本年新收… and 1.本机关不掌握… with their label on one row and their numbers on the next, unlabelled;
- 5.属于三类内部事务信息 printed without its label;
- （七）总计 with its numbers on the row before its label;
- other rows as a converter prints them well, blank cells as empty pipe cells.

Run from this folder: python3 make-converter-markdown.py"""
import json

doc = json.load(open("../reports/pingtan-2021.expected.json", encoding="utf-8"))["document"]
apps = doc["applications"]
columns = ["naturalPerson", "commercial", "research", "publicInterest", "legalService", "otherOrganization", "total"]

def cells(row):
    return " | ".join("" if row[c] is None else str(row[c]) for c in columns)

def get(path):
    node = apps
    for key in path.split("."):
        node = node[key]
    return node

rows = [
    ("一、本年新收政府信息公开申请数量", "newlyReceived", "label-then-numbers"),
    ("二、上年结转政府信息公开申请数量", "carriedOver", "ok"),
    ("三、本年度办理结果 （一）予以公开", "granted", "ok"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partiallyGranted", "ok"),
    ("（三）不予公开 1.属于国家秘密", "denied.stateSecret", "ok"),
    ("2.其他法律行政法规禁止公开", "denied.prohibitedByLaw", "ok"),
    ("3.危及“三安全一稳定”", "denied.endangersSecurity", "ok"),
    ("4.保护第三方合法权益", "denied.thirdPartyRights", "ok"),
    ("5.属于三类内部事务信息", "denied.internalAffairs", "no-label"),
    ("6.属于四类过程性信息", "denied.processInformation", "ok"),
    ("7.属于行政执法案卷", "denied.enforcementCaseFile", "ok"),
    ("8.属于行政查询事项", "denied.administrativeQuery", "ok"),
    ("（四）无法提供 1.本机关不掌握相关政府信息", "unableToProvide.notHeld", "label-then-numbers"),
    ("2.没有现成信息需要另行制作", "unableToProvide.needsCreation", "ok"),
    ("3.补正后申请内容仍不明确", "unableToProvide.unclearAfterCorrection", "ok"),
    ("（五）不予处理 1.信访举报投诉类申请", "notProcessed.petitionComplaint", "ok"),
    ("2.重复申请", "notProcessed.duplicate", "ok"),
    ("3.要求提供公开出版物", "notProcessed.publication", "ok"),
    ("4.无正当理由大量反复申请", "notProcessed.excessive", "ok"),
    ("5.要求行政机关确认或重新出具已获取信息", "notProcessed.confirmOrReissue", "ok"),
    ("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "otherHandling.noCorrection", "ok"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "otherHandling.feeUnpaid", "ok"),
    ("3.其他", "otherHandling.other", "ok"),
    ("（七）总计", "totalHandled", "numbers-then-label"),
    ("四、结转下年度继续办理", "carriedForward", "ok"),
]

p = doc["proactive"]
out = ["# 平潭综合实验区2021年度政府信息公开工作年度报告", "", "## 一、总体情况", "", "2021年，我区以习近平新时代中国特色社会主义思想为指导，深化政务公开。", "",
       "## 二、主动公开政府信息情况", "",
       "| 第二十条第（一）项 | | | |", "|---|---|---|---|",
       "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
       f"| 规章 | {p['regulations']['issued']} | {p['regulations']['repealed']} | {p['regulations']['inForce']} |",
       f"| 行政规范性文件 | {p['normativeDocuments']['issued']} | {p['normativeDocuments']['repealed']} | {p['normativeDocuments']['inForce']} |",
       "", "| 第二十条第（五）项 | |", "|---|---|", "| 信息内容 | 本年处理决定数量 |", f"| 行政许可 | {p['licensing']['decisions']} |",
       "", "| 第二十条第（六）项 | |", "|---|---|", "| 信息内容 | 本年处理决定数量 |", f"| 行政处罚 | {p['penalty']['decisions']} |", f"| 行政强制 | {p['coercion']['decisions']} |",
       "", "| 第二十条第（八）项 | |", "|---|---|", "| 信息内容 | 本年收费金额（单位：万元） |", f"| 行政事业性收费 | {p['fees']['amount']} |",
       "", "## 三、收到和处理政府信息公开申请情况", "",
       "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | | | | | | |",
       "|---|---|---|---|---|---|---|---|",
       "| | 自然人 | 法人或其他组织 | | | | | 总计 |",
       "| | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |"]
for label, path, fault in rows:
    values = cells(get(path))
    if fault == "label-then-numbers":
        out += [f"| {label} | | | | | | | |", f"| | {values} |"]
    elif fault == "no-label":
        out += [f"| | {values} |"]
    elif fault == "numbers-then-label":
        out += [f"| | {values} |", f"| {label} | | | | | | | |"]
    else:
        out += [f"| {label} | {values} |"]
a = doc["appeals"]
blocks = ["review", "litigationDirect", "litigationAfterReview"]
fields = ["upheld", "corrected", "other", "pending", "total"]
out += ["", "## 四、政府信息公开行政复议、行政诉讼情况", "",
        "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |", "|" + "---|" * 15,
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
        "| | | | | | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
        "| " + " | ".join(str(a[b][f]) for b in blocks for f in fields) + " |",
        "", "## 五、存在的主要问题及改进情况", "", "政策解读形式不够丰富。", "", "## 六、其他需要报告的事项", "", "2021年，无收取信息处理费情况。", ""]
open("pingtan-2021.converter.md", "w", encoding="utf-8").write("\n".join(out))
