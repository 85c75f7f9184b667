"""Columns a workbook derives from its own amounts — 节约资金, 节资率, 增值额/溢价额, 溢价率/增值率 — checked
against the amounts of the same row, to the precision they are printed with, like the 合计 check; and a second
column of an amount the record takes from a stronger one (合同金额 beside 中标价), checked against it the same way.

The check runs in bulk (polars); only the rows whose printed value differs become ``SourceTotal`` entries
(stored with the batch and reported with file:sheet:row, exit 1), so a long sheet costs no Python loop.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from ggzy.imports.convert import FULL_WIDTH, NO_AMOUNT, money_column, rounding
from ggzy.imports.layout import Column
from ggzy.imports.normalize import MONEY_COLUMNS
from ggzy.ledger.staging import SourceTotal
from ggzy.money import FEN_PER_UNIT, fen_to_decimal, trimmed_amount

#: derived field → (base fen column(s), sign): savings = base − deal, premium = deal − base
FORMULAS = {
    "savings": (("budget_fen", "control_price_fen"), "base - deal"),
    "savings_rate": (("budget_fen", "control_price_fen"), "base - deal"),
    "premium": (("reserve_fen",), "deal - base"),
    "premium_rate": (("reserve_fen",), "deal - base"),
}
LABELS = {"savings": "节约资金 = 预算 − 成交", "savings_rate": "节资率 = (预算 − 成交) ÷ 预算",
          "premium": "增值额 = 成交 − 底价", "premium_rate": "溢价率 = (成交 − 底价) ÷ 底价"}
SAME_AMOUNT = "同一金额"  # label of a compared column's entries: '同一金额: 合同金额(元) = 中标价(元)'
MAX_PLACES = 6  # a printed rate with more places is a float artefact of the workbook, not its precision


def check_derived(sheet: str, built: pl.DataFrame, columns: list[Column], units: dict[int, str]) -> list[SourceTotal]:
    """One ``SourceTotal`` (status 'difference') per derived cell that disagrees with its row."""
    checks: list[SourceTotal] = []
    for column in columns:
        if column.field not in FORMULAS or f"c{column.index}" not in built.columns:
            continue
        bases, _ = FORMULAS[column.field]
        base = pl.coalesce([pl.col(b) for b in bases])
        diff = (base - pl.col("deal_fen")) if column.field.startswith("savings") else (pl.col("deal_fen") - base)
        frame = built.filter(~pl.col("_bad") & base.is_not_null() & pl.col("deal_fen").is_not_null())
        cell = pl.col(f"c{column.index}").str.strip_chars().str.replace_many(FULL_WIDTH)
        frame = frame.with_columns(_derived_text=cell, _base=base, _diff=diff)
        frame = frame.filter(pl.col("_derived_text").is_not_null() & (pl.col("_derived_text") != "")
                             & ~pl.col("_derived_text").str.contains(NO_AMOUNT))
        if frame.height == 0:
            continue
        if column.field in ("savings", "premium"):
            checks += _money(sheet, frame, column, units[column.index])
        else:
            checks += _rate(sheet, frame, column)
    return checks


def _places(text: pl.Expr) -> pl.Expr:
    return text.str.extract(r"\.(\d+)", 1).str.len_chars().fill_null(0).clip(0, MAX_PLACES)


def _money(sheet: str, frame: pl.DataFrame, column: Column, unit: str) -> list[SourceTotal]:
    """节约资金/增值额 in ``unit``: within half a unit of the last printed place of the computed value."""
    frame = money_column(frame, "_derived_text", unit, "_printed", column.text)
    places = len(str(FEN_PER_UNIT[unit])) - 1
    frame = frame.with_columns(_p=_places(pl.col("_derived_text")).clip(0, places))
    # half of the last printed place, in fen: 万元 printed to 2 places → 0.005 万元 = 50 fen
    tolerance = (pl.lit(FEN_PER_UNIT[unit], pl.Float64) / (pl.lit(10.0) ** pl.col("_p")) / 2)
    bad = frame.filter(pl.col("_printed").is_not_null()
                       & ((pl.col("_printed") - pl.col("_diff")).abs().cast(pl.Float64) > tolerance + 1e-9))
    out = []
    for row in bad.select("row", "_derived_text", "_printed", "_diff").iter_rows(named=True):
        computed = fen_to_decimal(row["_diff"], unit)
        stated = fen_to_decimal(row["_printed"], unit)
        out.append(_entry(sheet, row["row"], column, unit, row["_derived_text"], computed, stated - computed))
    return out


def _rate(sheet: str, frame: pl.DataFrame, column: Column) -> list[SourceTotal]:
    """节资率/溢价率: printed as a percentage ('4.17%', or 4.17 under a (%) header) or as a fraction (0.0417)."""
    number = pl.col("_derived_text").str.replace_all(r"[%,\s]", "").cast(pl.Float64, strict=False)
    marked = pl.col("_derived_text").str.contains("%") | pl.lit("%" in column.text)
    computed = pl.col("_diff").cast(pl.Float64) / pl.col("_base").cast(pl.Float64) * 100
    half = 0.5 / (pl.lit(10.0) ** _places(pl.col("_derived_text"))) + 1e-9
    as_percent = (number - computed).abs() <= half
    as_fraction = (number * 100 - computed).abs() <= half * 100
    ok = pl.when(marked).then(as_percent).otherwise(as_percent | as_fraction)
    frame = frame.filter(pl.col("_base") != 0).with_columns(_number=number, _ok=ok)
    bad = frame.filter(pl.col("_number").is_not_null() & ~pl.col("_ok"))
    out = []
    for row in bad.select("row", "_derived_text", "_diff", "_base").iter_rows(named=True):
        exact = Decimal(row["_diff"]) / Decimal(row["_base"]) * 100
        printed = Decimal(row["_derived_text"].replace("%", "").replace(",", "").strip())
        if "%" not in row["_derived_text"] and "%" not in column.text and abs(printed) <= 1:
            printed *= 100  # a fraction: show it as a percentage beside the computed one
        out.append(_entry(sheet, row["row"], column, "%", row["_derived_text"], exact, printed - exact))
    return out


def _entry(sheet: str, row: int, column: Column, unit: str, stated: str, computed: Decimal,
           difference: Decimal) -> SourceTotal:
    places = Decimal("0.0001") if unit == "%" else Decimal(1).scaleb(-(len(str(FEN_PER_UNIT[unit])) - 1))
    return SourceTotal(sheet, row, LABELS[str(column.field)], column.text, unit, stated,
                       format(computed.quantize(places), "f"), format(difference.quantize(places), "f"),
                       1, 0, "difference")


def check_compared(sheet: str, built: pl.DataFrame, columns: list[Column], units: dict[int, str]) -> list[SourceTotal]:
    """A column not used because a stronger one holds its amount (``headers.settle``: 合同金额 beside 中标价):
    one ``SourceTotal`` per posted row where it differs from the amount the record keeps by more than the rounding
    of what the two print, or holds an amount where the stronger column is blank (``rows_sum`` empty: the record
    keeps none; a profile line mapping it to the field makes the two a tie, the filled one counting)."""
    checks: list[SourceTotal] = []
    for column in columns:
        if not column.compare or column.index not in units or f"c{column.index}" not in built.columns:
            continue
        kept = MONEY_COLUMNS[column.compare]
        holders = [c for c in columns if c.field == column.compare and c.index in units]
        if not holders:
            continue
        frame = built.filter(~pl.col("_bad"))
        frame = frame.with_columns(_other_text=pl.col(f"c{column.index}").str.strip_chars())
        frame = frame.filter(pl.col("_other_text").is_not_null() & (pl.col("_other_text") != "")
                             & ~pl.col("_other_text").str.contains(NO_AMOUNT))
        if frame.height == 0:
            continue
        unit = units[column.index]
        frame = money_column(frame, "_other_text", unit, "_other", column.text)
        holder_rounding = pl.coalesce([pl.when(pl.col(f"c{h.index}").str.strip_chars() != "")
                                       .then(rounding(f"c{h.index}", units[h.index])) for h in holders])
        allowed = holder_rounding.fill_null(0.0) + rounding("_other_text", unit)
        gap = (pl.col("_other") - pl.col(kept)).abs().cast(pl.Float64)
        bad = frame.filter(pl.col("_other").is_not_null() & (pl.col(kept).is_null() | (gap > allowed + 1e-9)))
        holder = " / ".join(h.text for h in holders)
        label = f"{SAME_AMOUNT}: {column.text} = {holder}"
        for row in bad.select("row", "_other_text", "_other", kept).iter_rows(named=True):
            kept_amount = fen_to_decimal(row[kept] or 0, unit)
            difference = fen_to_decimal(row["_other"], unit) - kept_amount
            checks.append(SourceTotal(sheet, row["row"], label, column.text, unit, row["_other_text"],
                                      trimmed_amount(kept_amount) if row[kept] is not None else "",
                                      trimmed_amount(difference), 1, 0, "difference"))
    return checks

