"""Nothing reaches the network at run time: the package and the notebooks run with sockets blocked.

One guard, written once as source text, is installed three ways: in this process (for the
notebooks' code run in-process), at the top of a fresh interpreter (for importing the package),
and as an IPython startup file of a real Jupyter kernel. It lets loopback through, because a
kernel talks to its client over 127.0.0.1, and records every other attempt in a log file, so an
attempt that some code catches and swallows is still seen.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, notebook_id, notebook_paths

# Installs the guard; everything lives inside one function so that, run as an IPython startup
# file, it leaves no names behind in the learner's namespace.
GUARD = r"""
def _install_network_guard(log_path):
    import ipaddress
    import socket

    def is_loopback(host):
        if host is None or host in ("localhost", "localhost.localdomain"):
            return True
        if isinstance(host, bytes):
            host = host.decode()
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False

    def refuse(what):
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(what + "\n")
        raise ConnectionRefusedError(f"network blocked by the no-network test: {what}")

    def checked(method):
        def guarded(self, address, *args, **kwargs):
            inet = self.family in (socket.AF_INET, socket.AF_INET6)
            if inet and not is_loopback(address[0]):
                refuse(f"{method.__name__} {address!r}")
            return method(self, address, *args, **kwargs)

        return guarded

    def resolver(function):
        def guarded(host, *args, **kwargs):
            if not is_loopback(host):
                refuse(f"{function.__name__} {host!r}")
            return function(host, *args, **kwargs)

        return guarded

    original_sendto = socket.socket.sendto

    def sendto(self, data, *args):  # sendto(data, address) or sendto(data, flags, address)
        address = args[-1]
        if self.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
            refuse(f"sendto {address!r}")
        return original_sendto(self, data, *args)

    socket.socket.connect = checked(socket.socket.connect)
    socket.socket.connect_ex = checked(socket.socket.connect_ex)
    socket.socket.sendto = sendto
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, name, resolver(getattr(socket, name)))
    with open(log_path, "a", encoding="utf-8") as log:
        log.write("guard installed\n")
"""

INSTALLED = "guard installed"


def attempts(log: Path) -> list[str]:
    """The connections the guard refused, from its log (the install line left out)."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    assert INSTALLED in lines, "the network guard was never installed"
    return [line for line in lines if line != INSTALLED]


@pytest.fixture
def blocked_network(monkeypatch, tmp_path):
    """Install the guard in this process for one test; return its log file."""
    log = tmp_path / "network.log"
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, getattr(socket, name))
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, getattr(socket.socket, name))
    namespace: dict = {}
    exec(GUARD, namespace)
    namespace["_install_network_guard"](str(log))
    return log


# --- the guard itself: it must block, or the tests below prove nothing ------------------------


def test_the_guard_blocks_the_network_and_lets_loopback_through(blocked_network):
    with pytest.raises(ConnectionRefusedError, match="network blocked"):
        socket.create_connection(("203.0.113.7", 80), timeout=1)  # TEST-NET-3: never routed
    with pytest.raises(ConnectionRefusedError, match="network blocked"):
        socket.getaddrinfo("pypi.org", 443)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp,
        pytest.raises(ConnectionRefusedError, match="network blocked"),
    ):
        udp.sendto(b"x", ("8.8.8.8", 53))
    # Loopback still works: a kernel needs it.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    assert len(attempts(blocked_network)) == 3


# --- the package ---------------------------------------------------------------------------------

# Imports every module of the package, then runs its main functions once each.
PACKAGE_RUN = """
import importlib, io, pkgutil
import matplotlib
matplotlib.use("Agg")
import attention_lab

for module in pkgutil.walk_packages(attention_lab.__path__, "attention_lab."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)

import torch
from attention_lab.data import journey_embeddings, JOURNEY_TOKENS
from attention_lab.device import describe_environment, pick_device, to_cpu
from attention_lab.exercises import check
from attention_lab.functional import attention, causal_mask, dot_scores_loop, softmax_naive, softmax_stable
from attention_lab.layers import MultiHeadAttention, SelfAttention, SelfAttentionParams
from attention_lab.plots import plot_attention_weights
from attention_lab.tiled import attention_tiled
from attention_lab.widgets import EXAMPLES

torch.manual_seed(0)
x = journey_embeddings(device=pick_device())
softmax_naive(dot_scores_loop(x[1], x))
out, attn_weights = attention(x, x, x, mask=causal_mask(6, device=x.device), dropout_p=0.1)
softmax_stable(out)
SelfAttention(3, 2, causal=True).to(x.device)(x)
SelfAttentionParams(3, 2).to(x.device)(x)
MultiHeadAttention(3, 4, 2, causal=True).to(x.device)(x)
attention_tiled(x, x, x, causal=True, block_q=2, block_k=2)
ax = plot_attention_weights(to_cpu(attn_weights), JOURNEY_TOKENS)
ax.figure.savefig(io.BytesIO(), format="png")
describe_environment()
check("02.softmax", torch.softmax(dot_scores_loop(x[1], x), dim=-1))
for make in EXAMPLES.values():
    make().close()
from attention_lab.tools import colab
assert colab.setup() is False  # not on Colab: installs nothing
print("ran")
"""


