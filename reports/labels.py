"""The one label table of every output: the workbook, the HTML report, the web view, `check`, `rates`,
`reconcile` and the messages the reports show. Chinese by default, English with `--lang en`.

Three kinds of entry: words (``LABELS``: titles, column headers), values (``VALUES``: a status, a severity, a
record field's name) and messages (``MESSAGES``: the sentences the importer stores as quarantine reasons,
translated at display time by pattern, so a stored reason stays as it was written).
"""

from __future__ import annotations

import re
from functools import cache
from typing import cast

LANGS = ("zh", "en")

#: (中文, English) by key
_WORDS: dict[str, tuple[str, str]] = {
    # sections and titles
    "title": ("公共资源交易台账异常报告", "Ledger exception report"),
    "summary": ("汇总", "Summary"), "discrepancies": ("对账差异", "Discrepancies"), "results": ("对账结果", "Results"),
    "consistency": ("一致性检查", "Consistency"), "quarantine": ("隔离行", "Quarantine"),
    "findings": ("检查异常", "Findings"), "totals": ("合计核对", "Source totals"),
    "amendments": ("更正与作废", "Amendments and voids"), "breakdown": ("差异分解", "Breakdown"),
    "rates_category": ("分类节资率增值率", "Rates by category"),
    "rates_region": ("分区域节资率增值率", "Rates by region"),
    "monthly": ("月度成交金额", "Monthly amounts"),
    "rates_chart": ("各类别节资率/增值率", "Savings and premium rates by category"),
    "monthly_chart": ("月度成交金额(万元)", "Monthly deal amounts (10k yuan)"),
    "centre_suffix": ("公共资源交易中心", "public resource trading centre"),
    # column headers
    "figure": ("序号", "Figure"), "line": ("行", "Line"), "measure": ("指标", "Measure"), "period": ("期间", "Period"),
    "region": ("区域", "Region"), "category": ("类别", "Category"), "subcategory": ("子类", "Subcategory"),
    "exclude": ("不含", "Excluding"), "published": ("公布值", "Published"), "unit": ("单位", "Unit"),
    "low": ("下限", "Low"), "high": ("上限(不含)", "High (excl.)"), "ledger": ("台账值", "Ledger"),
    "difference": ("差额", "Difference"), "status": ("状态", "Status"), "records": ("记录数", "Records"),
    "command": ("查看记录", "Records command"), "figures": ("涉及序号", "Figures"), "detail": ("说明", "Detail"),
    "batch": ("批次", "Batch"), "kind": ("类型", "Kind"), "file": ("来源文件", "Source file"),
    "sheet": ("工作表", "Sheet"), "row": ("行号", "Row"), "reasons": ("原因", "Reasons"),
    "raw": ("原始内容", "Raw cells"),
    "expectation": ("检查项", "Expectation"), "severity": ("级别", "Severity"), "failed": ("未通过", "Failed"),
    "checked": ("检查数", "Checked"), "result": ("结果", "Result"), "level": ("层级", "Level"),
    "record_id": ("记录ID", "Record ID"), "reviewer": ("复核人", "Reviewer"), "decision": ("处理意见", "Decision"),
    "note": ("备注", "Note"), "key": ("项目", "Item"), "value": ("内容", "Value"), "label": ("合计行", "Total row"),
    "column": ("金额列", "Amount column"), "stated": ("表内合计", "Stated total"),
    "rows_sum": ("明细之和", "Sum of rows"),
    "covered": ("明细行数", "Rows covered"), "held": ("其中隔离", "Of which held"), "total": ("合计", "Total"),
    "month": ("月份", "Month"), "wan": ("万元", "10k yuan"), "rows": ("行", "rows"), "interval": ("区间", "Interval"),
    "scope": ("范围", "Scope"), "all": ("全部", "all"), "excess": ("超出额", "Excess"),
    "excess_rate": ("超出比例", "Excess rate"),
    "observed": ("检查值", "Value checked"), "operator": ("操作人", "By"), "at": ("时间", "When"),
    "why": ("理由", "Reason"),
    "field": ("字段", "Field"), "before": ("更正前", "Before"), "after": ("更正后", "After"),
    "version": ("版本", "Version"),
    "source": ("来源", "Source"), "changes": ("变更", "Changes"), "share": ("占台账值", "Share of ledger"),
    "dimension": ("分解维度", "By"), "run": ("对账记录", "Reconciliation run"),
    "runs": ("对账记录", "Reconciliation runs"),
    "ran_at": ("对账时间", "Ran at"), "published_file": ("公布数据文件", "Published file"),
    "rules_file": ("规则文件", "Rule file"), "ledger_url": ("台账", "Ledger"), "ok_count": ("对账一致", "Figures ok"),
    "inconsistent_count": ("公布数据自相矛盾", "Inconsistent published figures"),
    "quarantined_count": ("隔离行", "Quarantined rows"), "failed_count": ("未通过检查项", "Failed expectations"),
    "totals_count": ("合计行与明细不符", "Source totals that differ"),
    "amendments_count": ("更正与作废", "Amendments and voids"),
    "run_by": ("操作人", "Run by"), "generated_at": ("生成时间", "Generated at"),
    "rules_gone": ("已不存在, 比率表按内置规则计算", "gone; rate tables use the shipped rules"),
    "ledger_difference": ("差额(台账值−公布值)", "Difference (ledger − published)"),
    "totals_difference": ("差额(表内合计−明细之和)", "Difference (stated − sum of rows)"),
    "missing_note": ("注: {count} 条记录因所需字段为空未计入 {measure}",
                     "note: {count} record(s) left out of {measure}: "
                     "a field it needs is empty"),
    "inconsistent_line": ("公布数据自相矛盾 {figures}: {detail}", "inconsistent published figures {figures}: {detail}"),
    "discrepancy_line": ("差异: 第{figure}项(第{line}行) {measure}: 公布 {published}, 台账 {ledger}(台账 − 公布 = "
                         "{difference}); 查看记录: {command}",
                         "discrepancy: figure {figure} (line {line}) {measure}: published {published}, "
                         "ledger {ledger} (ledger − published = {difference}); records: {command}"),
    "reconcile_summary": ("{ok} 项一致, {discrepancy} 项差异, {inconsistent} 项自相矛盾(通过 {passed} 项一致性检查)",
                          "{ok} ok, {discrepancy} discrepancies, {inconsistent} inconsistent "
                          "({passed} consistency checks passed)"),
    "more_findings": ("… 另有 {count} 行: 见 `ggzy check --format json` 或 `ggzy report`",
                      "… {count} more: `ggzy check --format json` or `ggzy report`"),
    "check_summary": ("{records} 条记录; {ok} 项检查通过, {errors} 项错误, {warnings} 项警告",
                      "{records} records; {ok} expectations met, {errors} errors, {warnings} warnings"),
    "data_docs": ("数据文档", "data docs"),
    "none": ("无", "none"), "more_rows": ("更多行见工作簿", "more rows in the workbook"),
    # the web view
    "site_title": ("公共资源交易台账", "Trading ledger"),
    "home": ("首页", "Home"), "periods": ("期间", "Periods"), "rates": ("节资率与增值率", "Rates"),
    "conflicts": ("冲突行", "Conflicts"), "checks": ("未通过的检查", "Failed expectations"),
    "record": ("交易记录", "Record"), "history": ("版本记录", "History"), "chain": ("哈希链", "Hash chain"),
    "chain_link": ("链节", "Chain link"),
    "previous_link": ("前一链节", "Previous link"), "ref": ("对象ID", "Ref"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"), "filter": ("筛选", "Filter"), "by": ("分组", "Group by"),
    "read_only": ("只读视图", "read-only view"), "posted_values": ("入账值", "Posted values"),
    "imported_at": ("导入时间", "Imported at"), "sha256": ("文件 SHA-256", "File SHA-256"),
    "profile": ("导入配置", "Profile"), "posted_rows": ("入账行", "Posted"),
    "unchanged_rows": ("未变行", "Unchanged"),
    "records_in_scope": ("范围内记录", "Records in scope"),
    "raw_cells": ("来源行原始内容", "Raw cells of the source row"), "header": ("表头", "Header"),
    "cell": ("单元格内容", "Cell"),
    "raw_not_kept": ("批次 {batch} 导入于台账保存原始文件之前, 原始文件未存入台账(原文件 SHA-256 {sha256})",
                     "batch {batch} was imported before the ledger kept imported files: its file is not in the ledger "
                     "(the original's SHA-256 is {sha256})"),
    "raw_no_row": ("台账保存的 {file} 中没有工作表 {sheet} 第 {row} 行",
                   "{file} kept in the ledger has no sheet {sheet} row {row}"),
    "raw_no_batch": ("台账中没有批次 {batch}", "the ledger has no batch {batch}"),
    "held_same_source": ("同一来源行或与本记录冲突的隔离行", "Held rows of the same source row or in conflict with it"),
    "download_source": ("下载原始文件", "Download the original file"),
    "source_kept": ("原始文件", "Original file"),
    "kept_bytes": ("已存入台账, {size} 字节", "kept in the ledger, {size} bytes"),
    "not_kept": ("未存入台账(导入于保存原始文件之前)", "not kept (imported before the ledger kept files)"),
    "source_written": ("{path}: 批次 {batch} 的原始文件, {size} 字节, SHA-256 {sha256}",
                       "{path}: batch {batch}, {size} bytes, SHA-256 {sha256}"),
    "records_title": ("{count} 条记录", "{count} records"),
    "quarantine_title": ("{count} 行隔离", "{count} quarantined rows"),
    "resolved_by": ("已由批次 {batch} {how}", "{how} by batch {batch}"),
    "resolved_record": (", 记录 {record}", ", record {record}"),
    "resolved_confirmed": ("{operator} 确认由记录 {record} 承载: {reason}",
                           "confirmed by {operator} as record {record}: {reason}"),
    "resolved_onto": ("隔离行 {held} 已确认由记录 {record} 承载", "held row {held} resolved onto record {record}"),
    "dry_run": ("(试运行)", " (dry run)"),
    "reimported_line": ("{file}: {count} 行的键属于已作废的记录, 已作为该记录的下一版本入账"
                        "(`ggzy history ID` 列出全部版本)",
                        "{file}: {count} row(s) had the key of a voided record and were posted as its next version "
                        "(`ggzy history ID` shows every version)"),
    "held_line": ("{kind}: {file}, 工作表 {sheet} 第 {row} 行: {reasons}", "{kind}: {file}, sheet {sheet}, row {row}: "
                  "{reasons}"),
    # import's lines under its table: totals, derived and second columns that disagree with the rows
    "second_column_line": ("第二列不符: {file}:{sheet}:{row}: {column} 写明 {stated}, {kept}",
                           "second column differs: {file}:{sheet}:{row}: {column} states {stated}, {kept}"),
    "second_column_kept": ("记录取 {holder} 的 {sum} {unit}(相差 {difference}): 请更正有误的单元格",
                           "the record keeps {sum} {unit} from {holder} (difference {difference}): correct the wrong "
                           "cell"),
    "second_column_none": ("记录未取值: {holder} 在此为空(导入配置中把 {column} 映射到同一字段, 即可用它补足这类空白)",
                           "the record keeps none: {holder} is blank there (a profile line mapping {column} to the "
                           "same field lets it fill such blanks)"),
    "derived_line": ("推算列不符: {file}:{sheet}:{row}: {column} 写明 {stated}, 按本行金额应为 {sum} {unit}"
                     "({label}; 相差 {difference})",
                     "derived column differs: {file}:{sheet}:{row}: {column} states {stated}, the row's own amounts "
                     "give {sum} {unit} ({label}; difference {difference})"),
    "total_line": ("合计不符: {file}, 工作表 {sheet} 第 {row} 行({label}): {column} 写明 {stated} {unit}, 其上 {count} "
                   "行合计 {sum}(相差 {difference}{held})",
                   "total differs: {file}, sheet {sheet}, row {row} ({label}): {column} states {stated} {unit}, the "
                   "{count} rows above sum to {sum} (difference {difference}{held})"),
    "total_held": ("; 其中 {count} 行已隔离", "; {count} of them quarantined"),
    "unused_notice": ("未使用的列: {file}, 工作表 {sheet}: {named} — 见 `ggzy import --explain`; "
                      "导入配置的 columns: 可映射它们",
                      "not used: {file}, sheet {sheet}: {named} — see `ggzy import --explain`; a profile's columns: "
                      "maps them"),
    "unused_compared": ("与{field}比对", "compared with {field}"),
    "unused_could_be": ("可能是{field}", "could be {field}"),
    "unused_plain": ("未使用", "not used"),
    "tie_notice": ("两列同一金额: {file}, 工作表 {sheet}: {named} — 每行取第一个有值的单元格, 两列不同的行被隔离; "
                   "导入配置中 '<表头>: ignore' 可去掉一列",
                   "two columns for one amount: {file}, sheet {sheet}: {named} — each row takes the first filled cell, "
                   "a row where they differ is held; a profile line '<header>: ignore' leaves one out"),
    "tie_field": ("{field}取自 {headers}", "{field} in {headers}"),
    "region_variant": ("地区 '{written}' ({where}) 与 '{other}' 像是同一地方: 若是, 在 {place} 的 aliases: 下加入 "
                       "`{written}: {other}`",
                       "region '{written}' ({where}) and '{other}' look like one place: if they are, add "
                       "`{written}: {other}` under aliases: in {place}"),
    "finding_line": ("{severity}: {label} ({expectation}): {count} 条记录, 例如 {where}",
                     "{severity}: {label} ({expectation}): {count} record(s), e.g. {where}"),
    "more_held": ("… 另有 {count} 行: 见 `ggzy quarantine`", "… and {count} more: see `ggzy quarantine`"),
    # a breakdown's source file read in more than one batch (a file imported again after a fix): each is shown
    "file_of_batch": ("{file} (批次 {batch})", "{file} (batch {batch})"),
    # what the ledger commands say when they succeed
    "ledger_ready": ("台账已就绪: {ledger}", "ledger ready: {ledger}"),
    "ledger_upgraded": (" (已升级: {revisions})", " (upgraded {revisions})"),
    "amended_line": ("记录 {record} 已更正(更正 {amendment}): {changes}",
                     "record {record} amended (amendment {amendment}): {changes}"),
    "voided_line": ("记录 {record} 已作废(更正 {amendment}); 同键的行再次导入即成为其下一版本",
                    "record {record} voided (amendment {amendment}); importing a row with its key posts its next "
                    "version"),
    "closed_line": ("已结账: {months}", "closed: {months}"),
    "nothing_closed": ("无新结账月份", "nothing new"),
    "already_closed": (" (此前已结账: {months})", " (already closed: {months})"),
    "reopened_line": ("已重新打开: {months}", "reopened: {months}"),
    "nothing_reopened": ("无(其中没有已结账的月份)", "nothing (no month of it was closed)"),
    "verify_ok": ("校验通过: {links} 个链节、每条记录的哈希、记录合计和保存的原始文件均一致",
                  "ok: {links} chain links, every record hash, the record totals and the kept files verified"),
    "verify_broken": ("链节被改动: {where}: {detail}", "BROKEN: {where}: {detail}"),
    "verify_first_break": ("第一处断点: {where}", "first break: {where}"),
    "report_written": ("异常报告已写入: {path}", "exception report written: {path}"),
    "report_written_counts": ("异常报告已写入: {path} ({discrepancies} 项差异, {quarantined} 行隔离, "
                              "{failed} 项期望未通过, {totals} 处来源合计不符, {amendments} 项更正)",
                              "exception report written: {path} ({discrepancies} discrepancies, {quarantined} "
                              "quarantined rows, {failed} failed expectations, {totals} source totals that differ, "
                              "{amendments} amendments)"),
    "serving": ("只读视图: {ledger}, 地址 http://{host}:{port}/ (Ctrl+C 停止)",
                "serving {ledger} read-only at http://{host}:{port}/ (Ctrl+C stops)"),
    "all_rows": ("全部", "all"), "page": ("页", "page"), "next": ("下一页", "Next"), "prev": ("上一页", "Previous"),
    "not_found": ("未找到", "Not found"),
    "method_not_allowed": ("只读视图只接受 GET 请求", "This read-only view answers GET only"),
    "count_records": ("记录", "records"), "deal_amount_wan": ("成交金额(万元)", "Deal amount (10k yuan)"),
    "name": ("名称", "Name"), "project_code": ("项目编号", "Project code"),
    "section_code": ("标段编号", "Section code"),
}

#: values shown as words: (kind, value) → (中文, English)
_VALUES: dict[tuple[str, str], tuple[str, str]] = {
    ("status", "ok"): ("一致", "ok"), ("status", "discrepancy"): ("差异", "discrepancy"),
    ("status", "inconsistent"): ("自相矛盾", "inconsistent"), ("status", "difference"): ("不符", "differs"),
    ("severity", "error"): ("错误", "error"), ("severity", "warning"): ("警告", "warning"),
    ("level", "record"): ("记录", "record"), ("level", "ledger"): ("台账", "ledger"),
    ("level", "reconciliation"): ("对账", "reconciliation"),
    ("held", "invalid"): ("无法入账", "invalid"), ("held", "conflict"): ("冲突", "conflict"),
    ("amendment", "amend"): ("更正", "amendment"), ("amendment", "void"): ("作废", "void"),
    ("amendment", "posted"): ("入账", "posted"), ("amendment", "reimport"): ("作废后重新导入", "reimport"),
    ("import", "posted"): ("已入账", "posted"), ("import", "nothing_posted"): ("无新入账", "nothing_posted"),
    ("import", "already_imported"): ("已导入过", "already_imported"), ("import", "rejected"): ("整份拒收", "rejected"),
    ("resolved", "posted"): ("入账", "posted"), ("resolved", "unchanged"): ("确认未变", "unchanged"),
    ("resolved", "superseded"): ("重新导入取代", "superseded"), ("resolved", "confirmed"): ("人工确认", "confirmed"),
    ("link", "batch"): ("导入批次", "batch"), ("link", "amendment"): ("更正", "amendment"),
    ("link", "period"): ("期间结账", "period event"), ("link", "resolution"): ("隔离行确认", "resolution"),
    ("trade", "deal"): ("成交", "deal"), ("trade", "failed"): ("流标/流拍", "failed"),
    ("trade", "terminated"): ("终止", "terminated"), ("trade", "suspended"): ("中止/延期", "suspended"),
    ("result", "ok"): ("通过", "ok"), ("result", "failed"): ("未通过", "FAILED"),
    ("dimension", "category"): ("类别", "category"), ("dimension", "subcategory"): ("子类", "subcategory"),
    ("dimension", "region"): ("区域", "region"), ("dimension", "month"): ("月份", "month"),
    ("dimension", "batch"): ("来源文件", "source file"),
}

#: record fields (ledger names) → (中文, English); money fields carry their unit where shown
_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("记录ID", "Record ID"), "batch_id": ("批次", "Batch"), "category": ("交易类别", "Category"),
    "subcategory": ("子类", "Subcategory"), "project_code": ("项目编号", "Project code"),
    "section_code": ("标段编号", "Section code"), "name": ("项目名称", "Name"), "region": ("所属区县", "Region"),
    "status": ("交易状态", "Status"), "method": ("交易方式", "Method"), "budget_fen": ("预算金额", "Budget"),
    "control_price_fen": ("招标控制价", "Control price"), "reserve_fen": ("底价", "Reserve price"),
    "deal_fen": ("成交金额", "Deal amount"), "winner": ("中标(成交)人", "Winner"),
    "trade_date": ("成交日期", "Trade date"),
    "bidders": ("投标人数", "Bidders"), "period": ("月份", "Month"), "month": ("月份", "Month"),
    "source_file": ("来源文件", "Source file"), "source_sheet": ("工作表", "Sheet"), "source_row": ("行号", "Row"),
    "savings_rate": ("节资率", "Savings rate"), "premium_rate": ("增值率", "Premium rate"),
    "months_outside_title": ("距标题期间(月)", "Months outside the title's period"),
    "key_occurrences": ("同键记录数", "Records with this key"), "title": ("文件标题", "File title"),
    "records": ("记录数", "Records"), "deals": ("成交数", "Deals"),
    "deals_with_base": ("有基数的成交数", "Deals with a base"),
    "max_deal_fen": ("最大成交金额", "Largest deal"), "median_deal_fen": ("成交金额中位数", "Median deal"),
    "category_median_deal_fen": ("同类成交金额中位数", "Category median deal"),
    "scale_ratio": ("量级比", "Scale ratio"),
}

