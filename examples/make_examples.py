"""Generate the sample monthly workbooks behind the demo, deterministically.

The records are invented, but they add up — within the published rounding — to every figure of two
real bulletins (examples/bulletins/): 海东市2022年第三季度 (Haidong 2022 Q3) and 安康市2018年 (Ankang 2018).
Totals are fixed first, in fen, and split exactly over the records, so each published figure holds
by construction; `make test` checks that it does. Run: python examples/make_examples.py [OUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
YI = 10_000_000_000  # fen per 亿元
WAN = 1_000_000  # fen per 万元
HEADER = ["交易类别", "项目类型", "项目编号", "标段编号", "项目名称", "所属区县", "交易状态", "交易方式",
          "预算金额(元)", "招标控制价(元)", "底价(元)", "成交金额(元)", "中标人", "成交日期"]
CONSTRUCTION_HEADER = [h.replace("(元)", "(万元)") for h in HEADER]  # one sheet in 万元 to show units
CODES = {"房屋建筑": "A01", "市政": "A02", "公路": "A03", "铁路": "A04", "水运": "A06", "水利": "A07",
         "能源": "A08", "邮电通信": "A09", "其他": "A99"}
SHEETS = {"工程建设": "工程建设", "政府采购": "政府采购", "土地使用权": "土地矿权", "矿业权": "土地矿权",
          "国有产权": "产权交易"}
WORKS = ["综合楼", "道路改造", "供水管网", "河道治理", "学校建设", "医院门诊楼", "农村公路", "灌区续建", "安置小区",
         "污水处理", "体育馆", "老旧小区改造", "桥梁加固", "村级道路", "光伏发电"]
GOODS = ["办公设备", "医疗设备", "教学设备", "物业服务", "信息化建设", "车辆", "印刷服务", "保安服务", "食材配送",
         "监控设备", "课桌椅", "电梯维保"]
FIRMS = ["建设工程有限公司", "路桥集团有限公司", "水利水电工程有限公司", "市政工程有限公司", "科技有限公司",
         "实业有限公司", "置业有限公司", "矿业有限公司", "商贸有限公司", "设备有限公司"]


@dataclass
class Row:
    category: str
    subcategory: str | None
    region: str
    status: str = "成交"
    budget: int | None = None
    control_price: int | None = None
    reserve: int | None = None
    deal: int | None = None
    method: str = ""


def split(total: int, n: int, rng: random.Random, step: int = 100, spread: float = 3.0) -> list[int]:
    """n positive parts of ``total`` fen, multiples of ``step`` except the last, varied in size."""
    if n == 0:
        assert total == 0
        return []
    weights = [rng.uniform(1, spread) ** 2 for _ in range(n)]
    scale = total / sum(weights)
    parts = [max(step, int(w * scale) // step * step) for w in weights]
    parts[-1] = total - sum(parts[:-1])
    assert parts[-1] > 0 and sum(parts) == total
    return parts


def with_rates(base_total: int, diff_total: int, n: int, rng: random.Random, low: float, high: float
               ) -> list[tuple[int, int]]:
    """(base, diff) pairs summing exactly to the totals, each diff ≈ base × a rate in [low, high]."""
    bases = split(base_total, n, rng)
    raw = [b * rng.uniform(low, high) for b in bases]
    scale = diff_total / sum(raw)
    diffs = [int(r * scale) // 100 * 100 for r in raw]
    largest = max(range(n), key=lambda i: bases[i])
    diffs[largest] += diff_total - sum(diffs)
    assert sum(diffs) == diff_total
    return list(zip(bases, diffs, strict=True))


def construction(rows: list[Row], sub: str, count: int, deal_total: int, regions: list[str],
                 rng: random.Random) -> None:
    for deal in split(deal_total, count, rng):
        control = deal * rng.randint(10200, 11500) // 10000 // 100 * 100
        rows.append(Row("工程建设", sub, rng.choice(regions), deal=deal, control_price=control,
                        budget=control, method=rng.choice(["公开招标", "公开招标", "邀请招标"])))


def text_amount(fen: int | None, unit_fen: int) -> Decimal | None:
    return None if fen is None else Decimal(fen) / unit_fen


def write_month(path: Path, title: str, rows: list[tuple[Row, dt.date, str, str]], rng: random.Random) -> None:
    """One monthly workbook: a sheet per kind of trade, clean header, amounts in 元 (工程建设 in 万元)."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in dict.fromkeys(SHEETS.values()):
        mine = [r for r in rows if SHEETS[r[0].category] == sheet]
        if not mine:
            continue
        ws = wb.create_sheet(sheet)
        in_wan = sheet == "工程建设"
        ws.append(CONSTRUCTION_HEADER if in_wan else HEADER)
        unit = WAN if in_wan else 100
        for row, date, code, section in sorted(mine, key=lambda r: (r[1], r[2])):
            what = rng.choice(WORKS if row.category == "工程建设" else GOODS)
            name = f"{row.region}{what}项目" if row.category in ("工程建设", "政府采购") else \
                f"{row.region}{'宗地' if row.category == '土地使用权' else '标的'}{code[-4:]}"
            place = rng.choice(["青海", "海东", "陕西", "安康", "甘肃"])
            firm = f"{rng.choice('华建恒瑞通')}{rng.choice('达信泰源安')}{rng.choice(FIRMS)}"
            winner = f"{place}{firm}" if row.deal else None
            ws.append([row.category, row.subcategory, code, section, name, row.region, row.status, row.method,
                       *(float(v) if (v := text_amount(x, unit)) is not None else None
                         for x in (row.budget, row.control_price, row.reserve, row.deal)),
                       winner, date])
            ws.cell(ws.max_row, len(HEADER)).number_format = "yyyy-mm-dd"
    wb.properties.title = title
    wb.save(path)
    _fix_timestamps(path)