def test_the_package_imports_and_runs_with_the_network_blocked(tmp_path):
    log = tmp_path / "network.log"
    code = f"{GUARD}\n_install_network_guard({str(log)!r})\n{PACKAGE_RUN}"
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ran")
    assert attempts(log) == []


# --- the notebooks -------------------------------------------------------------------------------

NOTEBOOKS = notebook_paths()


def distinct_code(paths: list[Path]) -> list[Path]:
    """The notebooks whose code differs from every earlier one's: a translated edition shares
    its code cells with the English notebook, so running it again would prove nothing new."""
    seen, kept = set(), []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        code = tuple(c.source for c in nb.cells if c.cell_type == "code")
        if code not in seen:
            seen.add(code)
            kept.append(path)
    return kept


@pytest.fixture(scope="module")
def shell():
    """One in-process IPython shell (no history file) for running notebook code quickly."""
    import matplotlib
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    matplotlib.use("Agg")
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    yield shell
    InteractiveShell.clear_instance()


@pytest.mark.parametrize("path", distinct_code(NOTEBOOKS), ids=notebook_id)
def test_notebook_code_runs_with_the_network_blocked(path, shell, blocked_network, monkeypatch):
    import matplotlib.pyplot as plt

    monkeypatch.chdir(path.parent)  # as Jupyter runs a notebook: in its own folder
    shell.reset(new_session=True)
    nb = nbformat.read(path, as_version=4)
    try:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            # A notebook's warnings are the hygiene test's business (no stderr in outputs).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = shell.run_cell(cell.source, store_history=False)
            error = result.error_before_exec or result.error_in_exec
            assert error is None, f"cell {index} failed: {error!r}"
    finally:
        plt.close("all")
    assert attempts(blocked_network) == []


STARTUP = """
{guard}
_install_network_guard({log!r})
del _install_network_guard
"""


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")
def test_a_notebook_in_a_real_kernel_with_the_network_blocked(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    # The guard as an IPython startup file: it runs in the kernel before the first cell.
    log = tmp_path / "network.log"
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    source = STARTUP.format(guard=GUARD, log=str(log))
    (startup / "00-block-network.py").write_text(source, encoding="utf-8")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    path = NOTEBOOKS[0]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError on any failing cell
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    assert attempts(log) == []


# --- make lab: localhost and a token ---------------------------------------------------------------


def lab_recipe() -> str:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^lab:.*\n((?:\t.*\n?)+)", makefile, re.M)
    assert match, "the Makefile has no lab target"
    return match.group(1)


def test_make_lab_serves_on_localhost_only():
    recipe = lab_recipe()
    ips = re.findall(r"--(?:ServerApp\.|NotebookApp\.)?ip[= ]+(\S+)", recipe)
    assert ips and all(ip.strip("'\"") in ("127.0.0.1", "localhost") for ip in ips), recipe
    for wide_open in ("0.0.0.0", "'*'", '"*"', "::", "allow_remote_access", "allow_origin"):
        assert wide_open not in recipe, f"make lab mentions {wide_open}"


def test_make_lab_keeps_jupyters_token():
    # Jupyter makes a fresh random token unless told otherwise: nothing may tell it otherwise.
    recipe = lab_recipe().lower()
    for setting in ("token", "password", "disable_check_xsrf", "identityprovider"):
        assert setting not in recipe, f"make lab sets {setting}: {recipe}"
    configs = []
    for folder, subfolders, files in os.walk(REPO):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]  # .venv, .git, ...
        configs += [
            Path(folder) / f for f in files if re.fullmatch(r"jupyter_\w+_config\.(py|json)", f)
        ]
    for config in configs:
        text = config.read_text(encoding="utf-8")
        assert not re.search(r"token\W+=?\W*(''|\"\")", text), f"{config} empties the token"
        assert "0.0.0.0" not in text, f"{config} listens on every interface"


def test_no_code_in_the_package_or_notebooks_fetches_from_the_web():
    # Static second line of defence: no download helpers in what learners run. The Colab set-up
    # cell's pip install is the one allowed exception (it runs only on Colab).
    forbidden = re.compile(
        r"\b(urllib\.request|urlopen|requests\.get|http\.client|download_url|hf_hub_download|"
        r"load_dataset|torch\.hub\.load)"
    )
    sources = {p: p.read_text(encoding="utf-8") for p in (REPO / "attention_lab").rglob("*.py")}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        sources[path] = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    found = {
        str(p.relative_to(REPO)): m.group(0)
        for p, s in sources.items()
        if (m := forbidden.search(s))
    }
    assert found == {}
