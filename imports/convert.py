"""Turning the record rows of a sheet into ledger records in bulk (polars), with an exact Python path
for the cells the bulk path does not accept.

The bulk path only ever accepts what it can convert exactly (plain decimal amounts within one fen,
dates in the usual forms); any other non-blank cell goes to the same Python functions a single row
would use (``parse_money``, ``parse_date``), which either convert it or say why not. So the two paths
cannot disagree: the bulk path is a shortcut for the common case, never a second set of rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import polars as pl
from ggzy.imports.layout import Column
from ggzy.imports.normalize import MONEY_COLUMNS, classify
from ggzy.money import FEN_PER_UNIT, MoneyError
from ggzy.values import parse_count, parse_date, parse_money
from ggzy.vocab import Vocabulary, normalise_label

if TYPE_CHECKING:
    from polars._typing import PolarsDataType
    from polars.expr.whenthen import ChainedThen, Then

TEXT_FIELDS = ("name", "region", "method", "winner")
FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {"．": ".", "，": ",", "－": "-", "＋": "+", "％": "%"}
_AMOUNT = r"^(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$"
# dates the bulk path takes: ISO (with a time, as calamine writes Excel datetimes), 2022年7月5日, 2022/7/5, 2022.7.5
_DATE = (r"^(?:\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|\d{4}年\d{1,2}月\d{1,2}日"
         r"|\d{4}[./]\d{1,2}[./]\d{1,2})$")
_CODE = r"^[A-Z]{0,4}?(A\d{2})\d"
_NULL = "\x00"  # stands for a missing value in join keys
# an amount cell that says there is no amount: '/', '—', '-', '－', '无'
NO_AMOUNT = r"^\s*(?:[/／\\]+|[-－—–―─]+|无|空|/)\s*$"
# words in an amount cell or a 备注 that say the trade failed, as centres write them
FAILED_WORDS = (r"流标|流拍|流挂|无人报名|无人竞买|无人报价|未成交|废标|不足三家|终止|撤回|撤拍|撤牌|撤标"
                r"|(?:挂牌出让|拍卖出让|挂牌|拍卖|出让|交易|竞价|招标|采购)失败")  # 青海: 挂牌出让失败
# a county-level place inside a location: '汉中市南郑区铺镇贺坎村' → 南郑区 (the city when no county is named)
_COUNTY = r"(?:^|省|市|州|盟)([^省市州盟县区旗\d]{1,8}?(?:自治县|自治旗|新区|县|区|旗))"
_CITY = r"[^省市]{1,6}?市"  # the last one: '随州市广水市' → 广水市


def _cell(name: str) -> pl.Expr:
    """A cell's text, stripped; blank → null."""
    return pl.col(name).str.strip_chars().replace("", None)


def _narrow(expr: pl.Expr) -> pl.Expr:
    """Full-width digits and signs → ASCII, spaces removed: what NFKC would do to a number."""
    return expr.str.replace_many(FULL_WIDTH).str.replace_all(r"\s", "")


def _first(columns: list[Column]) -> list[str]:
    return [f"c{c.index}" for c in columns]


def _fallback(frame: pl.DataFrame, text: str, failed: str, convert: Callable[[str], Any],
              dtype: PolarsDataType) -> pl.DataFrame:
    """Run ``convert`` on the texts the bulk path refused: (value, reason) columns."""
    todo = frame.filter(pl.col(failed)).select("_i", text)
    if todo.height == 0:
        return frame.with_columns(pl.lit(None, dtype).alias("_value"), pl.lit(None, pl.String).alias("_reason"))
    values: list[Any] = []
    reasons: list[str | None] = []
    for cell in todo[text].to_list():
        try:
            values.append(convert(cell))
            reasons.append(None)
        except (MoneyError, ValueError) as exc:
            values.append(None)
            reasons.append(str(exc))
    fixed = todo.select("_i").with_columns(pl.Series("_value", values, dtype=dtype),
                                           pl.Series("_reason", reasons, dtype=pl.String))
    joined = frame.select("_i").join(fixed, on="_i", how="left", maintain_order="left")
    return frame.with_columns(joined["_value"], joined["_reason"])


