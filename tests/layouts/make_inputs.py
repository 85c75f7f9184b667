"""Write the corpus of layouts (deterministic; the files are committed): one folder per layout with its
workbook or CSV and expected.json (GGZY_REGOLD=1 pytest tests/test_layout_corpus.py rewrites those).

    python tests/layouts/make_inputs.py

Each layout copies the form of a table a real centre (or the page reporting it) published — its headers as
written there, with their brackets, units, qualifiers and line breaks — and fills it with rows of the kind
that form holds (the amounts quoted on the page where it quotes any). ``source`` is where the form was read.
``expect`` states what the import must give, independently of the golden file: the exit code, how many
records are posted and how many of them failed (流标/流拍), the categories, the sum of the deal amounts in fen,
the derived-column differences, and for a layout that cannot be read alone, words the error must contain.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
FIXED_TIME = (2024, 12, 1, 0, 0, 0)


@dataclass
class Layout:
    name: str
    source: str
    file: str  # the file's name: a file name can say the category (政府采购2024年9月.csv)
    sheet: str
    header: list[list[object]]  # one or two header rows
    rows: list[list[object]]
    preamble: list[list[object]] = field(default_factory=list)  # title, unit line
    tail: list[list[object]] = field(default_factory=list)  # 合计, notes
    merges: list[str] = field(default_factory=list)  # A1-style ranges
    encoding: str = "utf-8-sig"  # CSV only
    expect: dict[str, object] = field(default_factory=dict)


def _save(workbook: Workbook, path: Path) -> None:
    """Save with fixed timestamps inside the zip, so the bytes do not change between runs."""
    temporary = path.with_suffix(".tmp")
    workbook.save(temporary)
    with zipfile.ZipFile(temporary) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2024-12-01T00:00:00Z", data)
            target.writestr(info, data)
    temporary.unlink()


def write(layout: Layout, folder: Path | None = None) -> Path:
    folder = folder or HERE / layout.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / layout.file
    lines = [*layout.preamble, *layout.header, *layout.rows, *layout.tail]
    if path.suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows([["" if c is None else c for c in r] for r in lines])
        path.write_bytes(buffer.getvalue().encode(layout.encoding))
        return path
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = layout.sheet
    for line in lines:
        sheet.append(line)
    for cells in layout.merges:
        sheet.merge_cells(cells)
    _save(workbook, path)
    return path


def fen(*amounts: str, unit: str = "万元") -> int:
    """The sum of amounts written in ``unit``, in fen, exactly (for ``expect``)."""
    from decimal import Decimal

    scale = {"元": 100, "万元": 1_000_000, "亿元": 10_000_000_000}[unit]
    return int(sum(Decimal(a) * scale for a in amounts))


LAYOUTS: list[Layout] = [
    Layout(
        "yunnan_honghe_construction_awards",
        "https://ggzy.yn.gov.cn/#/tradeHall/tradeDetail?guid=83de99b8-4226-4b4f-8c13-3511e2bc0ee1&colCode=1"
        "&rowCode=中标候选人公示&from=jiaoYi (红河州公共资源交易中心 中标候选人公示: 标段编号, 公共资源交易行业分类, "
        "工程类型, 合同估算价(万元), 拦标价(万元), 开标时间, 招标方式)",
        "input.xlsx", "中标结果",
        [["标段编号", "标段名称", "公共资源交易\n行业分类", "工程类型", "合同估算价\n（万元）", "拦标价\n（万元）",
          "中标人", "中标价\n（万元）", "开标时间", "招标方式"]],
        [["GC532500202400525001001", "蒙自市大屯海流域可持续发展工程监理", "水利水电工程", "监理", 140, 140,
          "浙江宏正工程咨询集团有限公司", 136.8, "2024-08-27 09:00", "公开招标"],
         ["GC532500202400531001001", "个旧市城区供水管网改造工程", "市政工程", "施工", "2,310.50", "2,300.00",
          "云南建投第二安装工程有限公司", "2,185.33", "2024-08-28 09:30", "公开招标"],
         ["GC532500202400540002001", "红河州职业技术学院实训楼", "房屋建筑工程", "施工", 5600, 5580,
          "云南工程建设总承包股份有限公司", 5301.2, "2024-08-30 14:00", "公开招标"]],
        preamble=[["红河州公共资源交易中心2024年8月工程建设项目中标情况"]],
        expect={"exit": 0, "posted": 3, "failed": 0, "categories": {"construction": 3},
                "deal_fen": fen("136.8", "2185.33", "5301.2")}),
    Layout(
        "shandong_procurement_packages",
        "http://www.ccgp-shandong.gov.cn/sdgp2017/site/listcontnew.jsp?id=225992854 (山东省公共资源交易中心 "
        "中标（成交）结果公告: 项目编号, 标包, 供应商名称, 中标（成交）金额)",
        "input.xlsx", "政府采购",
        [["项目编号", "项目名称", "标包", "供应商名称", "中标（成交）金额（万元）", "中标日期"]],
        [["SDGP370000000202402005642", "山东建筑大学2024年新一代信息技术实训教学平台建设项目", "2",
          "山东航盛建设工程有限公司", "68.79", "2024-08-27"],
         ["SDGP370000000202402005642", "山东建筑大学2024年新一代信息技术实训教学平台建设项目", "5",
          "神州瑞宸建设集团有限公司", "44.5", "2024-08-27"],
         ["SDGP370000000202402005650", "山东建筑大学实验室家具采购项目", "1", "—", "流标", "2024-08-28"]],
        expect={"exit": 0, "posted": 3, "failed": 1, "categories": {"procurement": 3},
                "deal_fen": fen("68.79", "44.5")}),
    Layout(
        "nanjing_section_awards",
        "http://njggzy.nanjing.gov.cn/njweb/jtsw/069008/069008/20240828/63a3d32a-23e2-487c-ad68-aece642bd585.html "
        "(南京市公共资源交易中心 交通水务中标公告: 项目编号, 标段名称, 标段编号, 中标单位, 中标金额(元), 项目负责人)",
        "input.xlsx", "工程建设",
        [["项目名称", "项目编号", "标段名称", "标段编号", "中标单位", "中标金额(元)", "项目负责人", "招标人",
          "中标日期"]],
        [["GH9芜申线航道高淳(K247+000—K252+095)段维护性疏浚工程", "E2024072951003024", "2024GCSJ-SG1标段",
          "E2024072951003024233220", "南京航务工程有限公司", 14006665, "张来平", "南京市高淳区港航事业发展中心",
          "2024-08-28"],
         ["溧水区石臼湖堤防加固工程", "E2024072951003031", "施工标段", "E2024072951003031233221",
          "江苏水利建设工程有限公司", "8,650,321.56", "王强", "南京市溧水区水务局", "2024-08-29"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"construction": 2},
                "deal_fen": fen("14006665", "8650321.56", unit="元")}),
    Layout(
        "hebei_procurement_gbk_csv",
        "http://ggzy.hebei.gov.cn/hbggfwpt/jydt/003001/003001001/003001001001/20240826/"
        "b8c29e54-d014-42ba-a2c0-3b06a9825846.html (河北省公共资源交易服务平台: "
        "项目编号, 招标方式, 预算金额, 最高限价)",
        "政府采购2024年9月.csv", "",
        [["项目编号", "项目名称", "招标方式", "预算金额（元）", "最高限价（元）", "中标（成交）金额（元）",
          "中标供应商",
          "开标时间"]],
        [["HB2024081770010002", "吴桥县人民法院刑事智慧法庭装备采购", "公开招标", "400000", "400000", "386500",
          "河北智信科技有限公司", "2024-09-18 09:00"],
         ["HB2024081770010011", "吴桥县第二中学课桌椅采购", "竞争性磋商", "260000.00", "260000.00", "/",
          None, "2024-09-19 09:30"]],
        encoding="gbk",
        expect={"exit": 0, "posted": 2, "failed": 1, "categories": {"procurement": 2},
                "deal_fen": fen("386500", unit="元")}),
    Layout(
        "guangdong_yangjiang_budget_ceiling",
        "https://huggingface.co/datasets/ted-z/bid-report (阳江市江城第十四小学设备购置项目招标公告, 广东省政府采购网: "
        "项目编号, 采购方式, 预算金额, 品目预算(元), 最高限价(元))",
        "input.xlsx", "采购结果",
        [["项目编号", "项目名称", "采购方式", "控制价/预算金额（元）", "中标金额（元）", "中标供应商", "中标日期",
          "节约资金（元）"]],
        [["YJGPC2024062Z", "阳江市江城第十四小学设备购置项目", "公开招标", "1,322,675.00", "1,268,900.00",
          "阳江市华信电子有限公司", "2024-09-30", "53,775.00"],
         ["YJGPC2024071Z", "阳江市江城区人民医院体检车采购", "公开招标", "980,000.00", "955,000.00",
          "广东粤运汽车有限公司", "2024-10-11", "25,000.00"]],
        preamble=[["阳江市政府采购中标结果台账（2024年9-10月）"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"procurement": 2},
                "deal_fen": fen("1268900", "955000", unit="元"), "differences": 0}),
    Layout(
        "shaanxi_hanzhong_land_result",
        "https://wap.qianlima.com/zb/detail/20241111_461201889.html (汉中市 国有建设用地使用权网上挂牌出让结果公示: "
        "宗地编号, 地块位置, 土地用途, 土地面积, 出让年期, 成交价 (万元), 受让单位, 备注)",
        "input.xlsx", "挂牌结果",
        [["宗地编号", "地块位置", "土地用途", "土地面积", "出让年期", "成交价 (万元)", "受让单位", "成交日期", "备注"]],
        [["HZ-NZ-2024-17", "汉中市南郑区铺镇贺坎村", "工业用地", "6782.3㎡", "50年", "356.071", "汉中宏达机械有限公司",
          "2024-11-09", "按标准地出让"],
         ["HZ-NZ-2024-18", "汉中市南郑区大河坎镇", "城镇住宅用地", "21450㎡", "70年", "8,215.5", "汉中城投置业有限公司",
          "2024-11-09", None],
         ["HZ-HT-2024-05", "汉中市汉台区龙江街道", "商服用地", "3300㎡", "40年", None, None, "2024-11-09",
          "无人报名，流拍"]],
        preamble=[["汉中市2024年第三次国有建设用地使用权网上挂牌出让结果公示"]],
        expect={"exit": 0, "posted": 3, "failed": 1, "categories": {"land": 3},
                "deal_fen": fen("356.071", "8215.5"), "regions": {"南郑区", "汉台区"},
                "subcategories": {"工业用地", "住宅用地", "商服用地"}}),
    Layout(
        "hubei_mining_listing",
        "https://www.88cc88.com/mining-rights-transfer/show-1919.html (矿业权交易 项目基本情况: 编号, 探采, 矿种, "
        "截止时间, 交易状态, 起始价(元), 成交价(元), 所在地 — amounts written as 519.00万)",
        "input.xlsx", "矿业权交易",
        [["编号", "探采", "矿种", "截止时间", "交易状态", "起始价(元)", "成交价(元)", "所在地"]],
        [["G2500334", "采", "辉绿岩", "2024-10-18", "已成交", "519.00万", "1379.00万", "湖北省随州市曾都区何店镇"],
         ["G2500341", "采", "石灰岩", "2024-10-25", "已成交", "236.50万", "410.00万", "湖北省宜昌市夷陵区"],
         ["G2500347", "探", "金矿", "2024-10-30", "流拍", "85.00万", None, "湖北省十堰市郧西县"]],
        expect={"exit": 0, "posted": 3, "failed": 1, "categories": {"mining": 3},
                "deal_fen": fen("1379", "410"), "regions": {"曾都区", "夷陵区", "郧西县"},
                "subcategories": {"采矿权", "探矿权"}}),
    Layout(
        "zhejiang_mining_right_names",
        "http://zrzyt.zj.gov.cn/art/2022/11/1/art_1292588_59008817.html (浙江省自然资源厅 采矿权网上挂牌出让公告: "
        "采矿权名称, 矿区位置, 开采矿种(矿产代码), 出让起始价)",
        "input.xlsx", "成交结果",
        [["序号", "公告编号", "采矿权名称", "矿区位置", "开采矿种（矿产代码）", "出让起始价（万元）", "成交价（万元）",
          "竞得人", "成交时间"]],
        [[1, "浙资交矿公告〔2022〕13号", "浙江省龙泉市兰巨乡创新平台大湾组团矿地综合开发利用项目建筑用花岗岩矿采矿权",
          "龙泉市兰巨乡大汪村", "建筑用花岗岩（84711）", "12,865", "27,310", "龙泉市城市建设投资有限公司",
          "2022年12月2日"],
         [2, "浙资交矿公告〔2022〕14号", "浙江省衢州市衢江区上方镇建筑用石料（凝灰岩）矿采矿权",
          "衢州市衢江区上方镇", "建筑用凝灰岩（84721）", "9,420", "19,900", "衢州市交通建设集团有限公司",
          "2022年12月6日"]],
        preamble=[["浙江省矿业权网上挂牌出让成交结果（2022年第四季度）"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"mining": 2}, "deal_fen": fen("27310", "19900"),
                "regions": {"龙泉市", "衢江区"}, "subcategories": {"采矿权"}}),
    Layout(
        "fujian_fuzhou_mining_failed_listing",
        "http://news.h0591.com/2012/0706/149295.htm (福州市土地矿产交易中心 采矿权挂牌出让: 樟挂2012挂01号, 矿种 "
        "建筑用凝灰岩, 出让起始价 959.68万 (流挂), 853.22万 → 863.22万)",
        "input.xlsx", "采矿权挂牌出让",
        [["地块编号", "位置", "矿种", "资源量（万立方米）", "出让年限", "出让起始价（万元）", "成交价（万元）",
          "竞得人",
          "挂牌截止日期"]],
        [["樟挂2012挂01号", "永泰县塘前乡大樟村小兴坑", "建筑用凝灰岩", 299.9, "3.5年", "959.68", "流挂", None,
          "2012-07-04"],
         ["樟挂2012挂02号", "永泰县塘前乡大樟村七古头", "建筑用凝灰岩", 230.6, "3.5年", "853.22", "863.22",
          "永泰县恒顺石材加工场", "2012-07-04"]],
        expect={"exit": 0, "posted": 2, "failed": 1, "categories": {"mining": 2}, "deal_fen": fen("863.22"),
                "regions": {"永泰县"}, "subcategories": {"采矿权"}}),
    Layout(
        "hunan_exploration_premium",
        "http://www.kelleysdeliri.com/rmxw/180179.html (湖南省公共资源交易中心 7宗探矿权挂牌出让: 起始价, 成交价, "
        "溢价率 — 桃江县包狮村 70万 → 5050万 7114%; 临湘市上塘冲 30万 → 2110万 6933%)",
        "input.xlsx", "Sheet1",
        [["序号", "项目编号", "矿业权名称", "起始价（万元）", "成交价（万元）", "溢价率", "竞得人", "成交日期"]],
        [[1, "HNKQ-2025-031", "湖南省桃江县包狮村矿区金矿普查探矿权", 70, 5050, "7114%", "湖南黄金集团有限责任公司",
          "2025-08-05"],
         [2, "HNKQ-2025-032", "湖南省临湘市上塘冲矿区铅锌萤石矿详查探矿权", 30, 2110, "6933%", "湖南有色地质勘查局",
          "2025-08-05"]],
        preamble=[["湖南省探矿权挂牌出让成交结果一览表"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"mining": 2}, "deal_fen": fen("5050", "2110"),
                "differences": 0, "subcategories": {"探矿权"}}),
    Layout(
        "gansu_zhangye_mining_two_level",
        "http://m.r3985.cn/news/show.php?itemid=3965 (张掖市自然资源局 矿业权出让: 平山湖3号天然石英砂矿采矿权 "
        "4016.78万 → 8476.78万 溢价率111.03%; 大黑沟探矿权 52万 → 522万 903.85%; 红崖子 2616.94万 → 3.0667亿 "
        "1071.86%)",
        "input.xlsx", "矿业权",
        [["项目编号", "矿业权名称", "价格（万元）", None, "溢价率（%）", "竞得人", "成交日期"],
         [None, None, "起始价", "成交价", None, None, None]],
        [["ZYKQ-2025-01", "张掖市甘州区平山湖3号天然石英砂矿采矿权", "4016.78", "8476.78", "111.03", "甘肃砂业有限公司",
          "2025-01-16"],
         ["ZYKQ-2025-02", "肃南县大黑沟铜多金属矿普查探矿权", "52", "522", "903.85", "甘肃地矿勘查有限公司",
          "2025-02-20"],
         ["ZYKQ-2025-03", "山丹县红崖子石英岩矿采矿权", "2616.94", "30667", "1071.86", "山丹县硅业有限公司",
          "2025-03-12"]],
        merges=["C1:D1", "A1:A2", "B1:B2", "E1:E2", "F1:F2", "G1:G2"],
        expect={"exit": 0, "posted": 3, "failed": 0, "categories": {"mining": 3},
                "deal_fen": fen("8476.78", "522", "30667"), "differences": 0, "subcategories": {"采矿权", "探矿权"}}),
    Layout(
        "shanxi_shuozhou_mining_bare_code",
        "http://gdtianyu.net/industry/144272.html (朔州市采矿权挂牌出让交易结果公示: 面积, 资源储量, 起始价 "
        "1400万 → 10000万 约614%, 750万 → 7050万 约840%, 180万 → 740万 约311%)",
        "input.xlsx", "采矿权出让",
        [["编号", "名称", "位置", "面积（平方公里）", "资源储量（万吨）", "起始价（万元）", "成交价（万元）", "溢价率",
          "竞得人", "成交日期"]],
        [["SZ-2025-01", "朔城区滋润乡夏关城村建筑用砂一号矿区", "朔州市朔城区滋润乡夏关城村", 0.508, 772.56, 1400,
          10000, "614%", "山西金烨建筑工程有限公司", "2025-01-10"],
         ["SZ-2025-02", "朔城区南榆林沙洼村建筑用砂二号矿区", "朔州市朔城区南榆林乡沙洼村", 0.311, 472.35, 750, 7050,
          "840%", "山西国发兴隆工贸有限公司", "2025-01-10"],
         ["SZ-2025-03", "朔城区沙塄河乡大涂皋村建筑用砂三号矿区", "朔州市朔城区沙塄河乡大涂皋村", 0.142, 161.97, 180,
          740, "311%", "太原市大涂皋沙石开采有限公司", "2025-01-10"]],
        expect={"exit": 0, "posted": 3, "failed": 0, "categories": {"mining": 3},
                "deal_fen": fen("10000", "7050", "740"), "differences": 0, "regions": {"朔城区"},
                "subcategories": {"采矿权"}}),
    Layout(
        "sichuan_dazhou_mining_auction",
        "http://61.157.227.32/index.php?a=shows&catid=52&id=1406 (达州市公共资源交易中心 采矿权拍卖: 180万元竞得, "
        "高出起始价55万元, 溢价率44%)",
        "input.xlsx", "矿业权拍卖",
        [["项目编号", "采矿权名称", "起始价(万元)", "成交价(万元)", "增值额(万元)", "溢价率", "竞得单位", "拍卖日期"]],
        [["DZKY-2015-01", "万源市白沙镇苦草坪石膏矿采矿权", 125, 180, 55, "44%", "万源市龙强建材科技开发有限公司",
          "2015-10-10"]],
        expect={"exit": 0, "posted": 1, "failed": 0, "categories": {"mining": 1}, "deal_fen": fen("180"),
                "differences": 0}),
    Layout(
        "gansu_mining_unit_line",
        "https://cigem.cn/auto/db/detail?db=800001&rid=160217B8D3BE81D498CD6764E24B7B34 (甘肃省17宗矿业权挂牌出让: "
        "出让底价, 成交总价; 徽县洛坝铅锌矿南侧空白区采矿权 起始价28万元, 8088万元竞得)",
        "input.xlsx", "挂牌出让",
        [["序号", "项目编号", "矿权名称", "矿种", "出让底价", "成交价", "竞得人", "成交日期"]],
        [[1, "GSKQ-2024-07", "徽县洛坝铅锌矿南侧空白区采矿权", "铅锌矿", "28", "8088", "金徽矿业股份有限公司",
          "2024-06-12"],
         [2, "GSKQ-2024-08", "陇南市文县下坝重晶石矿普查探矿权", "重晶石", "310", "1,250",
          "甘肃省地矿局第一地质矿产勘查院",
          "2024-06-12"]],
        preamble=[["甘肃省矿业权挂牌出让成交结果"], ["单位：万元"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"mining": 2}, "deal_fen": fen("8088", "1250")}),
    Layout(
        "yunnan_baoshan_monthly_mixed",
        "https://baoshan.gov.cn/info/4363/2978664.htm (保山市公共资源交易月报: "
        "工程建设项目 中标金额 节约资金; 政府采购 "
        "成交金额 节约资金; 土地、矿业权、罚没财物和国有产权 成交金额 增价)",
        "input.xlsx", "交易明细",
        [["序号", "交易类别", "项目编号", "项目名称", "所属中心", "招标控制价（万元）", "中标（成交）金额（万元）",
          "节约资金（万元）", "增价（万元）", "成交日期"]],
        [[1, "工程建设", "BSGC2020-081", "隆阳区永昌街道排水管网工程", "市级中心", "1,250.00", "1,198.60", "51.40",
          None,
          "2020-08-06"],
         [2, "政府采购", "BSCG2020-144", "保山市第一人民医院医疗设备采购", "市级中心", "430.00", "415.20", "14.80",
          None, "2020-08-12"],
         [3, "国有产权", "BSCQ2020-009", "保山市公交公司报废车辆处置", "市级中心", None, "23.67", None, None,
          "2020-08-20"]],
        preamble=[["保山市公共资源交易中心2020年8月交易项目明细"]],
        expect={"exit": 0, "posted": 3, "failed": 0,
                "categories": {"construction": 1, "procurement": 1, "property": 1},
                "deal_fen": fen("1198.60", "415.20", "23.67"), "differences": 0}),
    Layout(
        "jiangsu_wuxi_by_region",
        "https://ggzyjy.wuxi.gov.cn/doc/2023/09/20/4067186.shtml (无锡市公共资源交易月报: 无锡市、江阴市、宜兴市; "
        "工程建设招标投标, 政府采购, 土地使用权出让, 探矿权出让, 国有产权交易; 交易额, 节约金额, 资金节约率)",
        "input.xlsx", "8月",
        [["所属地区", "行业分类", "项目编号", "项目名称", "预算金额（万元）", "交易额（万元）", "节约金额（万元）",
          "资金节约率", "交易日期"]],
        [["江阴市", "工程建设招标投标", "JYGC2023080012", "江阴市璜土镇污水管网工程", "3,560.00", "3,204.00", "356.00",
          "10.00%", "2023-08-08"],
         ["宜兴市", "政府采购", "YXCG2023080231", "宜兴市教育局课桌椅采购", "268.00", "251.92", "16.08", "6.00%",
          "2023-08-15"],
         ["无锡市", "土地使用权出让", "XDG-2023-35", "新吴区梅村街道XDG-2023-35号地块", None, "86,927.30", None, None,
          "2023-08-23"],
         ["无锡市", "探矿权出让", "WXTK-2023-03", "宜兴市张渚镇石灰岩矿普查探矿权", None, "4,726.00", None, None,
          "2023-08-29"]],
        preamble=[["无锡市公共资源交易项目明细（2023年8月）"]],
        expect={"exit": 0, "posted": 4, "failed": 0,
                "categories": {"construction": 1, "procurement": 1, "land": 1, "mining": 1},
                "deal_fen": fen("3204", "251.92", "86927.30", "4726"), "differences": 0}),
    Layout(
        "gansu_zhangye_county_centres",
        "http://www.ggzy2015.com/JyNewsXiangQServlet_2016IRPe0tuT7e.html (张掖市公共资源交易 2016年8月: 市级平台, "
        "临泽县、高台县、山丹县、民乐县、肃南县分中心; 政府采购 交易金额, 节约资金)",
        "input.xlsx", "8月明细",
        [["县区", "项目类别", "项目编号", "项目名称", "预算金额（万元）", "成交金额（万元）", "节约资金（万元）",
          "成交日期"]],
        [["临泽县", "政府采购", "LZCG-2016-0812", "临泽县人民医院CT机采购", "520", "498.5", "21.5", "2016-08-12"],
         ["高台县", "工程建设", "GTGC-2016-0809", "高台县城区道路改造工程", "1,860", "1,765.3", "94.7", "2016-08-09"],
         ["山丹县", "政府采购", "SDCG-2016-0820", "山丹县公安局执法记录仪采购", "36", "/", "/", "2016-08-20"]],
        expect={"exit": 0, "posted": 3, "failed": 1, "categories": {"procurement": 2, "construction": 1},
                "deal_fen": fen("498.5", "1765.3"), "differences": 0,
                "regions": {"临泽县", "高台县", "山丹县"}}),
    Layout(
        "shenzhen_procurement_savings_rate",
        "http://lcsparking.com/viewer.do?id=611616010 (深圳市政府采购中心 2020年1月: 采购方式, 预算金额(万元), "
        "实际采购金额(万元), 节约资金(万元), 节资率(%) — '/' where nothing was saved)",
        "input.xlsx", "政府采购1月",
        [["采购方式", "项目编号", "项目名称", "预算金额（万元）", "实际采购金额（万元）", "节约资金（万元）",
          "节资率（%）",
          "成交日期"]],
        [["公开招标", "SZCG2020000011", "深圳市教育局教学设备采购", "1,200.00", "1,120.80", "79.20", "6.60",
          "2020-01-09"],
         ["单一来源", "SZCG2020000027", "深圳市气象局雷达系统维保", "386.00", "385.04", "0.96", "0.25", "2020-01-14"],
         ["竞争性谈判", "SZCG2020000035", "深圳市档案馆数字化加工服务", "0.0005", "0.0005", "/", "/", "2020-01-20"],
         ["公开招标", "SZCG2020000041", "深圳市交警支队执法车辆采购", "900.00", "846.00", "54.00", "5.00",
          "2020-01-22"]],
        preamble=[["深圳市政府采购中心2020年1月采购项目情况"]],
        # the last row prints 节资率 5.00 where its own amounts give 6.00: one difference, exit 1
        expect={"exit": 1, "posted": 4, "failed": 0, "categories": {"procurement": 4},
                "deal_fen": fen("1120.80", "385.04", "0.0005", "846.00"), "differences": 1}),
    Layout(
        "shandong_dongping_plan_vs_actual",
        "https://www.dp.gov.cn/dpczj/info/1005/1918.htm (东平县2019年政府采购: 货物类、工程类、服务类; 采购计划金额, "
        "实际采购金额, 节约资金, 节约率)",
        "input.xlsx", "政府采购",
        [["采购类别", "项目编号", "项目名称", "采购计划金额\n(万元)", "实际采购金额\n(万元)", "节约资金\n(万元)",
          "节约率",
          "签订日期"]],
        [["货物类", "DPCG-2019-101", "东平县第一中学教学设备采购", "386.50", "317.00", "69.50", "17.98%", "2019-05-16"],
         ["工程类", "DPCG-2019-214", "东平县接山镇村道硬化工程", "1,200.00", "984.00", "216.00", "18.00%",
          "2019-07-02"],
         ["服务类", "DPCG-2019-305", "东平县政务服务中心物业服务", "96.00", "89.70", "6.30", "6.56%", "2019-09-20"]],
        preamble=[["东平县2019年政府采购项目明细"]],
        expect={"exit": 0, "posted": 3, "failed": 0, "categories": {"procurement": 3},
                "deal_fen": fen("317", "984", "89.70"), "differences": 0}),
    Layout(
        "shanghai_property_premium",
        "https://paper.cnstock.com/html/2007-02/08/content_51926081.htm (上海联合产权交易所 央企项目公开挂牌转让: "
        "挂牌价, 成交价, 平均增值率)",
        "input.xlsx", "产权交易",
        [["项目编号", "标的名称", "转让方", "挂牌价格（万元）", "成交价格（万元）", "增值额（万元）", "增值率",
          "受让方",
          "成交日期"]],
        [["G306SH1000121", "上海某机电设备有限公司60%股权", "中国某集团公司", "2,400.00", "2,760.00", "360.00",
          "15.00%",
          "上海机电投资有限公司", "2006-12-18"],
         ["G306SH1000135", "上海某物流有限公司100%股权", "中国某运输集团", "5,100.00", "5,355.00", "355.00", "5.00%",
          "上海港物流有限公司", "2006-12-22"]],
        preamble=[["上海联合产权交易所2006年12月央企产权转让成交项目"]],
        # the second row prints 增值额 355.00 where 5,355.00 − 5,100.00 = 255.00: one difference, exit 1
        expect={"exit": 1, "posted": 2, "failed": 0, "categories": {"property": 2},
                "deal_fen": fen("2760", "5355"), "differences": 1}),
    Layout(
        "hangzhou_equity_transfer",
        "https://m.bidcenter.com.cn/news-9-209836645.html (杭州产权交易所 产权转让: 杭州崇韵置业有限公司100%股权, "
        "网络竞价或在线报价)",
        "input.xlsx", "Sheet1",
        [["项目编号", "项目名称", "转让底价（万元）", "成交价（万元）", "受让方", "交易方式", "成交日期"]],
        [["HZCQ2024-0317", "杭州崇韵置业有限公司100%股权", "32,180.55", "32,180.55", "杭州城投资产管理有限公司",
          "网络竞价", "2024-05-20"],
         ["HZCQ2024-0322", "杭州某商贸有限公司房产（文三路）", "1,260.00", "—", None, "网络竞价", "2024-05-28"]],
        preamble=[["杭州产权交易所企业国有产权转让成交信息"]],
        expect={"exit": 0, "posted": 2, "failed": 1, "categories": {"property": 2}, "deal_fen": fen("32180.55")}),
    Layout(
        "yunnan_baoshan_sales_by_type",
        "https://baoshan.gov.cn/info/4363/2978664.htm (保山市: "
        "土地、矿业权、罚没财物和国有产权交易项目 成交金额, 增价)",
        "input.xlsx", "出让转让",
        [["序号", "类型", "编号", "名称", "起始价（万元）", "成交价（万元）", "增价（万元）", "竞得人", "成交日期"]],
        [[1, "国有建设用地使用权", "BS2020-G-11", "隆阳区青华片区G11号地块", "2,860", "2,920", "60",
          "保山市城投置业有限公司", "2020-08-18"],
         [2, "采矿权", "BS2020-K-03", "施甸县姚关镇建筑用石灰岩矿", "312", "339.67", "27.67", "施甸县建材有限公司",
          "2020-08-21"],
         [3, "国有产权", "BS2020-C-07", "保山市某国有企业闲置厂房转让", "150", "150", "0", "云南某物流公司",
          "2020-08-26"]],
        expect={"exit": 0, "posted": 3, "failed": 0, "categories": {"land": 1, "mining": 1, "property": 1},
                "deal_fen": fen("2920", "339.67", "150"), "differences": 0}),
    Layout(
        "city_procurement_scale",
        "http://www.ocrzy.com/html/.zwxxgzdtczdt.201801t20180113_1072019.html (2017年本级政府采购: 货物类、工程类、"
        "服务类; 预算规模, 实际采购规模, 节约资金, 节约率)",
        "input.xlsx", "集中采购",
        [["采购编号", "采购项目", "品目类别", "预算规模（万元）", "实际采购规模（万元）", "节约资金（万元）", "节约率",
          "合同签订日期"]],
        [["JZCG-2017-0412", "市疾控中心检测设备", "货物类", "860.00", "772.33", "87.67", "10.19%", "2017-06-05"],
         ["JZCG-2017-0588", "市政务云运维服务", "服务类", "1,320.00", "1,205.16", "114.84", "8.70%", "2017-09-14"]],
        preamble=[["市本级政府集中采购项目明细（2017年）"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"procurement": 2},
                "deal_fen": fen("772.33", "1205.16"), "differences": 0}),
    Layout(
        "yichang_publication_date_only",
        "tests/fixtures/realdata/README.md (宜昌市公共资源交易中心 中标结果公告, as parsed in coomaso/zhongbiao): "
        "标段(包)编号, 中标价(元), 中标价(报价承诺), 公告发布日期 — no trade date column",
        "input.xlsx", "中标结果",
        [["标段(包)编号", "标段(包)名称", "招标人", "中标人", "中标价(元)", "中标价(报价承诺)", "公告发布日期"]],
        [["XSA070002-2025-01", "夷陵区黄柏河水库除险加固工程", "夷陵区水利和湖泊局", "湖北水总水利水电建设股份有限公司",
          "12560000.00", None, "2025-03-14"],
         ["WFA010011-2025-02", "五峰县人民医院门诊楼改造", "五峰土家族自治县人民医院", "湖北远大建设集团有限公司", None,
          "49.23%", "2025-03-20"]],
        expect={"exit": 2, "error": ["no column holds the 成交日期 (trade date)", "公告发布日期: trade_date"]}),
    Layout(
        "shenzhen_method_summary",
        "http://lcsparking.com/viewer.do?id=611616010 (深圳市政府采购中心 按采购方式划分: 项目数(个), 预算金额(万元), "
        "实际采购金额(万元), 节省资金(万元), 节资率(%) — a summary, not records)",
        "input.xlsx", "按采购方式",
        [["采购方式", "项目数(个)", "预算金额(万元)", "实际采购金额(万元)", "节省资金(万元)", "节资率(%)"]],
        [["公开招标", 73, 40655, 37981, 2674, 6.58], ["竞争性谈判", 5, 0.0005, 0.0005, "/", "/"],
         ["单一来源", 4, 21868, 21807, 60, 0.27]],
        tail=[["共计", "/", 64338, 61495, 2843, 4.42]],
        expect={"exit": 2, "error": ["no column holds the 项目编号 (project code)", "项目数(个)"]}),
    Layout(
        "land_two_level_price_group",
        "https://www.61405.com/baike/89999399305.html (土地拍卖: 起拍价, 成交价, 楼面价 = 成交总价 ÷ 规划建筑面积, "
        "溢价率 = (成交价 − 起拍价) ÷ 起拍价) and https://wap.qianlima.com/zb/detail/20241111_461201889.html",
        "input.xlsx", "国有建设用地",
        [["宗地编号（挂牌）", "土地坐落", "用途", "出让面积（㎡）", "价格（万元）", None, "楼面价（元/㎡）", "溢价率",
          "竞得人", "成交时间"],
         [None, None, None, None, "起拍价", "成交价", None, None, None, None]],
        [["杭政储出[2023]45号", "杭州市西湖区转塘街道", "住宅用地", 36520, "131,500", "151,225", 16561, "15.00%",
          "杭州滨江房产集团股份有限公司", "2023-05-18"],
         ["杭政工出[2023]12号", "杭州市余杭区仁和街道", "工业用地", 52110, "2,345", "2,345", 450, "0.00%",
          "杭州某智能制造有限公司", "2023-05-18"],
         ["杭政储出[2023]47号", "杭州市拱墅区祥符街道", "商服用地", 18800, "58,900", "—", None, None, None,
          "2023-05-18"]],
        merges=["E1:F1", "A1:A2", "B1:B2", "C1:C2", "D1:D2", "G1:G2", "H1:H2", "I1:I2", "J1:J2"],
        expect={"exit": 0, "posted": 3, "failed": 1, "categories": {"land": 3}, "deal_fen": fen("151225", "2345"),
                "differences": 0, "regions": {"西湖区", "余杭区", "拱墅区"},
                "subcategories": {"住宅用地", "工业用地", "商服用地"}}),
    Layout(
        "hebei_procurement_totals_notes",
        "http://ggzy.hebei.gov.cn/hbggfwpt/jydt/003001/003001001/003001001001/20240826/"
        "b8c29e54-d014-42ba-a2c0-3b06a9825846.html (河北: 项目编号, 预算金额, 最高限价) with a 合计 and notes as "
        "monthly detail tables carry them",
        "input.xlsx", "9月",
        [["序号", "项目编号", "项目名称", "预算金额", "成交金额", "成交供应商", "开标日期", "备注"]],
        [[1, "HB2024081770010002", "吴桥县人民法院刑事智慧法庭装备采购", "40.00", "38.65", "河北智信科技有限公司",
          "2024-09-18", None],
         [2, "HB2024081770010019", "吴桥县城区环卫设备采购", "126.80", None, None, "2024-09-20", "无人报名，流标"],
         [3, "HB2024081770010023", "吴桥县图书馆图书采购", "35.00", "33.10", "河北新华书店有限公司", "2024-09-24",
          None]],
        preamble=[["吴桥县2024年9月政府采购交易明细表"], ["填报单位：吴桥县公共资源交易中心", None, None, None, None,
                                                    "金额单位：万元"]],
        tail=[["合计", None, None, "201.80", "71.75"], ["注：流标项目不计入成交金额。"]],
        expect={"exit": 0, "posted": 3, "failed": 1, "categories": {"procurement": 3}, "deal_fen": fen("38.65",
                                                                                                       "33.10"),
                "totals_ok": 2}),
    Layout(
        "nanjing_project_section_qualifier",
        "http://njggzy.nanjing.gov.cn/njweb/jtsw/069008/069008/20240828/63a3d32a-23e2-487c-ad68-aece642bd585.html "
        "(南京: 项目编号, 标段编号) with the qualified headers of award notices "
        "(中标价(报价承诺), as 宜昌 prints them)",
        "input.xlsx", "房建市政",
        [["项目（标段）编号", "工程名称", "中标人", "中标价\n（万元）", "中标价（报价承诺）", "开标日期"]],
        [["E3201000101002566001", "南京市江宁区淳化街道安置房项目", "南京建工集团有限公司", "18,650.32", None,
          "2024-09-03"],
         ["E3201000101002571001", "南京市浦口区桥林街道道路工程", "中建八局第三建设有限公司", None, "下浮率3.5%",
          "2024-09-05"]],
        expect={"exit": 1, "posted": 1, "failed": 0, "quarantined": 1, "categories": {"construction": 1},
                "deal_fen": fen("18650.32")}),
    Layout(
        "wuxi_land_unit_row",
        "https://ggzyjy.wuxi.gov.cn/doc/2023/09/20/4067186.shtml (无锡市: 土地使用权出让32宗, 交易额) with a row of "
        "units under the header, as land result sheets print it",
        "input.xlsx", "土地出让",
        [["地块编号", "地块名称", "土地用途", "出让起始价", "成交总价", "竞得单位", "成交日期"],
         [None, None, None, "（万元）", "（万元）", None, None]],
        [["XDG-2023-35", "新吴区梅村街道XDG-2023-35号地块", "工业用地", "4,356", "4,356", "无锡某电子科技有限公司",
          "2023-08-23"],
         ["XDG-2023-38", "滨湖区蠡湖大道西侧地块", "住宅用地", "186,000", "208,320", "无锡太湖新城置业有限公司",
          "2023-08-25"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"land": 2}, "deal_fen": fen("4356", "208320"),
                "subcategories": {"工业用地", "住宅用地"}}),
    Layout(
        "gansu_zhangye_failed_dash",
        "http://www.ggzy2015.com/JyNewsXiangQServlet_2016IRPe0tuT7e.html (张掖市 2016年8月: 工程交易, 政府采购) with "
        "a status column and '—' for sections with no winner",
        "input.xlsx", "工程建设",
        [["标段编号", "工程名称", "交易状态", "控制价（元）", "中标价（元）", "中标单位", "开标日期"]],
        [["ZYGC2016-081-01", "甘州区西环路改造工程一标段", "成交", "8,650,000.00", "8,133,700.00", "甘肃路桥建设集团",
          "2016-08-10"],
         ["ZYGC2016-081-02", "甘州区西环路改造工程二标段", "流标", "5,200,000.00", "—", "—", "2016-08-10"],
         ["ZYGC2016-085-01", "临泽县职业中学宿舍楼", "终止", "3,100,000.00", "/", None, "2016-08-16"]],
        expect={"exit": 0, "posted": 3, "failed": 1, "categories": {"construction": 3},
                "deal_fen": fen("8133700", unit="元")}),
    Layout(
        "hunan_mining_title_context",
        "https://www.51ore.com/rmxw/181613.html (湖南省自然资源厅 9宗矿业权 (7宗探矿权、2宗采矿权): 起始价合计211万元, "
        "成交价合计11593万元; 沅陵县金场溪矿区金矿普查 3550万元)",
        "input.xlsx", "Sheet1",
        [["编号", "名称", "起始价（万元）", "成交价（万元）", "竞得人", "成交日期"]],
        [["HNTK-2025-11", "湖南省沅陵县金场溪矿区金矿普查", "30", "3550", "湖南省地质院", "2025-09-02"],
         ["HNTK-2025-12", "湖南省平江县黄金洞外围金矿普查", "25", "1480", "湖南黄金集团有限责任公司", "2025-09-02"]],
        preamble=[["湖南省探矿权挂牌出让成交结果公示"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"mining": 2}, "deal_fen": fen("3550", "1480"),
                "subcategories": {"探矿权"}}),
    Layout(
        "hanzhong_land_csv_utf8",
        "https://wap.qianlima.com/zb/detail/20241111_461201889.html (汉中市 国有建设用地使用权网上挂牌出让结果公示: "
        "宗地编号, 地块位置, 土地用途, 成交价 (万元), 受让单位, 备注) as a CSV export",
        "土地出让结果2024.csv", "",
        [["宗地编号", "地块位置", "土地用途", "起始价(万元)", "成交价(万元)", "受让单位", "成交日期", "备注"]],
        [["HZ-CG-2024-02", "汉中市城固县博望街道", "工业用地", "420", "420", "城固县食品有限公司", "2024-10-15", None],
         ["HZ-MX-2024-06", "汉中市勉县勉阳街道", "住宅用地", "3,600", None, None, "2024-10-15", "流拍"]],
        expect={"exit": 0, "posted": 2, "failed": 1, "categories": {"land": 2}, "deal_fen": fen("420"),
                "regions": {"城固县", "勉县"}}),
    Layout(
        "platform_award_fullwidth_spaces",
        "https://huggingface.co/datasets/ted-z/bid-report2-subset4/viewer (中标候选人公示 as platforms print it: "
        "标段编号, 招标人, 合同估算价(万元), 拦标价(万元), 开标时间, 招标方式) with full-width brackets and spaces",
        "input.xlsx", "中标情况",
        [["标 段 编 号", "标 段 名 称", "所 属 县 区", "拦 标 价\n（ 万元 ）", "中 标 价（万元）", "中 标 单 位",
          "开 标 时 间"]],
        [["A6401000012345001", "银川市兴庆区学校改扩建工程", "兴庆区", "3,250.00", "3,088.12", "宁夏建工集团有限公司",
          "2024年9月3日"],
         ["A6402000012399001", "石嘴山市大武口区供热管网改造", "大武口区", "1,680.00", "1,621.40",
          "宁夏路桥工程股份有限公司", "2024年9月10日"]],
        preamble=[["2024年9月工程建设项目中标情况统计表"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"construction": 2},
                "deal_fen": fen("3088.12", "1621.40")}),
    Layout(
        "shenzhen_procurement_traditional",
        "http://lcsparking.com/viewer.do?id=611616010 (深圳市政府采购中心 2020年1月, as this mirror prints it in "
        "traditional characters: 月份, 項目數(個), 預算金額(萬元), 實際采購金額(萬元), 節約資金(萬元), 節資率(%))",
        "input.xlsx", "政府採購",
        [["採購方式", "項目編號", "項目名稱", "預算金額(萬元)", "實際采購金額(萬元)", "節約資金(萬元)", "節資率(%)",
          "成交日期"]],
        [["公開招標", "SZCG2020000052", "深圳市圖書館古籍修復設備採購", "300.00", "282.00", "18.00", "6.00",
          "2020-01-16"],
         ["單一來源", "SZCG2020000058", "深圳市氣象局預警系統升級", "150.00", "149.40", "0.60", "0.40", "2020-01-21"]],
        expect={"exit": 0, "posted": 2, "failed": 0, "categories": {"procurement": 2}, "deal_fen": fen("282", "149.40"),
                "differences": 0}),
]



def main() -> None:
    for layout in LAYOUTS:
        write(layout)


if __name__ == "__main__":
    main()
