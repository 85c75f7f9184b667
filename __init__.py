"""ggzy-ledger: ledger and reconciliation engine for public resource trading centres."""
