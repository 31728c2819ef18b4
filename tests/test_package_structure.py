"""The package's shape: light to import, no module reaching into another's private names, and
imports that run down the layers (math, then layers and data, then plots, then explorers)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "attention_lab"


#: Lower layers never import higher ones.
LAYERS = {
    "attention_lab._checks": 0,
    "attention_lab.i18n": 0,  # the words: every layer above may ask it
    "attention_lab.device": 0,
    "attention_lab.default_device": 1,  # the device as default: asks device which one
    "attention_lab.functional": 1,
    "attention_lab.tiled": 1,
    "attention_lab.positions": 1,
    "attention_lab.tiled_passes": 1,
    "attention_lab.triton_attention": 1,
    "attention_lab.triton_kernel": 1,
    "attention_lab.kv_cache": 1,
    "attention_lab.layers": 2,
    "attention_lab.tiny_model": 2,
    "attention_lab.data": 2,
    "attention_lab.plots": 3,
    "attention_lab.widgets": 4,
    "attention_lab.exercises": 4,
    "attention_lab.bench": 5,
    "attention_lab.tools": 5,
    "attention_lab.colab": 5,
    "attention_lab.notebook_tools": 5,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every ``from X import name`` of the package, wherever it sits."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
        else:
            target = node.module or ""
        if target.split(".")[0] == "attention_lab":
            found += [(target, alias.name) for alias in node.names]
    return found


def package_imports() -> dict[str, list[tuple[str, str]]]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 10, f"found only {len(files)} modules under {PACKAGE}"
    return {module_name(path): imports_of(path) for path in files}


def layer(module: str) -> int | None:
    for prefix, rank in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return None


def test_importing_the_package_does_not_import_matplotlib_until_a_plot_is_asked_for():
    code = (
        "import sys, attention_lab; assert 'matplotlib' not in sys.modules, 'imported'; "
        "from attention_lab import plot_heatmaps; assert 'matplotlib' in sys.modules; "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot before a figure is made'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_first_attention_call_does_not_import_sympy():
    # torch.broadcast_shapes imports sympy (0.6 s) on first use; the checks broadcast by hand.
    code = (
        "import sys, torch; from attention_lab import MultiHeadAttention, attention; "
        "x = torch.ones(2, 3, 4); attention(x, x, x, mask=torch.ones(3, 3, dtype=torch.bool)); "
        "MultiHeadAttention(4, 4, 2)(x, key_mask=torch.ones(2, 3, dtype=torch.bool)); "
        "assert 'sympy' not in sys.modules, 'sympy imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_module_imports_another_modules_private_names():
    imports = package_imports()
    assert sum(len(found) for found in imports.values()) >= 30, "the import scan found too little"
    private = set()
    for module, found in imports.items():
        for target, name in found:
            if name.startswith("_") and not name.startswith("__") and target != module:
                private.add((module, f"{target}.{name}"))
    assert private == set(), f"private names imported across modules: {sorted(private)}"


def test_imports_run_down_the_layers():
    imports = package_imports()
    unplaced = [m for m in imports if m != "attention_lab" and layer(m) is None]
    assert unplaced == [], "give each module a layer in LAYERS"
    upward = []
    for module, found in imports.items():
        for target, name in found:
            # `from attention_lab import widgets` names a sub-module: resolve it
            full = f"{target}.{name}" if layer(f"{target}.{name}") is not None else target
            if module == "attention_lab" or full == "attention_lab":
                continue  # the package's own __init__ re-exports from every layer
            if layer(full) > layer(module):
                upward.append(f"{module} -> {full}")
    assert upward == []
