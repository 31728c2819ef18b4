"""Helpers for the browser test: JupyterLab on 127.0.0.1 with a token, and the JavaScript that
drives it through the app object JupyterLab exposes (``window.jupyterapp``)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Set to 1 (CI does) to make a missing browser a failure instead of a skip.
REQUIRE_BROWSER = "ATTENTION_LAB_REQUIRE_BROWSER"

#: JupyterLab settings for a quiet, fully rendered page: no news or update pop-ups, and every cell
#: kept in the page (a virtualised notebook would leave off-screen widgets unrendered).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def find_chromium() -> str | None:
    """Debian's ``chromium`` (or Ubuntu's ``chromium-browser``) on the PATH; never a download."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_args() -> list[str]:
    args = ["--disable-background-networking", "--disable-component-update", "--disable-gpu"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox on
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str  # http://127.0.0.1:PORT
    token: str
    log: Path

    def lab_url(self) -> str:
        return f"{self.url}/lab?token={self.token}"


@contextlib.contextmanager
def jupyterlab(root_dir: Path, workdir: Path, timeout_s: float = 60) -> Iterator[Lab]:
    """Run JupyterLab on a free port of 127.0.0.1, serving ``root_dir``, until the block ends.

    Its configuration, data, runtime and settings folders are fresh ones under ``workdir``, so
    neither the user's Jupyter settings leak in nor anything leaks out.
    """
    dirs = {
        name: workdir / name
        for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    for plugin, settings in LAB_SETTINGS.items():
        target = dirs["settings"] / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(settings))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "IPYTHONDIR": str(dirs["ipython"]),
    }
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.open_browser=False",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--LabApp.extension_manager=readonly",  # the default one asks PyPI for extensions
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")  # CI runs as root in a container
    log = workdir / "jupyterlab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    lab = Lab(url=f"http://127.0.0.1:{port}", token=token, log=log)
    try:
        _wait_for_status(lab, process, timeout_s)
        yield lab
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_status(lab: Lab, process: subprocess.Popen, timeout_s: float) -> None:
    request = urllib.request.Request(
        f"{lab.url}/api/status", headers={"Authorization": f"token {lab.token}"}
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{lab.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(
        f"JupyterLab did not answer within {timeout_s} s:\n{lab.log.read_text()[-3000:]}"
    )


# -- JavaScript run in the page ----------------------------------------------------------------

#: Open a notebook, wait for its kernel, run all cells; resolves when every cell has run.
OPEN_AND_RUN_ALL = """
async (path) => {
  const app = window.jupyterapp;
  const widget = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await widget.context.ready;
  await widget.sessionContext.ready;
  app.shell.activateById(widget.id);
  widget.node.setAttribute('data-test-notebook', path);
  await app.commands.execute('notebook:run-all-cells');
  return widget.id;
}
"""

#: True once the kernel is idle and no cell is waiting to run ([*]).
KERNEL_IDLE = """
(path) => {
  const node = document.querySelector(`[data-test-notebook="${path}"]`);
  const widget = window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext.session && widget.sessionContext.session.kernel;
  if (!node || !kernel || kernel.status !== 'idle') return false;
  return ![...node.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'));
}
"""

#: Every output of the notebook model that is an error, as "ename: evalue".
MODEL_ERRORS = """
() => {
  const widget = window.jupyterapp.shell.currentWidget;
  const errors = [];
  const cells = widget.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const outputs = cells.get(i).outputs;
    if (!outputs) continue;
    for (let j = 0; j < outputs.length; j++) {
      const output = outputs.get(j).toJSON();
      if (output.output_type === 'error') errors.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
    }
  }
  return errors;
}
"""

#: Shut the kernel down and close the notebook without a "save changes?" dialog.
CLOSE = """
async () => {
  const widget = window.jupyterapp.shell.currentWidget;
  if (!widget) return;
  await widget.sessionContext.shutdown();
  widget.context.model.dirty = false;
  widget.dispose();
}
"""

#: How many outputs of the notebook model are widget views (the mime type ipywidgets displays).
MODEL_WIDGET_OUTPUTS = """
(mime) => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  let count = 0;
  for (let i = 0; i < cells.length; i++) {
    const outputs = cells.get(i).outputs;
    if (!outputs) continue;
    for (let j = 0; j < outputs.length; j++) {
      const data = outputs.get(j).toJSON().data;
      if (data && data[mime]) count++;
    }
  }
  return count;
}
"""

#: The notebook's own outputs (not those nested in an Output widget) that hold a rendered widget
#: view: JupyterLab 4 with ipywidgets 8 puts the view's root (.jupyter-widgets) directly in the
#: output node, and sets no data-mime-type on it. Also counts the "Error displaying widget" ones.
PAGE_WIDGET_VIEWS = """
(path) => {
  const outputs = [...document.querySelectorAll(
    `[data-test-notebook="${path}"] .jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output`)];
  return {
    rendered: outputs.filter(o => [...o.children].some(c => c.classList.contains('jupyter-widgets'))).length,
    failed: outputs.filter(o => o.textContent.includes('Error displaying widget')).length,
  };
}
"""

#: What a keyboard can reach in an explorer: its focusable elements, in Tab order (DOM order, as
#: none has a positive tabindex), the figure and numbers excluded.
_FOCUSABLE = """
const focusable = (explorer) => [...explorer.querySelectorAll(
    'button, select, input, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]')]
  .filter(e => !e.disabled && e.offsetParent !== null
               && !e.closest('.attention-lab-values, .attention-lab-message, .attention-lab-figure'));
"""

#: Focus the explorer's first control (where a learner enters it) and mark the control the test
#: drives: its first slider handle, or its first button for an explorer without a slider.
ENTER_EXPLORER = (
    "(explorer) => {"
    + _FOCUSABLE
    + """
  const controls = focusable(explorer);
  if (controls.length === 0) return null;
  const target = controls.find(e => e.getAttribute('role') === 'slider')
              || controls.find(e => e.tagName === 'BUTTON');
  if (!target) return null;
  document.querySelectorAll('[data-test-target]').forEach(e => e.removeAttribute('data-test-target'));
  target.setAttribute('data-test-target', '1');
  controls[0].focus();
  const widget = target.closest('.widget-inline-hbox');
  const label = widget && widget.querySelector('.widget-label');
  return {
    slider: target.getAttribute('role') === 'slider',
    atMax: target.getAttribute('aria-valuenow') === target.getAttribute('aria-valuemax'),
    label: (label && label.textContent.trim()) || target.textContent.trim(),
    first: controls[0] === target,
  };
}
"""
)

#: Where the keyboard focus is: "target" (the driven control), "inside" the explorer, or "outside".
FOCUS_IS = """
(explorer) => {
  const active = document.activeElement;
  if (active && active.hasAttribute('data-test-target')) return 'target';
  return active && explorer.contains(active) ? 'inside' : 'outside';
}
"""

#: Arm the timing of one key press: a capturing keydown listener on window takes the time first
#: (performance.now(), before any handler of the page), then the figure is watched until a new
#: <img> replaces the old one, is decoded, and the next frame is painted (a requestAnimationFrame
#: callback runs just before the paint; a message posted from it runs just after). On the way it
#: notes when the new numbers appeared and when the new <img> entered the page, to say where the
#: time goes. The promise is kept in window.__attentionLabPress for AWAIT_PRESS.
ARM_PRESS = """
(explorer) => {
  const figure = explorer.querySelector('.attention-lab-figure');
  const valuesNode = explorer.querySelector('.attention-lab-values');
  const old = figure.querySelector('img');
  const values = valuesNode.innerText;
  window.__attentionLabPress = new Promise((resolve) => {
    let start = null, numbers = null, inserted = null, decoded = null;
    const since = () => performance.now() - start;
    window.addEventListener('keydown', () => { start = performance.now(); },
                            {capture: true, once: true});
    const watchValues = new MutationObserver(() => {
      if (start !== null && numbers === null && valuesNode.innerText !== values) numbers = since();
    });
    watchValues.observe(valuesNode, {childList: true, subtree: true, characterData: true});
    const timeout = setTimeout(() => {
      observer.disconnect(); watchValues.disconnect();
      resolve({error: 'no new figure within 30 s'});
    }, 30000);
    const painted = () => {
      decoded = since();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          watchValues.disconnect();
          resolve({
            ms: since(), numbers, inserted, decoded,
            valuesChanged: valuesNode.innerText !== values,
            srcChanged: figure.querySelector('img').getAttribute('src') !== old.getAttribute('src'),
          });
        };
        channel.port2.postMessage(null);
      });
    };
    const observer = new MutationObserver(() => {
      const image = figure.querySelector('img');
      if (!image || image === old || start === null) return;
      observer.disconnect();
      clearTimeout(timeout);
      inserted = since();
      image.decode().then(painted, painted);  // a failed decode still ends the wait
    });
    observer.observe(figure, {childList: true, subtree: true});
  });
}
"""

AWAIT_PRESS = "() => window.__attentionLabPress"

#: Each control of an explorer (an ipywidget with something to focus) and the label a screen
#: reader can read for it: its description (ipywidgets' .widget-label, or the label wrapping a
#: checkbox), or a button's own text, or an aria-label; then the alt text of every figure.
LABELS_AND_ALTS = (
    "(explorer) => {"
    + _FOCUSABLE
    + """
  const shown = (e) => e && e.offsetParent !== null && e.textContent.trim() !== '';
  const controls = new Map();
  for (const element of focusable(explorer)) {
    const widget = element.closest('.widget-inline-hbox, .widget-checkbox') || element;
    if (controls.has(widget)) continue;
    const description = [...widget.querySelectorAll('.widget-label, .widget-label-basic')].find(shown);
    const own = element.getAttribute('aria-label') || (element.tagName === 'BUTTON' && element.textContent.trim());
    controls.set(widget, (description && description.textContent.trim()) || own || '');
  }
  return {
    labels: [...controls.values()],
    alts: [...explorer.querySelectorAll('.attention-lab-figure img')].map(i => (i.getAttribute('alt') || '').trim()),
  };
}
"""
)
