"""Maintainer tools, not imported by the notebooks' teaching code.

``colab`` keeps the Colab badges and setup cells in step with ``pyproject.toml``;
``notebook_tools`` refreshes stored outputs and re-checks them (``make execute``, ``make
determinism``); ``release`` checks a checkout is ready and tags it (``make release``). Run them
as ``python -m attention_lab.tools.colab``, ``python -m attention_lab.tools.notebook_tools`` and
``python -m attention_lab.tools.release``.
"""
