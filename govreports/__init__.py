"""govreports: 法治政府建设年度报告 from government disclosure sites into a DuckDB warehouse."""

__version__ = "0.1.0"