#: terminal table columns (`records`, `quarantine`, `import`, `history`) that are not record fields → 中文; in
#: English a column keeps the name the terminal always printed (scripts reading `--lang en` output keep working)
_COLUMNS_ZH = {"id": "ID", "source": "来源", "batch": "批次", "kind": "类型", "file": "文件", "sheet": "工作表",
               "row": "行号", "reasons": "原因", "raw": "原始内容", "resolved": "处理情况", "status": "结果",
               "rows": "行数", "posted": "入账", "unchanged": "未变", "quarantined": "隔离", "conflicts": "冲突",
               "resolved_rows": "解决此前隔离", "version": "版本", "at": "时间", "operator": "操作人",
               "reason": "理由", "changes": "变更"}

#: measures of the shipped rules in English (Chinese labels come from the rule file)
_MEASURES_EN = {"count": "Records", "deals": "Deals", "amount": "Deal amount", "budget": "Budget",
                "savings": "Savings", "savings_rate": "Savings rate", "reserve": "Reserve", "premium": "Premium",
                "premium_rate": "Premium rate"}
_MEASURES_ZH = {"count": "交易数", "deals": "成交数", "amount": "成交金额", "budget": "预算金额", "savings": "节资额",
                "savings_rate": "节资率", "reserve": "底价", "premium": "增值额", "premium_rate": "增值率"}

