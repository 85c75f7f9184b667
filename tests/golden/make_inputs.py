"""Write the input file of every golden import case (deterministic; the files are committed).

    python tests/golden/make_inputs.py        # rewrites tests/golden/<case>/input.*

Each case is a layout that centres really send; tests/test_golden.py imports it and compares the
records, held rows and 合计 checks with tests/golden/<case>/expected.json.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).parent
FIXED_TIME = (2022, 8, 1, 0, 0, 0)


def _save(workbook: Workbook, path: Path) -> None:
    """Save with fixed timestamps inside the zip, so the bytes do not change between runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    workbook.save(temporary)
    with zipfile.ZipFile(temporary) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the save time: fix it
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2022-08-01T00:00:00Z", data)
            target.writestr(info, data)
    temporary.unlink()


def _sheet(workbook: Workbook, title: str) -> Worksheet:
    if workbook.active is not None and workbook.active.title == "Sheet":
        workbook.active.title = title
        return workbook.active
    return workbook.create_sheet(title)


def title_unit_line_totals() -> None:
    """Title merged across the sheet, '填报单位:… 金额单位:万元', header without units, blank rows,
    amounts as numbers / text with separators / full-width digits / blank, a correct 合计 and notes."""
    wb = Workbook()
    ws = _sheet(wb, "7月")
    ws.append(["某市公共资源交易中心2022年7月进场交易项目明细表"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位:某市公共资源交易中心", None, None, None, None, None, "金额单位:万元"])
    ws.append(["序号", "交易类别", "项目编号", "项目名称", "所属区县", "预算金额", "成交金额", "中标单位", "开标日期"])
    ws.append([1, "政府采购", "CG-2022-001", "办公家具采购", "市本级", 120, 118.5, "甲公司", dt.date(2022, 7, 4)])
    ws.append([2, "政府采购", "CG-2022-002", "电脑采购", "乐都区", "1,234.5678", "1,200.0001", "乙公司",
               "2022年7月5日"])
    ws.append([None] * 9)
    ws.append([3, "工程建设", "GC-2022-001", "道路维修", "平安区", None, "３５６．７８", "丙公司", "2022.07.06"])
    ws.append([4, "工程建设", "GC-2022-002", "桥梁加固", "民和县", None, 80, "丁公司", "2022/7/7"])
    ws.append([])
    ws.append(["合  计", None, None, None, None, "1354.5678", "1755.2801", None, None])
    ws.append(["注:1.金额单位为万元;2.本表由交易中心填报。"])
    ws.append(["填表人:张三", None, None, "审核人:李四"])
    _save(wb, HERE / "title_unit_line_totals" / "input.xlsx")


def two_level_header() -> None:
    """A two-level header: '金额(万元)' merged over 预算价/起始价/中标价, other headers merged down;
    dates as Excel dates, datetimes, 2022年7月5日, 2022.07.05, 2022/7/5, 20220705 and serial numbers."""
    wb = Workbook()
    ws = _sheet(wb, "明细")
    ws.append(["海东市2022年7月交易项目汇总表"])
    ws.merge_cells("A1:H1")
    ws.append(["项目编号", "标的名称", "交易类型", "金额(万元)", None, None, "成交时间", "交易状态"])
    ws.append([None, None, None, "预算价", "起始价", "中标价", None, None])
    for column in "ABCGH":
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("D2:F2")
    ws.append(["XM-01", "宗地一", "土地使用权", None, 500, 620.5, dt.datetime(2022, 7, 5, 9, 30), "成交"])
    ws.append(["XM-02", "宗地二", "土地使用权", None, 300, None, "2022年7月6日", "流拍"])
    ws.append(["XM-03", "采购一", "政府采购", 88.8, None, 80, "2022.07.07", "成交"])
    ws.append(["XM-04", "采购二", "政府采购", 10, None, 9.5, "2022/7/8", "成交"])
    ws.append(["XM-05", "采购三", "政府采购", 20, None, 19, "20220711", "成交"])
    ws.append(["XM-06", "采购四", "政府采购", 30, None, 29, 44754, "成交"])  # Excel serial for 2022-07-12
    ws.append(["XM-07", "采购五", "政府采购", 40, None, 39, "七月十三日", "成交"])  # not a date: held
    _save(wb, HERE / "two_level_header" / "input.xlsx")


def sheet_per_category() -> None:
    """One sheet per category; the category comes from the sheet name, the type column or the national
    code inside 标段编号; units in headers with full-width brackets; 土地矿权 rows say land or mining."""
    wb = Workbook()
    ws = _sheet(wb, "建设工程")
    ws.append(["标段(包)编号", "工程名称", "工程类别", "招标控制价（万元）", "中标价（万元）", "中标人", "开标时间"])
    ws.append(["XSA010001-01", "综合楼", "房屋建筑工程", 1000, 950.25, "建工一局", "2022-07-01"])
    ws.append(["XSA020002-01", "市政道路", "市政工程", 500, 480, "市政公司", "2022-07-02"])
    ws.append(["XSA070003-01", "灌区改造", None, 300, 290, "水利公司", "2022-07-03"])  # 水利 from A07
    ws = wb.create_sheet("政府采购")
    ws.append(["采购项目编号", "项目名称", "组织形式", "采购预算(元)", "成交金额(元)", "成交供应商", "成交日期"])
    ws.append(["ZC-01", "物业服务", "集中采购", "1,000,000.00", "980,000.50", "物业公司", "2022-07-04"])
    ws.append(["ZC-02", "印刷服务", "分散采购", 20000, 19800, "印刷厂", "2022-07-05"])
    ws = wb.create_sheet("土地矿权")
    ws.append(["宗地编号", "标的名称", "类型", "挂牌价格（万元）", "成交价（万元）", "竞得人", "成交日期"])
    ws.append(["TD-01", "城东地块", "国有建设用地使用权", 800, 880, "置业公司", "2022-07-06"])
    ws.append(["KQ-01", "石料矿", "采矿权", 100, 130, "矿业公司", "2022-07-07"])
    ws.append(["KQ-02", "不明标的", None, 50, 55, "某公司", "2022-07-08"])  # sheet is land and mining: held
    ws = wb.create_sheet("产权交易")
    ws.append(["项目编号", "标的名称", "转让底价(万元)", "成交金额(万元)", "受让方", "成交日期"])
    ws.append(["CQ-01", "车辆一批", 30, 36.6, "张某", "2022-07-09"])
    wb.create_sheet("空白页")
    _save(wb, HERE / "sheet_per_category" / "input.xlsx")


def csv_gbk_synonyms() -> None:
    """A GBK CSV with a title line, a unit line '单位：亿元' and the header names of another centre."""
    lines = [
        "安康市2018年交易明细,,,,,,,",
        "单位：亿元,,,,,,,",
        "交易类别,招标编号,项目名称,县（区）,最高限价,成交价,中标(成交)人,成交时间",
        "工程建设,AK-001,安康大道,汉滨区,1.2,1.15,路桥公司,2018-03-05",
        "工程建设,AK-002,江北桥,汉阴县,0.5,0.4875,桥梁公司,2018-03-06",
        "工程建设,AK-003,总价约390万元的项目,石泉县,0.04,总价约390万元,某公司,2018-03-07",
    ]
    path = HERE / "csv_gbk_synonyms" / "input.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def subtotals_and_difference() -> None:
    """小计 after each group, a 合计 that disagrees with its rows, a header repeated after a page break,
    a quarantined row inside a group."""
    wb = Workbook()
    ws = _sheet(wb, "成交明细")
    header = ["项目编号", "项目名称", "交易类别", "预算金额(元)", "成交金额(元)", "成交日期"]
    ws.append(header)
    ws.append(["P-01", "一", "政府采购", 100, 90, "2022-09-01"])
    ws.append(["P-02", "二", "政府采购", 200, 150, "2022-09-02"])
    ws.append(["本页小计", None, None, 300, 240, None])
    ws.append(header)  # printed on every page
    ws.append(["P-03", "三", "政府采购", 400, "约四百", "2022-09-03"])  # free text: held
    ws.append(["P-04", "四", "政府采购", 50, 45, "2022-09-04"])
    ws.append(["本页小计", None, None, 450, 445, None])  # 445 states the held row's 400 too: no rows give it
    ws.append(["合计", None, None, 750, 700, None])  # rows: 90+150+45 = 285 → a difference
    _save(wb, HERE / "subtotals_and_difference" / "input.xlsx")


def merged_data_cells() -> None:
    """A table laid out for reading: 交易类别, 项目编号 and 所属区县 merged down over the rows they hold
    for (each row gets them), and one 成交金额 merged over two sections (cannot be split: both held)."""
    wb = Workbook()
    ws = _sheet(wb, "8月")
    ws.append(["交易类别", "项目编号", "标段编号", "项目名称", "所属区县", "成交金额(万元)", "成交日期"])
    ws.append(["工程建设", "GC-08-01", "01", "学校一标段", "乐都区", 100, "2022-08-01"])
    ws.append([None, None, "02", "学校二标段", None, 120, "2022-08-01"])
    ws.append([None, "GC-08-02", "01", "医院一标段", "平安区", 300, "2022-08-02"])
    ws.append([None, None, "02", "医院二标段", None, None, "2022-08-02"])
    ws.append(["政府采购", "CG-08-01", None, "车辆采购", "市本级", 45.5, "2022-08-03"])
    for cells in ("A2:A5", "B2:B3", "E2:E3", "B4:B5", "E4:E5", "F4:F5"):
        ws.merge_cells(cells)
    _save(wb, HERE / "merged_data_cells" / "input.xlsx")


CASES = [merged_data_cells, title_unit_line_totals, two_level_header, sheet_per_category, csv_gbk_synonyms,
         subtotals_and_difference]

if __name__ == "__main__":
    for case in CASES:
        case()
