"""Options shared by several commands, and scope building from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from ggzy.errors import UsageError
from ggzy.ledger.queries import Scope
from ggzy.periods import parse_period
from ggzy.vocab import vocabulary


def split_values(values: tuple[str, ...]) -> list[str]:
    """--category a,b --category c → [a, b, c]."""
    return [v.strip() for value in values for v in value.replace("，", ",").split(",") if v.strip()]


def scope_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--period, --category, --subcategory, --region, --exclude (repeatable, or comma lists)."""
    options = [
        click.option("--period", metavar="P", help="2022-09, 2022Q3, 2022H1, 2022 or 2022-07..2022-09"),
        click.option("--category", multiple=True, metavar="C", help="工程建设, 政府采购, … or canonical names"),
        click.option("--subcategory", multiple=True, metavar="S", help="房屋建筑, 集中采购, 采矿权, …"),
        click.option("--region", multiple=True, metavar="R", help="County or district (所属区县)."),
        click.option("--exclude", multiple=True, metavar="KEY=VALUE",
                     help="Leave records out, e.g. subcategory=集中采购."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_scope(period: str | None, category: tuple[str, ...], subcategory: tuple[str, ...],
                region: tuple[str, ...], exclude: tuple[str, ...] = ()) -> Scope:
    try:
        categories, subcategories = vocabulary().scope_labels(split_values(category), split_values(subcategory))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    excludes = []
    for item in exclude:
        key, _, value = item.partition("=")
        if key not in ("category", "subcategory", "region") or not value:
            raise UsageError(f"--exclude {item!r}: write KEY=VALUE with KEY category, subcategory or region")
        excludes.append(build_scope(None, (value,) if key == "category" else (),
                                    (value,) if key == "subcategory" else (), (value,) if key == "region" else ()))
    regions = split_values(region)
    return Scope(tuple(categories) or None, tuple(subcategories) or None, tuple(regions) or None,
                 parse_period(period).months if period else None, tuple(excludes))