#: stored English sentences (quarantine reasons, findings) → Chinese; applied to each '; '-separated part
MESSAGES: tuple[tuple[str, str], ...] = (
    (r"status is 成交 but the deal amount \(成交金额\) is empty", "交易状态为成交, 但成交金额为空"),
    (r"missing project code \(项目编号\): every record needs one", "缺少项目编号: 每条记录都需要"),
    (r"missing trade date \(成交日期/开标日期\): the period comes from it", "缺少成交日期/开标日期: 期间由它确定"),
    (r"no status and no deal amount: fill 交易状态 or the deal amount",
     "既无交易状态也无成交金额: 请填写交易状态或成交金额"),
    (r"unknown status '(?P<a>.*)': use 成交, 流标/流拍, 终止 or 中止/延期",
     "未知交易状态 '{a}': 请用 成交、流标/流拍、终止 或 中止/延期"),
    # 'the categories file' (older reasons) or the user's file, e.g. 'ggzy.d/categories.yaml (beside the ledger, …)'
    (r"unknown category (?P<a>.*?) \(close to (?P<c>.*?)\): add it to (?:the categories file|(?P<b>\S*categories\.yaml)"
     r".*?) or fix the cell", "未知交易类别 {a}(近似 {c}): 请更正单元格, 或加入类别文件{b}"),
    (r"unknown type (?P<a>.*?) \(close to (?P<c>.*?)\): add it to (?:the categories file|(?P<b>\S*categories\.yaml)"
     r".*?) or fix the cell", "未知项目类型 {a}(近似 {c}): 请更正单元格, 或加入类别文件{b}"),
    (r"unknown category (?P<a>.*?): add it to (?:the categories file|(?P<b>\S*categories\.yaml).*?) or fix the cell",
     "未知交易类别 {a}: 请加入类别文件{b}或更正单元格"),
    (r"unknown type (?P<a>.*?): add it to (?:the categories file|(?P<b>\S*categories\.yaml).*?) or fix the cell",
     "未知项目类型 {a}: 请加入类别文件{b}或更正单元格"),
    (r"amount (?P<a>.*) is not a number \(free text is not an amount\)", "金额 {a} 不是数字(文字不能作为金额)"),
    (r"amount (?P<a>.*) is negative", "金额 {a} 为负数"),
    (r"(?P<a>(?:(?!: ).)*?) says (?P<b>.*?) and (?P<c>.*?) says (?P<d>.*?): two columns hold this amount and "
     r"disagree — correct the wrong cell, or leave one column out with a profile \(columns: (?P<e>.*): ignore\)",
     "{a} 为 {b}, {c} 为 {d}: 两列同一金额却不一致 — 请更正有误的单元格, "
     "或用导入配置去掉一列(columns: {e}: ignore)"),
    (r"amount (?P<a>.*) is a price per (?P<b>\S+), not the amount of the trade: write the whole amount \(the price "
     r"times the years, tons or area\)", "金额 {a} 是每{b}单价, 不是成交总额: 请填写总额(单价乘以年数、吨数或面积)"),
    (r"amount (?P<a>.*) is a percentage \(e\.g\. a discount rate\), not money",
     "金额 {a} 是百分比(如下浮率), 不是金额"),
    (r"amount (?P<a>.*) is free text with a percentage \(e\.g\. a discount rate\), not money",
     "金额 {a} 是含百分比的文字(如下浮率), 不是金额"),
    (r"amount (?P<a>.*) is not a finite number", "金额 {a} 不是有限数字"),
    (r"amount (?P<a>.*) has misplaced thousands separators", "金额 {a} 的千位分隔符位置不对"),
    (r"amount (?P<a>.*) is finer than one fen \(分\); check the unit", "金额 {a} 精确到分以下: 请检查单位"),
    (r"empty amount", "金额为空"),
    (r"date (?P<a>.*) does not exist", "日期 {a} 不存在"),
    (r"date (?P<a>.*) is not a date: write 2022-07-05 or 2022年7月5日",
     "{a} 不是日期: 请写 2022-07-05 或 2022年7月5日"),
    (r"(?P<a>.*) is not a whole number \(write e\.g\. 5\)", "{a} 不是整数(例如 5)"),
    (r"record (?P<a>\d+) with the same key (?P<b>.*) is already posted with other values \(ledger → this row: "
     r"(?P<fields>.*)\): amend it, or void it and import this row again \(it then becomes the record's next "
     r"version\), never overwrite",
     "同键 {b} 的记录 {a} 已入账, 取值不同(台账 → 本行: {fields}): 请更正该记录, 或作废后重新导入本行(成为该记录的下一"
     "版本), 不会覆盖"),
    (r"sheet (?P<a>.*) row (?P<b>\d+) of this file has the same key (?P<c>.*) with other values \(that row → this "
     r"row: (?P<fields>.*)\): a re-published award\? Keep the right one",
     "本文件工作表 {a} 第 {b} 行同键 {c} 取值不同(该行 → 本行: {fields}): 重复公示的中标结果? 请保留正确的一行"),
    (r"sheet (?P<a>.*) row (?P<b>\d+) of this file has the same key (?P<c>.*) with other values \(that row → this "
     r"row: (?P<fields>.*)\): a re-published award\? Keep the right one: `ggzy resolve` this held row if that row "
     r"is right, or `ggzy amend` the record that row posted and import the file again if this one is",
     "本文件工作表 {a} 第 {b} 行同键 {c} 取值不同(该行 → 本行: {fields}): 重复公示的中标结果? 请保留正确的一行: "
     "该行正确则 `ggzy resolve` 本隔离行, 本行正确则用 `ggzy amend` 更正该行入账的记录并重新导入本文件"),
    (r"its key was imported again after the void \(batch (?P<a>\d+)\)", "作废后同键行再次导入(批次 {a})"),
    # conflicts as reasons said them before (kept in older ledgers); the first ended in "amend it or void it, never
    # overwrite", then in "amend it, or void it and import this row again (…), never overwrite": the part after
    # '; ' is translated on its own
    (r"conflict: record (?P<a>\d+) with the same key (?P<b>.*) is already posted with different content",
     "同键 {b} 的记录 {a} 已入账且内容不同"),
    (r"amend it or void it, never overwrite", "请更正或作废该记录, 不会覆盖"),
    (r"amend it, or void it and import this row again \(it then becomes the record's next version\), never "
     r"overwrite", "请更正该记录, 或作废后重新导入本行(成为该记录的下一版本), 不会覆盖"),
    (r"conflict: sheet (?P<a>.*) row (?P<b>\d+) of this file has the same key (?P<c>.*) with different content "
     r"\(re-published award\?\)", "本文件工作表 {a} 第 {b} 行同键 {c} 内容不同(重复公示的中标结果?)"),
    (r"imported in batch (?P<a>\d+)", "导入批次 {a}"),
    # published figures checked against each other (rules/consistency.py); a group named measure… is a measure
    (r"figure (?P<a>\d+) (?P<measure>\S+) (?P<b>\S+) = (?P<c>.*): parts lie in \[(?P<d>.*)\], the total in "
     r"\[(?P<e>.*)\]", "第 {a} 项 {measure} {b} = {c}: 各部分之和在 [{d}] 内, 总数在 [{e}] 内"),
    (r"figure (?P<a>\d+) (?P<measure>\S+) (?P<b>\S+) ≥ \(parts do not cover the whole\) (?P<c>.*): parts lie in "
     r"\[(?P<d>.*)\], the total in \[(?P<e>.*)\]",
     "第 {a} 项 {measure} {b} ≥ {c}(各部分未涵盖全部): 各部分之和在 [{d}] 内, 总数在 [{e}] 内"),
    (r"figure (?P<a>\d+) (?P<measure>\S+) (?P<b>\S+) repeats the scope of figure (?P<c>\d+) (?P<measure2>\S+) "
     r"(?P<d>\S+): \[(?P<e>.*)\] against \[(?P<f>.*)\]",
     "第 {a} 项 {measure} {b} 与第 {c} 项 {measure2} {d} 范围相同: [{e}] 对照 [{f}]"),
    (r"(?P<measure>\S+) (?P<b>\S+) against (?P<measure2>\S+) (?P<c>\S+) − (?P<measure3>\S+) (?P<d>\S+) = "
     r"\[(?P<e>.*)\]", "{measure} {b} 对照 {measure2} {c} − {measure3} {d} = [{e}]"),
    (r"(?P<measure>\S+) (?P<b>\S+) against (?P<measure2>\S+) (?P<c>\S+) / (?P<measure3>\S+) (?P<d>\S+) = "
     r"\[(?P<e>.*)\]", "{measure} {b} 对照 {measure2} {c} ÷ {measure3} {d} = [{e}]"),
    (r"region (?P<a>.*) is not a region of the ledger: it is read as all regions", "区域 {a} 不在台账中: 按全部区域计"),
)