def _convert(frame: pl.DataFrame, column: str, fast: pl.Expr, convert: Callable[[str], Any], dtype: PolarsDataType,
             out: str, reason: str, label: str | None = None) -> pl.DataFrame:
    """Add ``out`` — the bulk value ``fast`` where it gives one, else ``convert`` (Python) of the cell's
    text — and ``reason`` (why a non-blank cell could not be converted, prefixed by ``label``)."""
    frame = frame.with_columns(_text=_cell(column), _fast=fast)
    frame = frame.with_columns(_failed=pl.col("_text").is_not_null() & pl.col("_fast").is_null())
    frame = _fallback(frame, "_text", "_failed", convert, dtype)
    why = pl.lit(f"{label}: ") + pl.col("_reason") if label else pl.col("_reason")
    return frame.with_columns(pl.coalesce("_fast", "_value").alias(out), why.alias(reason)).drop(
        "_text", "_fast", "_failed", "_value", "_reason")


def money_column(frame: pl.DataFrame, column: str, unit: str, out: str, label: str) -> pl.DataFrame:
    """Add ``out`` (fen, Int64) and ``out_reason`` for one money column in ``unit``."""
    places = len(str(FEN_PER_UNIT[unit])) - 1
    frame = frame.with_columns(_n=_narrow(_cell(column)).replace("", None))
    parts = pl.col("_n").str.replace_all(",", "", literal=True).str.split_exact(".", 1)
    frame = frame.with_columns(_whole=parts.struct.field("field_0"),
                               _fraction=parts.struct.field("field_1").fill_null("").str.strip_chars_end("0"))
    fits = (pl.col("_n").str.contains(_AMOUNT) & (pl.col("_fraction").str.len_chars() <= places)
            & (pl.col("_whole").str.len_chars() + places <= 18))
    fen = pl.col("_whole").cast(pl.Int64, strict=False) * (10 ** places)
    if places:
        fen = fen + pl.col("_fraction").str.pad_end(places, "0").cast(pl.Int64, strict=False)
    frame = _convert(frame, column, pl.when(fits).then(fen), lambda cell: parse_money(cell, unit), pl.Int64,
                     out, f"{out}_reason", label)
    return frame.drop("_n", "_whole", "_fraction")