def _fix_timestamps(path: Path) -> None:
    """Make the file byte-for-byte reproducible: fixed zip entry times and document dates."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, data in entries:
            if filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(filename, date_time=(2026, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)


def distribute(rows: list[Row], months: list[tuple[int, int]], prefix: str, rng: random.Random
               ) -> dict[tuple[int, int], list[tuple[Row, dt.date, str, str]]]:
    """Give every row a month, a trade date and unique codes."""
    by_month: dict[tuple[int, int], list[tuple[Row, dt.date, str, str]]] = {m: [] for m in months}
    for seq, row in enumerate(rows, start=1):
        year, month = rng.choice(months)
        day = rng.randint(1, 28)
        kind = {"工程建设": "GC", "政府采购": "CG", "土地使用权": "TD", "矿业权": "KY", "国有产权": "CQ"}[row.category]
        code = f"{prefix}{kind}{year}{month:02d}-{seq:04d}"
        national = CODES.get(row.subcategory or "", "")
        section = f"{prefix}{national}{seq:04d}-{year}{month:02d}-01" if national else "01"
        by_month[(year, month)].append((row, dt.date(year, month, day), code, section))
    return by_month


def haidong(rng: random.Random) -> list[Row]:
    """海东市 2022年第三季度: 附件2 and the text of 海东政务服务动态 第5期."""
    regions = ["市本级", "乐都区", "平安区", "民和县", "互助县", "化隆县", "循化县", "河湟新区"]
    rows: list[Row] = []
    # 工程建设 217 / 22.91亿: each subtype inside its own rounding, the sum inside 22.91's
    for sub, count, deal in [("房屋建筑", 70, 84255), ("市政", 53, 52055), ("公路", 12, 8955),
                             ("水利", 45, 42855), ("其他", 37, 40955)]:
        construction(rows, sub, count, deal * YI // 10000, regions, rng)
    # 政府分散采购 308 / 3.83亿 (budgets are not published: each a little above its deal)
    for deal in split(383 * YI // 100, 308, rng):
        rows.append(Row("政府采购", "分散采购", rng.choice(regions), deal=deal,
                        budget=deal * rng.randint(10050, 10800) // 10000 // 100 * 100,
                        method=rng.choice(["公开招标", "竞争性磋商", "询价", "竞争性谈判"])))
    # 政府集中采购 21: 预算 3167.97万, 成交 3063.40万, 节约 104.57万 — exact
    for budget, savings in with_rates(316797 * WAN // 100, 10457 * WAN // 100, 21, rng, 0.01, 0.06):
        rows.append(Row("政府采购", "集中采购", "市本级", budget=budget, deal=budget - savings, method="公开招标"))
    # 土地 7 / 0.75亿: 化隆县 1, 循化县 2, 民和县 4
    land = split(75 * YI // 100, 7, rng)
    for deal, region in zip(land, ["化隆县", "循化县", "循化县", "民和县", "民和县", "民和县", "民和县"], strict=True):
        reserve = deal * 10000 // rng.randint(10000, 10600) // 100 * 100
        rows.append(Row("土地使用权", None, region, deal=deal, reserve=reserve, method="挂牌出让"))
    # 采矿权 1 / 0.04亿, 循化
    rows.append(Row("矿业权", "采矿权", "循化县", deal=4 * YI // 100, reserve=38 * YI // 1000, method="挂牌出让"))
    return rows


def ankang(rng: random.Random) -> list[Row]:
    """安康市 2018年: 1124 projects, 49.64亿; 节资率 9.29% and 3.82%, 增值率 3.41% and 4.2%."""
    regions = ["市本级", "汉滨区", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县", "旬阳县",
               "白河县", "高新区", "恒口示范区"]
    rows: list[Row] = []
    # 建设工程 124 (122 成交 + 2 流标): 预算 8.5930亿, 节资 0.7983亿 → 成交 7.7947亿, 节资率 9.2901%
    subs = ["房屋建筑"] * 50 + ["市政"] * 30 + ["公路"] * 20 + ["水利"] * 22
    for (budget, savings), sub in zip(with_rates(85930 * YI // 10000, 7983 * YI // 10000, 122, rng, 0.03, 0.16),
                                      subs, strict=True):
        rows.append(Row("工程建设", sub, rng.choice(regions), budget=budget, control_price=budget,
                        deal=budget - savings, method="公开招标"))
    for sub in ("房屋建筑", "市政"):
        rows.append(Row("工程建设", sub, rng.choice(regions), status="流标", budget=rng.randint(50, 300) * WAN,
                        method="公开招标"))
    # 政府采购 917: 预算 8.8620亿, 节资 0.3385亿 → 成交 8.5235亿 (8.52亿余元), 节资率 3.8197%
    kinds = ["集中采购"] * 300 + ["分散采购"] * 617
    for (budget, savings), sub in zip(with_rates(88620 * YI // 10000, 3385 * YI // 10000, 917, rng, 0.005, 0.08),
                                      kinds, strict=True):
        rows.append(Row("政府采购", sub, rng.choice(regions), budget=budget, deal=budget - savings,
                        method=rng.choice(["公开招标", "竞争性磋商", "询价"])))
    # 国有土地使用权和矿业权出让 80: 底价 32.2120亿, 增值 1.0990亿 → 成交 33.3110亿, 增值率 3.4118%
    kinds = [("土地使用权", None)] * 72 + [("矿业权", "采矿权")] * 6 + [("矿业权", "探矿权")] * 2
    for (reserve, premium), (cat, sub) in zip(with_rates(322120 * YI // 10000, 10990 * YI // 10000, 80, rng, 0.0, 0.09),
                                              kinds, strict=True):
        rows.append(Row(cat, sub, rng.choice(regions), reserve=reserve, deal=reserve + premium,
                        method="挂牌出让" if cat == "土地使用权" else "拍卖出让"))
    # 产权交易 3 宗: 成交 1 (底价 118万, 成交 123万), 流拍 1, 延期 1
    rows.append(Row("国有产权", None, "市本级", reserve=118 * WAN, deal=123 * WAN, method="公开挂牌"))
    rows.append(Row("国有产权", None, "汉滨区", status="流拍", reserve=86 * WAN, method="公开挂牌"))
    rows.append(Row("国有产权", None, "市本级", status="延期", reserve=45 * WAN, method="公开挂牌"))
    return rows


def main(out: Path = HERE) -> None:
    for name, city, builder, months, prefix in [
        ("haidong-2022Q3", "海东市", haidong, [(2022, m) for m in (7, 8, 9)], "HD"),
        ("ankang-2018", "安康市", ankang, [(2018, m) for m in range(1, 13)], "AK"),
    ]:
        rng = random.Random(name)
        folder = out / name
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.xlsx"):
            old.unlink()
        by_month = distribute(builder(rng), months, prefix, rng)
        for (year, month), rows in by_month.items():
            title = f"{city}公共资源交易中心{year}年{month}月进场交易项目明细表"
            write_month(folder / f"{city}{year}年{month:02d}月交易明细.xlsx", title, rows, rng)
        print(f"{folder}: {sum(len(r) for r in by_month.values())} records in {len(by_month)} workbooks")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