def labels(lang: str = "zh") -> dict[str, str]:
    """Every word of the table in ``lang`` (key → text)."""
    index = LANGS.index(lang)
    return {key: pair[index] for key, pair in _WORDS.items()}


LABELS = {lang: labels(lang) for lang in LANGS}


def value_label(kind: str, value: object, lang: str = "zh") -> str:
    """A status, severity, level, … as a word; a value the table does not know is shown as it is."""
    if value is None:
        return "—"
    pair = _VALUES.get((kind, str(value)))
    return pair[LANGS.index(lang)] if pair else str(value)


def field_label(field: str, lang: str = "zh", unit: str | None = None) -> str:
    """A record field's name; money fields with ``unit`` get it appended, e.g. 预算金额(元)."""
    pair = _FIELDS.get(field)
    text = pair[LANGS.index(lang)] if pair else field
    if unit and field.endswith("_fen"):
        text += f"({unit})" if lang == "zh" else f" ({unit})"
    return text


def column_label(key: str, lang: str = "zh", unit: str | None = None, *, record: bool = False) -> str:
    """A terminal table's column header. ``record``: the column is a record field (``budget`` is 预算金额, with
    ``unit``); else a word of the terminal tables. English: the name as the terminal printed it (budget(元))."""
    if lang == "en":
        return f"{key}({unit})" if unit else key
    if record and (key in _FIELDS or f"{key}_fen" in _FIELDS):
        return field_label(key if key in _FIELDS else f"{key}_fen", lang, unit)
    return _COLUMNS_ZH.get(key) or LABELS[lang].get(key, key)


