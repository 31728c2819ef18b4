"""The message catalogue: one module per area, each with ``EN`` and ``VI`` dicts of the same keys."""
