"""Pure-Python engines (participatory budgeting, sortition, opinion mapping, statistics,
working days). Nothing under this package may import Django: see the import-linter
contracts in pyproject.toml."""