def measure_label(name: str, rule_label: str | None = None, lang: str = "zh") -> str:
    """A measure's name: the rule file's Chinese label, or the English name of a shipped measure."""
    if lang == "zh":
        return rule_label or _MEASURES_ZH.get(name, name)
    return _MEASURES_EN.get(name, name.replace("_", " "))


def category_label(category: str | None, lang: str = "zh") -> str:
    """工程建设 for construction in Chinese; the canonical name in English."""
    if not category:
        return "—"
    if lang == "en":
        return category
    from ggzy.vocab import vocabulary

    return vocabulary().label(category)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"^{pattern}$"), zh) for pattern, zh in MESSAGES)


def message(text: str | None, lang: str = "zh") -> str:
    """A stored English sentence (or several joined by '; ') in ``lang``; unknown sentences stay as written.
    A reason may start with the column it is about ('成交金额(元): amount …'): the prefix is kept."""
    if not text or lang == "en":
        return text or ""
    out = []
    for part in text.split("; "):
        prefix, body = "", part
        head, sep, rest = part.partition(": ")
        if sep and not any(p.match(part) for p, _ in _patterns()):
            named = _FIELDS.get(f"{head}_fen") or _FIELDS.get(head)  # 'deal: …' names the field in English
            prefix, body = (named[0] if named else head) + ": ", rest
        for pattern, zh in _patterns():
            if found := pattern.match(body):
                groups = {k: v or "" for k, v in found.groupdict().items()}
                if "fields" in groups:
                    groups["fields"] = _field_words(groups["fields"])
                for name in [g for g in groups if g.startswith("measure")]:
                    groups[name] = measure_label(groups[name], None, lang)
                body = zh.format(**groups)
                break
        else:
            prefix, body = "", part
        out.append(prefix + body)
    return "; ".join(out)


