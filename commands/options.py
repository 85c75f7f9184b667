"""Options shared by several commands, and scope building from them.

Imports nothing heavy (issue 17): the scope type and the vocabulary are loaded when a scope is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from ggzy.errors import UsageError

if TYPE_CHECKING:
    from ggzy.ledger.queries import Scope

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def format_option(*choices: str) -> Decorator:
    """``--format`` with the output forms a command offers, the first being the default (DESIGN.md: text or
    table for people, json for scripts, csv for spreadsheets). The parameter is ``fmt``."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=choices[0],
                        show_default=True, help="Output form.")


#: the money units a user names on the command line (money.FEN_PER_UNIT converts them; written out here so
#: that parsing options does not import the money module; tests/test_startup.py checks they agree)
MONEY_UNITS = ("元", "万元", "亿元")


def unit_option(default: str | None, help: str | None = None) -> Decorator:
    """``--unit`` 元 / 万元 / 亿元 for money shown or given (``default`` None: the command knows whether one was)."""
    return click.option("--unit", type=click.Choice(MONEY_UNITS), default=default, show_default=default is not None,
                        help=help)


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


def record_scope_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--level and --method: the scopes a published figure can have beyond scope_options (`ggzy records` prints
    exactly a figure's records with them)."""
    func = click.option("--method", multiple=True, metavar="M",
                        help="Trade method (交易方式): 公开招标, 比选, …")(func)
    return click.option("--level", metavar="L", help="Centre level: 市本级, 县级, or one of ggzy.d/regions.yaml's "
                        "levels.")(func)


def build_scope(period: str | None, category: tuple[str, ...], subcategory: tuple[str, ...],
                region: tuple[str, ...], exclude: tuple[str, ...] = (), level: str | None = None,
                method: tuple[str, ...] = ()) -> Scope:
    """The scope of the options, read as a published figure's (rules/published.py): a subcategory narrows only
    its own category, a level is a group of regions. Every value is checked before the ledger's modules are
    imported, so a mistyped option costs what `ggzy --help` costs (issue 17)."""
    from ggzy.periods import parse_period
    from ggzy.vocab import vocabulary

    months = parse_period(period).months if period else None
    vocab = vocabulary()
    try:
        categories, subcategories = vocab.scope_labels(split_values(category), split_values(subcategory))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    excludes = []
    for item in exclude:
        key, _, value = item.partition("=")
        if key not in ("category", "subcategory", "region", "method") or not value:
            raise UsageError(f"--exclude {item!r}: write KEY=VALUE with KEY category, subcategory, region or method")
        excludes.append(build_scope(None, (value,) if key == "category" else (),
                                    (value,) if key == "subcategory" else (), (value,) if key == "region" else (),
                                    method=(value,) if key == "method" else ()))
    regions = tuple(split_values(region))
    group = vocab.level(level) if level else None
    if level and group is None:
        raise UsageError(f"--level {level!r}: not a level the vocabulary knows ({', '.join(vocab.levels)}); "
                         "list its regions under levels: in ggzy.d/regions.yaml")
    if level and regions:
        raise UsageError("give --region or --level, not both")
    from ggzy.ledger.queries import Scope, narrow_categories

    if group is not None:
        if group[0] == "regions":
            regions = group[1]
        else:
            excludes.append(Scope(regions=group[1]))
    cats, subs, narrowing = narrow_categories(tuple(categories) or None, tuple(subcategories) or None,
                                              vocab.category_of())
    methods = tuple(split_values(method))
    return Scope(cats, subs, regions or None, months, (*narrowing, *excludes), methods or None)
