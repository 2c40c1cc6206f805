"""困难职工帮扶 — the hardship program (README.md maps its modules)."""

PROGRAM_ID = "hardship"