def _field_words(text: str) -> str:
    """'deal 1.00 元 → 2.00 元, winner 甲 → 乙' with each field's Chinese name: '成交金额 1.00 元 → 2.00 元, …'."""
    parts = []
    for part in text.split(", "):
        word, space, rest = part.partition(" ")
        named = _FIELDS.get(f"{word}_fen") or _FIELDS.get(word)
        parts.append(f"{named[0]}{space}{rest}" if named and space and "→" in rest else part)
    return ", ".join(parts)


def period_label(period: str | None, lang: str = "zh") -> str:
    """2022Q3 → 2022年第三季度, 2022-07 → 2022年7月, 2022H1 → 2022年上半年, 2022 → 2022年 (English: as written)."""
    if not period:
        return LABELS[lang]["all"]
    if lang == "en":
        return period
    found = re.fullmatch(r"(\d{4})(?:-(\d{1,2})|[Qq]([1-4])|[Hh]([12]))?", period.strip())
    if not found:
        return period.replace("..", "至")
    year, month, quarter, half = found.groups()
    if month:
        return f"{year}年{int(month)}月"
    if quarter:
        return f"{year}年第{'一二三四'[int(quarter) - 1]}季度"
    if half:
        return f"{year}年{'上下'[int(half) - 1]}半年"
    return f"{year}年"


def with_unit(value: str | None, unit: str | None) -> str:
    """A reconciled value as a reader takes it in: 2380.1 万元, 17.32% (never '17.32% %'), 5 for a count."""
    if not value:
        return "—"
    if not unit or value.endswith(unit):
        return value
    return f"{value}%" if unit == "%" else f"{value} {unit}"


def change_text(field: str, before: object, after: object, unit: str, lang: str = "zh") -> str:
    """One amended field as the user wrote it: 成交金额(万元) 518.40 → 518.04 (money in ``unit``, not fen)."""
    from ggzy.reports.numbers import money_text

    if field.endswith("_fen"):
        fen_before, fen_after = cast(int | None, before), cast(int | None, after)  # a *_fen field holds fen or nothing
        return f"{field_label(field, lang, unit)} {money_text(fen_before, unit)} → {money_text(fen_after, unit)}"
    if field == "status":
        before, after = value_label("trade", before, lang), value_label("trade", after, lang)
    return f"{field_label(field, lang)} {'—' if before is None else before} → {'—' if after is None else after}"