def date_column(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Add ``trade_date`` and ``trade_date_reason`` from a date column."""
    text = _cell(column).str.replace_many(FULL_WIDTH)
    dashed = (text.str.replace_many({"年": "-", "月": "-", "日": "", "/": "-", ".": "-"})
              .str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})", 1).str.to_date("%Y-%m-%d", strict=False))
    serial = text.str.extract(r"^(\d{5})(?:\.\d+)?$", 1).cast(pl.Int64, strict=False)
    date = (pl.when(text.str.contains(_DATE)).then(dashed)
            .when(text.str.contains(r"^\d{8}$")).then(text.str.to_date("%Y%m%d", strict=False))
            .when(serial.is_between(20000, 80000)).then(pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=serial)))
    return _convert(frame, column, date, parse_date, pl.Date, "trade_date", "trade_date_reason")


def count_column(frame: pl.DataFrame, column: str, out: str, label: str) -> pl.DataFrame:
    """Add ``out`` (a whole number, e.g. bidders) and ``out_r`` (reason) from a count column."""
    text = _narrow(_cell(column))
    fast = pl.when(text.str.contains(r"^\d{1,9}$")).then(text.cast(pl.Int64, strict=False))
    return _convert(frame, column, fast, parse_count, pl.Int64, out, f"{out}_r", label)


def _codes(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Codes as the ledger keeps them: NFKC, no spaces (Python only for the non-ASCII ones)."""
    for name in names:
        odd = frame.filter(pl.col(name).str.contains(r"[^\x00-\x7f]"))[name].unique().to_list()
        mapping = {value: normalise_label(value) for value in odd}
        expr = pl.col(name).str.replace_all(r"\s+", "")
        if mapping:
            expr = pl.col(name).replace(mapping).str.replace_all(r"\s+", "")
        frame = frame.with_columns(expr.replace("", None).alias(name))
    return frame


def _lookup(frame: pl.DataFrame, keys: list[str], compute: Callable[..., tuple[Any, ...]],
            outputs: dict[str, PolarsDataType]) -> pl.DataFrame:
    """Join ``compute(*key values)`` for each distinct key combination (few) onto the rows (many).

    Only the key columns take part in the join, so a wide frame is never copied.
    """
    names = [f"_k{i}" for i in range(len(keys))]
    keyed = frame.select([pl.col(k).fill_null(_NULL).alias(n) for k, n in zip(keys, names, strict=True)])
    distinct = keyed.unique()
    results = [compute(*(None if v == _NULL else v for v in row)) for row in distinct.iter_rows()]
    table = distinct.with_columns([pl.Series(name, [r[j] for r in results], dtype=dtype)
                                   for j, (name, dtype) in enumerate(outputs.items())])
    joined = keyed.join(table, on=names, how="left", maintain_order="left")
    return frame.with_columns(joined.select(list(outputs)).get_columns())


def build_records(rows: pl.DataFrame, columns: list[Column], units: dict[int, str], sheet: str,
                  vocab: Vocabulary, fixed_category: str | None,
                  context: tuple[str, str | None] | None = None) -> pl.DataFrame:
    """Record rows (grid columns c0…, plus ``row``) → ledger fields + ``reasons`` (list) per row.

    ``units`` gives the money unit of each money column by grid index; ``context`` the (category,
    subcategory) the sheet's name, title line or file name names.
    """
    by_field: dict[str, list[Column]] = {}
    for column in columns:
        if column.field:
            by_field.setdefault(column.field, []).append(column)
    frame = rows.with_row_index("_i")
    if "_merge_reason" not in frame.columns:
        frame = frame.with_columns(_merge_reason=pl.lit(None, pl.String))

    def text(field: str) -> pl.Expr:
        names = _first(by_field.get(field, []))
        return pl.coalesce([_cell(n) for n in names]) if names else pl.lit(None, pl.String)

    subs = by_field.get("subcategory", [])  # several type columns (行业分类, 工程类型): the first known value counts
    frame = frame.with_columns(*(text(f).alias(f) for f in (*TEXT_FIELDS, "project_code", "section_code")),
                               *(_cell(f"c{c.index}").alias(f"_sub{n}") for n, c in enumerate(subs)),
                               _category_text=text("category"),
                               _status_text=text("status"), _deal_text=text("deal"), _location=text("location"),
                               _mineral=text("mineral"), _remark=text("remark"))
    frame = frame.with_columns([pl.when(pl.col(f).str.contains(NO_AMOUNT)).then(pl.lit(None, pl.String))
                                .otherwise(pl.col(f)).alias(f) for f in ("winner", "method", "region")
                                if f in by_field])  # '—': none
    frame = _failed_rows(frame, by_field)
    if by_field.keys() & {"location", "mineral"} or vocab.region_alias:
        frame = _places(frame, vocab)
    frame = _codes(frame, ["project_code", "section_code"])
    disagreements: list[pl.Expr] = []
    for field, out in MONEY_COLUMNS.items():
        parts = by_field.get(field, [])
        for n, column in enumerate(parts):  # the first column with text in it counts, as a person would read
            frame = money_column(frame, f"c{column.index}", units[column.index], f"_m{n}", field)
        if not parts:
            frame = frame.with_columns(pl.lit(None, pl.Int64).alias(out), pl.lit(None, pl.String).alias(f"{out}_r"))
            continue
        has = [_cell(f"c{c.index}").is_not_null() for c in parts]
        fen: Then | ChainedThen = pl.when(has[0]).then(pl.col("_m0"))
        why: Then | ChainedThen = pl.when(has[0]).then(pl.col("_m0_reason"))
        for n in range(1, len(parts)):
            fen, why = fen.when(has[n]).then(pl.col(f"_m{n}")), why.when(has[n]).then(pl.col(f"_m{n}_reason"))
        if len(parts) > 1:  # a tie (headers.settle): a row where two filled cells differ takes neither
            frame = frame.with_columns(_tie_disagrees(field, parts, units).alias(f"_tie{len(disagreements)}"),
                                       *(pl.col(f"_m{n}").alias(f"_fen{c.index}") for n, c in enumerate(parts)))
            disagreements.append(pl.col(f"_tie{len(disagreements)}"))  # _fen<i>: each column's own, for its 合计
        frame = frame.with_columns(fen.alias(out), why.alias(f"{out}_r")).drop(
            [f"_m{n}{s}" for n in range(len(parts)) for s in ("", "_reason")])
    frame = frame.with_columns((pl.concat_str(disagreements, separator="; ", ignore_nulls=True).replace("", None)
                                if disagreements else pl.lit(None, pl.String)).alias("_tie_reason"))
    frame = frame.drop([f"_tie{n}" for n in range(len(disagreements))])
    if "bidders" in by_field:
        frame = count_column(frame.with_columns(_bidders_text=text("bidders")), "_bidders_text", "bidders",
                             "bidders").drop("_bidders_text")
    else:
        frame = frame.with_columns(bidders=pl.lit(None, pl.Int64), bidders_r=pl.lit(None, pl.String))
    if "trade_date" in by_field:
        frame = date_column(frame.with_columns(_date_text=text("trade_date")), "_date_text").drop("_date_text")
    else:
        frame = frame.with_columns(trade_date=pl.lit(None, pl.Date), trade_date_reason=pl.lit(None, pl.String))

    found = [pl.col(n).str.to_uppercase().str.extract(_CODE, 1) for n in ("section_code", "project_code")]
    known = pl.coalesce([c.replace_strict({k: k for k in vocab.codes}, default=None) for c in found])
    frame = frame.with_columns(_code=pl.coalesce(known, *found))  # a known code first, else the one seen

    def categorise(category_text: str | None, *rest: str | None) -> tuple[str | None, str | None, str | None]:
        *sub_texts, code_text = rest
        given = [t for t in sub_texts if t]
        known = [t for t in given if vocab.subcategory(t) or vocab.category(t)]
        subcategory_text = next(iter(known or given), None)
        pair = vocab.codes.get(code_text) if code_text else None
        category, subcategory, reasons = classify(category_text, subcategory_text, pair, sheet, vocab, fixed_category,
                                                  context)
        if category is None and code_text and pair is None and reasons and reasons[0].startswith("no category"):
            reasons = [f"no category: the project-type code {code_text} in the section code is not in the "
                       "categories file; add it under codes: there, or add a 交易类别 column"]
        return category, subcategory, "; ".join(reasons) or None

    frame = _lookup(frame, ["_category_text", *(f"_sub{n}" for n in range(len(subs))), "_code"], categorise,
                    {"category": pl.String, "subcategory": pl.String, "_category_reason": pl.String})
    mining = "|".join(sorted((re.escape(a) for a, (c, _s) in vocab.subcategory_alias.items()
                              if c == "mining" and len(a) >= 3), key=len, reverse=True))
    if mining and frame["category"].eq("mining").any():  # a mining right's name says which: '…采矿权'
        named = pl.col("name").str.extract(f"({mining})", 1)
        frame = frame.with_columns(_sub_named=named)
        frame = _lookup(frame, ["_sub_named"], lambda w: ((vocab.subcategory(w, "mining") or (None, None))[1]
                                                          if w else None,), {"_sub_from_name": pl.String})
        frame = frame.with_columns(subcategory=pl.when(pl.col("category") == "mining")
                                   .then(pl.coalesce("subcategory", "_sub_from_name"))
                                   .otherwise(pl.col("subcategory")))
    frame = _lookup(frame, ["_status_text"], lambda label: (vocab.status(label) if label else None,),
                    {"_status": pl.String})
    status = (pl.when(pl.col("_status_text").is_not_null()).then(pl.col("_status"))
              .when(pl.col("deal_fen").is_not_null()).then(pl.lit("deal")))
    frame = frame.with_columns(status=status)
    frame = frame.with_columns(_bad=pl.any_horizontal([c.is_not_null() for c in _reasons()]).fill_null(True))
    return frame.with_columns(
        project_code=pl.coalesce("project_code", "section_code"),  # a section code alone identifies an award
        section_code=pl.col("section_code").fill_null(""),
        period=pl.col("trade_date").dt.strftime("%Y-%m"),
        source_sheet=pl.lit(sheet),
        source_row=pl.col("row"),
    )


def rounding(column: str, unit: str) -> pl.Expr:
    """How far (fen) a printed amount may be from the exact one: half its last printed place when it is printed
    coarser than the fen ('90.12' 万元 stands for 90.115–90.125 万元); an amount in 元 is taken as exact."""
    places = len(str(FEN_PER_UNIT[unit])) - 1
    if unit == "元":
        return pl.lit(0.0)
    printed = _narrow(_cell(column)).str.extract(r"\.(\d+)", 1).str.len_chars().fill_null(0)
    return pl.when(printed < places).then(FEN_PER_UNIT[unit] / (pl.lit(10.0) ** printed) / 2).otherwise(0.0)


def _tie_disagrees(field: str, parts: list[Column], units: dict[int, str]) -> pl.Expr:
    """Why a row is held when two columns holding one amount (a tie) are both filled and differ beyond the
    rounding of what they print; null where they agree or one is blank."""
    reasons = []
    for a in range(len(parts)):
        for b in range(a + 1, len(parts)):
            first, second = parts[a], parts[b]
            gap = (pl.col(f"_m{a}") - pl.col(f"_m{b}")).abs().cast(pl.Float64)
            allowed = rounding(f"c{first.index}", units[first.index]) + rounding(f"c{second.index}",
                                                                                   units[second.index])
            differ = pl.col(f"_m{a}").is_not_null() & pl.col(f"_m{b}").is_not_null() & (gap > allowed + 1e-9)
            name_a, name_b = (re.sub(r"\s+", " ", c.text).strip() for c in (first, second))
            reasons.append(pl.when(differ).then(pl.format(
                f"{field}: {name_a} says {{}} {units[first.index]} and {name_b} says {{}} {units[second.index]}: two "
                "columns hold this amount and disagree — correct the wrong cell, or leave one column out with a "
                f"profile (columns: {normalise_label(second.text)}: ignore)",
                _cell(f"c{first.index}"), _cell(f"c{second.index}"))))
    return pl.concat_str(reasons, separator="; ", ignore_nulls=True).replace("", None)


def _failed_rows(frame: pl.DataFrame, by_field: dict[str, list[Column]]) -> pl.DataFrame:
    """流标/流拍 rows as centres write them: a failure word in the deal column or the 备注, or no amount
    ('/', '—') in the deal column of a sheet with no status column. Such a row becomes a failed record
    (status from the word), and amount cells saying 'no amount' are read as blank."""
    deal_cells = pl.coalesce([_cell(f"c{c.index}") for c in by_field.get("deal", [])]) \
        if by_field.get("deal") else pl.lit(None, pl.String)
    dash = deal_cells.str.contains(NO_AMOUNT).fill_null(False)
    no_deal = deal_cells.is_null() | dash  # a 备注 saying 流标 counts only for a row with no deal amount
    word = pl.coalesce(deal_cells.str.extract(f"^({FAILED_WORDS})", 1),
                       pl.when(no_deal).then(pl.col("_remark").str.extract(f"({FAILED_WORDS})", 1)))
    failed = pl.coalesce(word, pl.when(dash & pl.lit("status" not in by_field)).then(pl.lit("failed")))
    frame = frame.with_columns(_status_text=pl.coalesce("_status_text", failed))
    money = [f"c{c.index}" for f in MONEY_COLUMNS for c in by_field.get(f, [])]
    no_amount = f"^\\s*(?:[/／\\\\]+|[-－—–―─]+|无|空|{FAILED_WORDS})\\s*$"  # NO_AMOUNT or a failure word alone
    blank = [pl.when(pl.col(n).str.contains(no_amount)).then(pl.lit(None, pl.String)).otherwise(pl.col(n)).alias(n)
             for n in money]
    frame = frame.with_columns(blank) if blank else frame
    deal = pl.coalesce([_cell(f"c{c.index}") for c in by_field.get("deal", [])]) \
        if by_field.get("deal") else pl.lit(None, pl.String)
    return frame.with_columns(_deal_text=deal)


def _places(frame: pl.DataFrame, vocab: Vocabulary) -> pl.DataFrame:
    """Region from a location (土地位置 '汉中市南郑区铺镇…' → 南郑区) when no region column says it, the name
    from the location or the mineral for a nameless land or mining row, and the user's region aliases."""
    location = pl.col("_location")
    from_location = pl.coalesce(location.str.extract(_COUNTY, 1), location.str.extract_all(_CITY).list.last())
    frame = frame.with_columns(region=pl.coalesce("region", from_location),
                               name=pl.coalesce("name", pl.concat_str([location, pl.col("_mineral")],
                                                                      separator=" ", ignore_nulls=True)
                                                .replace("", None)))
    if vocab.region_alias:
        frame = _lookup(frame, ["region"], lambda r: (vocab.region(r) if r else None,), {"_region": pl.String})
        frame = frame.with_columns(region=pl.col("_region")).drop("_region")
    return frame


def _reasons() -> list[pl.Expr]:
    """Why a row cannot be a record, one expression per check (null when it passes), in reading order."""
    deal_missing = pl.col("_deal_text").is_null()
    return [
        pl.col("_merge_reason"),
        pl.col("_category_reason"),
        pl.col("_tie_reason"),
        pl.when(pl.coalesce("project_code", pl.col("section_code").replace("", None)).is_null())
        .then(pl.lit("missing project code (项目编号): every record needs one")),
        *(pl.col(f"{out}_r") for out in MONEY_COLUMNS.values()),
        pl.col("bidders_r"),
        pl.when(pl.col("_status_text").is_not_null() & pl.col("_status").is_null())
        .then(pl.lit("unknown status '") + pl.col("_status_text")
              + pl.lit("': use 成交, 流标/流拍, 终止 or 中止/延期")),
        pl.when(pl.col("_status_text").is_null() & deal_missing)
        .then(pl.lit("no status and no deal amount: fill 交易状态 or the deal amount")),
        pl.when((pl.col("status") == "deal") & deal_missing)
        .then(pl.lit("status is 成交 but the deal amount (成交金额) is empty")),
        pl.col("trade_date_reason"),
        pl.when(pl.col("trade_date").is_null() & pl.col("trade_date_reason").is_null())
        .then(pl.lit("missing trade date (成交日期/开标日期): the period comes from it")),
    ]


def with_reasons(bad: pl.DataFrame) -> pl.DataFrame:
    """Add the list of reasons to rows that cannot be records (only those: a list per row is not cheap)."""
    return bad.with_columns(reasons=pl.concat_list(_reasons()).list.drop_nulls())
