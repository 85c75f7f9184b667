"""Write a large, realistic monthly workbook for the import benchmarks (deterministic for a given size).

    python benchmarks/make_workbook.py 200000 benchmarks/data/records-200k.xlsx

The layout is what centres send: a merged title row, a "金额单位:万元" line, a header, one record per
row (amounts as numbers, some as text with thousands separators), blank rows, a 合计 row and a note.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

HEADER = ["序号", "交易类别", "项目类型", "项目编号", "标段编号", "项目名称", "所属区县", "交易状态",
          "预算金额", "成交金额", "中标人", "开标日期"]
KINDS = [("工程建设", "房屋建筑"), ("工程建设", "市政"), ("工程建设", "水利"), ("政府采购", "分散采购"),
         ("政府采购", "集中采购"), ("土地使用权", None), ("国有产权", None)]
REGIONS = ["市本级", "乐都区", "平安区", "民和县", "互助县", "化隆县", "循化县"]


def rows(count: int, seed: int = 20221, over_budget: int = 0) -> list[list[object]]:
    """``over_budget`` purchases (the first ones) dealt 5% above their budget: records that break an
    error-level expectation of the record suite (for the benchmark of an import where GX has to run)."""
    rng = random.Random(seed)
    out: list[list[object]] = []
    over = 0
    for number in range(1, count + 1):
        category, sub = KINDS[number % len(KINDS)]
        budget_fen = rng.randrange(10_000_00, 500_000_000_00)
        deal_fen = budget_fen - rng.randrange(0, budget_fen // 10)
        if category == "政府采购" and over < over_budget:
            deal_fen, over = budget_fen + budget_fen // 20, over + 1
        budget = Decimal(budget_fen) / 1_000_000  # 万元, exact to the fen
        deal = Decimal(deal_fen) / 1_000_000
        deal_cell: object = f"{deal:,}" if number % 5 == 0 else float(deal)
        out.append([number, category, sub, f"BM-{number:07d}", "01", f"项目{number}", REGIONS[number % 7], "成交",
                    float(budget), deal_cell, f"单位{number % 997}", dt.date(2022, 7, 1 + number % 28)])
    return out


def write(count: int, path: Path, over_budget: int = 0) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("明细")
    title = WriteOnlyCell(sheet, "某市公共资源交易中心2022年7月进场交易项目明细表")
    sheet.append([title])
    sheet.append(["填报单位:某市公共资源交易中心", None, None, None, None, None, None, None, "金额单位:万元"])
    sheet.append(HEADER)
    data = rows(count, over_budget=over_budget)
    for index, row in enumerate(data):
        sheet.append(row)
        if index % 50_000 == 49_999:
            sheet.append([])  # blank rows occur in real files
    sheet.append(["合计"] + [None] * 7 + [None, None, None, None])
    sheet.append(["注:金额以万元计。"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
