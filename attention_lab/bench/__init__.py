"""Benchmarks that print tables: ``python -m attention_lab.bench {widgets,attention} [--json FILE]``.

Each sub-module measures one thing and exposes ``add_arguments(parser)`` and ``run(args) -> list
of dict rows`` (and optionally ``table(rows)`` for extra printed columns); ``__main__`` prints
the rows with ``format_table`` (which the notebooks use too) and, with ``--json``, writes them to
a file.
"""

from .table import format_table

__all__ = ["format_table"]
