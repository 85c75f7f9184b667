"""Report labels in Chinese (default) and English (`--lang en`)."""

from __future__ import annotations

LABELS = {
    "zh": {"summary": "汇总", "discrepancies": "对账差异", "results": "对账结果", "consistency": "一致性检查",
           "quarantine": "隔离行", "findings": "检查异常", "title": "公共资源交易台账异常报告",
           "figure": "序号", "line": "行", "measure": "指标", "period": "期间", "region": "区域",
           "category": "类别", "subcategory": "子类", "exclude": "不含", "published": "公布值", "unit": "单位",
           "low": "下限", "high": "上限(不含)", "ledger": "台账值", "difference": "差额", "status": "状态",
           "records": "记录数", "command": "查看记录", "figures": "涉及序号", "detail": "说明",
           "batch": "批次", "kind": "类型", "file": "来源文件", "sheet": "工作表", "row": "行号",
           "reasons": "原因", "raw": "原始内容", "expectation": "检查项", "severity": "级别",
           "failed": "未通过", "record_id": "记录ID", "project_code": "项目编号", "section_code": "标段编号",
           "name": "名称", "deal": "成交金额(元)", "reviewer": "复核人", "decision": "处理意见", "note": "备注",
           "key": "项目", "value": "内容", "totals": "合计核对", "label": "合计行", "column": "金额列",
           "stated": "表内合计", "rows_sum": "明细之和", "covered": "明细行数", "held": "其中隔离",
           "rates_category": "分类节资率增值率", "rates_region": "分区域节资率增值率", "monthly": "月度成交金额",
           "total": "合计", "month": "月份", "wan": "万元", "level": "层级", "rates_chart": "各类别节资率/增值率",
           "monthly_chart": "月度成交金额(万元)", "rows": "行"},
    "en": {"summary": "Summary", "discrepancies": "Discrepancies", "results": "Results", "consistency":
           "Consistency", "quarantine": "Quarantine", "findings": "Findings", "title": "Ledger exception report",
           "figure": "Figure", "line": "Line", "measure": "Measure", "period": "Period", "region": "Region",
           "category": "Category", "subcategory": "Subcategory", "exclude": "Excluding", "published": "Published",
           "unit": "Unit", "low": "Low", "high": "High (excl.)", "ledger": "Ledger", "difference": "Difference",
           "status": "Status", "records": "Records", "command": "Records command", "figures": "Figures",
           "detail": "Detail", "batch": "Batch", "kind": "Kind", "file": "Source file", "sheet": "Sheet",
           "row": "Row", "reasons": "Reasons", "raw": "Raw cells", "expectation": "Expectation",
           "severity": "Severity", "failed": "Failed", "record_id": "Record ID", "project_code": "Project code",
           "section_code": "Section code", "name": "Name", "deal": "Deal amount (元)", "reviewer": "Reviewer",
           "decision": "Decision", "note": "Note", "key": "Item", "value": "Value", "totals": "Source totals",
           "label": "Total row", "column": "Amount column", "stated": "Stated total", "rows_sum": "Sum of rows",
           "covered": "Rows covered", "held": "Of which held",
           "rates_category": "Rates by category", "rates_region": "Rates by region", "monthly": "Monthly amounts",
           "total": "Total", "month": "Month", "wan": "10k yuan", "level": "Level",
           "rates_chart": "Savings and premium rates by category", "monthly_chart": "Monthly deal amounts (10k yuan)",
           "rows": "Rows"},
}


def measure_label(name: str, rule_label: str, lang: str) -> str:
    """A measure's column title: the rule file's Chinese label, or its name in English."""
    return rule_label if lang == "zh" else name.replace("_", " ")
