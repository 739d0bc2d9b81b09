"""The outer layer: the ``govreports`` command line (``ui.cli``), the demo (``ui.demo``) and
the HTML report (``ui.htmlreport``).

These are the modules that compose everything else (the flows, the warehouse, the pure core
in ``govreports/``); nothing outside ``ui`` imports them, and ``govreports/`` imports
neither them, the flows, the warehouse, Prefect nor DuckDB (``tests/core/test_layers.py``).
"""
