"""Published figures read from bulletin text (DESIGN.md: bulletins/)."""
