"""A headless JupyterLab server and the Playwright steps a learner's Run All takes in it.

Used by ``test_browser.py``. The server is the README's ``jupyter lab`` entry point with
``--no-browser``, a free port, a random token and fresh user settings and workspaces (a new
learner's JupyterLab); everything on the page is found through JupyterLab's own DOM classes.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

STDERR_MIME = "application/vnd.jupyter.stderr"
CONTROLS = ".widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-checkbox"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """``jupyter lab`` in a subprocess (its own process group), shut down by ``stop()``.

    Args:
        root: the server's root folder (``--ServerApp.root_dir``); notebooks are opened by
            their path relative to it.
        state: a scratch folder for the server's settings, workspaces, runtime files and log.
        env: extra environment variables for the server and the kernels it starts.
    """

    def __init__(self, root: Path, state: Path, env: dict[str, str]):
        self.root, self.state = root, state
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = state / "jupyterlab.log"
        jupyter = Path(sys.executable).with_name("jupyter")
        self.command = [
            str(jupyter) if jupyter.exists() else "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={state / 'user-settings'}",
            f"--LabApp.workspaces_dir={state / 'workspaces'}",
        ]
        if os.geteuid() == 0:  # CI containers run as root; JupyterLab refuses without this
            self.command.append("--allow-root")
        self.env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(state / "runtime"), **env}
        # A learner's kernel draws with the inline backend; an inherited MPLBACKEND=Agg would
        # make every plt.show() draw nothing.
        self.env.pop("MPLBACKEND", None)
        self.process: subprocess.Popen | None = None
        # No news toast over the lessons, and no request to the news feed (CI has no network).
        notification = state / "user-settings" / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True, exist_ok=True)
        (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')

    def start(self, timeout: float = 120.0) -> None:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with {self.process.returncode}:\n{self.tail()}"
                )
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.tail()}")

    def api(self, method: str, path: str, timeout: float = 10.0):
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernel_is_idle(self, path: Path) -> bool:
        """Whether the notebook at ``path`` has a session whose kernel is idle."""
        relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        return any(
            session["path"] == relative
            and (session.get("kernel") or {}).get("execution_state") == "idle"
            for session in self.api("GET", "/api/sessions")
        )

    def shutdown_kernels(self) -> None:
        """Stop every kernel (quietly if the server is gone: stop() then ends the process)."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
        except (urllib.error.URLError, ConnectionError):
            pass

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels), then end its process group."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.api("POST", "/api/shutdown", timeout=30)
            self.process.wait(timeout=30)
        except Exception:  # whatever went wrong, the process group is ended below
            pass
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
            if self.process.poll() is not None:
                break
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                pass

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def notebook_url(self, path: Path) -> str:
        """The URL that opens ``path`` in a reset workspace (nothing restored from a last run)."""
        relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        return f"{self.url}/lab/tree/{relative}?reset&token={self.token}"


# --- what a learner does on the page ----------------------------------------------------------

NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
INDICATOR = f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator"


def kernel_status(page) -> str | None:
    return page.locator(INDICATOR).first.get_attribute("data-status")


def wait_for_idle_kernel(page, timeout: float) -> None:
    page.locator(f'{INDICATOR}[data-status="idle"]').first.wait_for(timeout=timeout * 1000)


def wait_for_kernel(page, server: JupyterLab, path: Path, timeout: float) -> None:
    """Wait until the notebook's kernel is idle, on the server and on the page.

    If JupyterLab asks which kernel to start, click Select (the notebook's own kernel is the
    preselected one), as a learner would.
    """
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    deadline = time.monotonic() + timeout
    while not server.kernel_is_idle(path):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no idle kernel for {path.name} after {timeout:.0f} s")
        if dialog.count():
            dialog.locator(".jp-mod-accept").click()
        page.wait_for_timeout(500)
    wait_for_idle_kernel(page, timeout)


def run_all_from_menu(page) -> None:
    """Run > Run All Cells, through the menu bar as a learner clicks it."""
    page.locator(".lm-MenuBar-itemLabel").filter(has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel").get_by_text(
        "Run All Cells", exact=True
    ).click()


def prompts(page) -> list[str]:
    """The input prompt of every code cell, in order: '[3]:', '[*]:' or '[ ]:'."""
    return page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt").evaluate_all(
        "els => els.map(e => e.textContent.trim())"
    )


def wait_until_run_ends(page, timeout: float, poll: float = 2.0) -> list[str]:
    """Wait until no cell is queued or running and the kernel has stayed idle for two polls.

    Returns the prompts then; Run All stops at an error, so later cells keep '[ ]:'.
    """
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        current = prompts(page)
        busy = any("*" in p for p in current) or kernel_status(page) != "idle"
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            return current
        time.sleep(poll)
    raise TimeoutError(f"the notebook was still running after {timeout:.0f} s: {prompts(page)}")


def outputs(page) -> list[dict]:
    """Every rendered output: its cell's index among code cells, mime type and text."""
    return page.locator(f"{NOTEBOOK} .jp-CodeCell").evaluate_all(
        """cells => cells.flatMap((cell, i) =>
            [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
                cell: i,
                mime: o.getAttribute('data-mime-type'),
                text: o.textContent,
            })))"""
    )


def widget_panels(page):
    """Every ``interactive`` panel rendered as widgets (a failed one renders as text instead)."""
    return page.locator(f"{NOTEBOOK} .jp-OutputArea-output > .jupyter-widgets.widget-interact")
