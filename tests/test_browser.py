"""Run the course as a student does: JupyterLab in a real browser.

nbval proves that the kernels compute the committed outputs; it does not prove that a student
sees working figures and widgets. This module starts `jupyter lab` on a copy of the notebooks
(JupyterLab autosaves: the repository's notebooks are never touched), drives Debian's Chromium
with Playwright (never a browser downloaded by Playwright), and for every lecture, solution and
exercise notebook:

1. opens it, waits for the kernel to be idle, clears every output (Edit menu), so that whatever
   is shown afterwards comes from this run, and runs all cells (Run menu);
2. in an exercise, Run All stops at the first error: JupyterLab sends every cell with
   `stop_on_error` and the kernel aborts the queued ones. So the test does what a student does:
   it selects the next cell that did not run and chooses Run > Run Selected Cell and All Below,
   until every cell has run. Every error must be a `NotImplementedError` placeholder, or a
   NameError for a name that an unwritten answer defines (one that the solution's version of a
   cell that raised NotImplementedError binds, e.g. `model` in "create model and train it");
   anything else, a NameError from a typo for instance, fails;
3. saves it (File menu) and checks the page against the saved outputs: every cell ran; no error
   and nothing on stderr (in exercises, the placeholders' errors only); every image output is an
   <img> that decoded to a non-zero size, and lectures and solutions draw as many figures, cell
   by cell, as their committed outputs; every widget output is a live control, never its text
   repr such as `interactive(children=...)`;
4. on every widget that has a slider, presses an arrow key on the first slider's handle and waits
   until what the widget drives (its figure or its printed text) changes;
5. reads the kernel's peak memory (fails over KERNEL_MEMORY_BUDGET_MB) and writes it, with the
   run time, to test-artifacts/browser-report.txt;
6. saves a screenshot to test-artifacts/screenshots/, also when the test fails.

Two settings differ from a student's JupyterLab, both for the sake of measuring: every cell is
attached to the page (windowingMode "none": the default lets Chromium skip drawing off-screen
cells), and kernels use one BLAS thread (the test shares two cores with nbval).

Skips on a machine without Chromium, saying how to install it; in CI (CI=true) it fails instead,
so it can never be skipped silently there. CHROMIUM=/path/to/chromium picks another build.
"""
import ast
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "solutions", "exercises")
NOTEBOOKS = [
    path.relative_to(ROOT).as_posix()
    for folder in FOLDERS
    for path in sorted((ROOT / folder).glob("*.ipynb"))
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
REPORT = ROOT / "test-artifacts" / "browser-report.txt"

# Chromium in this sandbox (and on CI machines without outbound access) must not try to reach
# Google's services: its connections are refused and pages hang on them otherwise.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 860}

# Generous but bounded: a notebook runs in at most 20 s on an idle machine, and this test shares
# two cores with nbval. Seconds for the server, milliseconds for the page.
SERVER_START_TIMEOUT = 60
OPEN_TIMEOUT = 90_000
RUN_TIMEOUT = 240_000
WIDGET_TIMEOUT = 30_000

# Each notebook's kernel, at its peak, may use this much memory (Binder gives 2 GB in all).
KERNEL_MEMORY_BUDGET_MB = 400

pytestmark = pytest.mark.browser

# The repr a widget falls back to when JupyterLab cannot render it as a control.
WIDGET_AS_TEXT = re.compile(
    r"^\s*(interactive|[A-Z][A-Za-z]*(Slider|Box|Dropdown|Button|Output|Text|Checkbox|Play|"
    r"Tab|Accordion|Label|HTML|Select|Buttons|Picker))\("
)

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason):
    """Skip on a student's machine; fail in CI, where the browser test must always run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser test must run, not skip)")
    pytest.skip(reason)


def find_chromium():
    """$CHROMIUM when set (even when it does not exist: that is how to test the skip), else
    Debian's /usr/bin/chromium or a chromium on PATH; None when there is none."""
    if os.environ.get("CHROMIUM"):
        candidates = [os.environ["CHROMIUM"]]
    else:
        candidates = ["/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


# --------------------------------------------------------------------------------------------
# The JupyterLab server, on a copy of the notebooks
# --------------------------------------------------------------------------------------------

def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


class LabServer:
    """`jupyter lab` on 127.0.0.1 with a random port and token, serving a temporary copy of the
    course with its own config, data, runtime and IPython directories: it neither reads nor
    changes the user's Jupyter setup, and JupyterLab's autosave never touches the repository."""

    def __init__(self, base):
        self.base = Path(base)
        self.root = self.base / "course"
        self.port = _free_port()
        self.token = uuid.uuid4().hex
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.base / "jupyter-lab.log"
        self.process = None
        self.log = None
        self.report = []  # one line per notebook: run time and peak kernel memory

    def prepare(self):
        for folder in FOLDERS:
            if (ROOT / folder).is_dir():
                shutil.copytree(ROOT / folder, self.root / folder,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = self.base / "config" / "lab" / "user-settings" / "@jupyterlab"
        # Attach every cell to the page (the default, content-visibility, lets Chromium skip
        # rendering off-screen cells, so their images would not be decoded when we look).
        _write_json(settings / "notebook-extension" / "tracker.jupyterlab-settings",
                    {"windowingMode": "none"})
        # No "fetch Jupyter news?" toast over the notebook, and no request to the internet.
        _write_json(settings / "apputils-extension" / "notification.jupyterlab-settings",
                    {"fetchNews": "false", "checkForUpdates": False})

    def environment(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTER", "IPYTHON", "MPLBACKEND"))}
        env.update(
            JUPYTER_CONFIG_DIR=str(self.base / "config"),
            JUPYTER_DATA_DIR=str(self.base / "data"),
            JUPYTER_RUNTIME_DIR=str(self.base / "runtime"),
            IPYTHONDIR=str(self.base / "ipython"),
            JUPYTER_PLATFORM_DIRS="1",
            # The kernels share two cores with nbval: one BLAS thread each is faster overall.
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
        )
        return env

    def start(self):
        self.prepare()
        self.log = open(self.log_path, "ab")
        for _ in range(3):  # the free port may be taken between choosing and binding it
            if self._launch():
                return self
            self.port = _free_port()
            self.url = f"http://127.0.0.1:{self.port}"
        raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n"
                           f"{self.log_text()}")

    def _launch(self):
        """Start jupyter lab; True once it answers, False when it exited early."""
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # CI containers often run as root
        self.process = subprocess.Popen(
            command, cwd=self.root, env=self.environment(), stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                self.api("GET", "/api/status")
                return True
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {SERVER_START_TIMEOUT} s:\n"
                           f"{self.log_text()}")

    def api(self, method, path):
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def peak_kernel_memory_mb(self):
        """Largest peak resident memory (VmHWM) among the server's child processes, the
        kernels, in MB; None where /proc is not available."""
        try:
            children = [int(p) for p in
                        Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
                        .read_text().split()]
        except OSError:
            return None
        peaks = []
        for pid in children:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return max(peaks, default=None)

    def shutdown_kernels(self):
        """Stop every kernel, so that notebooks do not pile up kernels in memory."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def log_text(self, last=4000):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")[-last:]

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            if self.log is not None:
                self.log.close()
            return
        try:
            self.api("POST", "/api/shutdown")  # also shuts its kernels down
            self.process.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        finally:
            self.log.close()


# --------------------------------------------------------------------------------------------
# Fixtures: one server and one browser per module, one page per notebook
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    path = find_chromium()
    if path is None:
        _unavailable("the browser test needs Chromium: install it with "
                     "`sudo apt-get install chromium` (or set CHROMIUM=/path/to/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the browser test needs Playwright: run `make test`, which installs the "
                     "test extras (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 (Playwright raises its own Error types)
            _unavailable(f"Chromium ({path}) did not start: {error}")
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("jupyterlab")).start()
    try:
        yield server
    finally:
        server.stop()
        if server.report:
            REPORT.parent.mkdir(parents=True, exist_ok=True)
            REPORT.write_text("\n".join(server.report) + "\n")


@pytest.fixture(scope="module")
def browser_context(chromium, lab):
    # One context for the module keeps JupyterLab's scripts in the HTTP cache between notebooks.
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(OPEN_TIMEOUT)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context, lab):
    page = browser_context.new_page()
    page.set_default_timeout(OPEN_TIMEOUT)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors
    try:
        yield page
    finally:
        page.close()
        lab.shutdown_kernels()


# --------------------------------------------------------------------------------------------
# What a student does, in JupyterLab's own menus
# --------------------------------------------------------------------------------------------

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status=idle]"
DIRTY_TAB = ".lm-TabBar-tab.jp-mod-current.jp-mod-dirty"
STDERR = "application/vnd.jupyter.stderr"  # errors and stderr streams render with this type


def menu(page, top, item):
    """Click menu `top` in the menu bar, then its entry labelled exactly `item`."""
    page.locator("#jp-menu-panel").get_by_role("menuitem", name=top, exact=True).click()
    label = page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$"))
    page.locator(".lm-Menu .lm-Menu-item").filter(has=label).click()


def open_notebook(page, lab, relpath):
    page.goto(f"{lab.url}/lab/tree/{relpath}?reset&token={lab.token}")
    page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=OPEN_TIMEOUT)
    page.wait_for_selector(IDLE, timeout=OPEN_TIMEOUT)
    # Wait until the status bar names the live kernel, then give the notebook the whole width.
    page.wait_for_function(
        "() => /\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText || '')",
        timeout=OPEN_TIMEOUT)
    if page.locator("#jp-left-stack:not(.lm-mod-hidden)").count():
        page.keyboard.press("Control+b")  # View > Show Left Sidebar off
    page.locator(f"{PANEL} .jp-Notebook").click(position={"x": 5, "y": 5})


# The state of every code cell: its prompt, whether it has code, and its outputs. Outputs nested
# in a widget (an interact's figure) belong to that widget, not to the cell's list.
CELLS_JS = r"""
(panel) => Array.from(panel.querySelectorAll('.jp-Cell.jp-CodeCell')).map((cell, index) => {
  const prompt = (cell.querySelector('.jp-InputPrompt')?.innerText || '').trim();
  const source = cell.querySelector('.jp-InputArea-editor .cm-content')?.innerText || '';
  const outputs = Array.from(cell.querySelectorAll('.jp-OutputArea-output'))
    .filter(o => !o.closest('.jupyter-widgets'))
    .map(o => ({
      mime: o.getAttribute('data-mime-type'),
      text: (o.innerText || '').slice(-600),
      widget: !!o.querySelector('.jupyter-widgets'),
      sliders: o.querySelectorAll('.widget-slider .noUi-handle').length,
      images: Array.from(o.querySelectorAll('img'))
        .filter(img => !img.closest('.jupyter-widgets'))
        .map(img => [img.naturalWidth, img.naturalHeight]),
      widget_images: Array.from(o.querySelectorAll('.jupyter-widgets img'))
        .map(img => [img.naturalWidth, img.naturalHeight]),
    }));
  return {index, prompt, empty: source.trim() === '', first: source.trim().split('\n')[0],
          outputs};
})
"""

# `first` is a code cell that had not run before the run was asked for: the run has started once
# its prompt changed, and is over when no cell is queued or running ([*]) and the kernel is idle.
DONE_JS = """
([panel, first, started]) => {
  const prompts = Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
    .map(p => p.innerText.trim());
  if (!started) return prompts[first] !== '[ ]:';
  const idle = panel.querySelector('.jp-Notebook-ExecutionIndicator')
    ?.getAttribute('data-status') === 'idle';
  return idle && !prompts.some(p => p.includes('*'));
}
"""

CLEARED_JS = """
(panel) => !panel.querySelector('.jp-OutputArea-output') &&
  Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
    .every(p => ['[ ]:', ''].includes(p.innerText.trim()))
"""

IMAGES_DECODED_JS = """
(panel) => Array.from(panel.querySelectorAll('.jp-OutputArea-output img'))
  .every(img => img.complete)
"""


def cells(page):
    return page.locator(PANEL).evaluate(CELLS_JS)


def wait_until_run(page, first):
    """Wait until the run just asked for has started (code cell `first`, which had not run,
    changed its prompt), then until no cell is queued or running and the kernel is idle."""
    panel = page.locator(PANEL).element_handle()
    page.wait_for_function(DONE_JS, arg=[panel, first, False], timeout=OPEN_TIMEOUT)
    page.wait_for_function(DONE_JS, arg=[panel, first, True], timeout=RUN_TIMEOUT, polling=250)
    page.wait_for_function(IMAGES_DECODED_JS, arg=panel, timeout=WIDGET_TIMEOUT)


def not_run(state):
    return [c for c in state if not c["empty"] and not re.fullmatch(r"\[\d+\]:", c["prompt"])]


def run_all(page, *, continue_after_errors):
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(CLEARED_JS, arg=page.locator(PANEL).element_handle(),
                           timeout=WIDGET_TIMEOUT)
    first = not_run(cells(page))[0]["index"]
    menu(page, "Run", "Run All Cells")
    wait_until_run(page, first)
    if not continue_after_errors:
        return
    # Run All stopped at the first error: go on from the next cell that did not run, as a
    # student who has not written that part yet would.
    for _ in range(len(cells(page)) + 1):
        pending = not_run(cells(page))
        if not pending:
            return
        cell = page.locator(f"{PANEL} .jp-CodeCell").nth(pending[0]["index"])
        cell.locator(".jp-InputPrompt").click()
        # JupyterLab disables "and All Below" on the notebook's last cell.
        last = cell.evaluate("c => !c.nextElementSibling?.classList.contains('jp-Cell')")
        menu(page, "Run", "Run Selected Cell and Do not Advance" if last
             else "Run Selected Cell and All Below")
        wait_until_run(page, pending[0]["index"])


def save(page, path):
    """File > Save Notebook, and wait until the file on disk is the new one."""
    before = path.stat().st_mtime_ns
    menu(page, "File", "Save Notebook")
    deadline = time.monotonic() + WIDGET_TIMEOUT / 1000
    while path.stat().st_mtime_ns == before or page.locator(DIRTY_TAB).count():
        if time.monotonic() > deadline:
            raise AssertionError(f"JupyterLab did not save {path.name}")
        page.wait_for_timeout(100)


def code_cells(path):
    nb = json.loads(Path(path).read_text())
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def saved_outputs(path):
    """Per code cell, the outputs JupyterLab saved."""
    return [cell.get("outputs", []) for cell in code_cells(path)]


def bound_names(source):
    """Names a cell's code binds (assignments, loops, imports, def, class), in any scope."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def unwritten_names(exercise_cells, relpath):
    """Names that the exercise's unwritten answers would have defined: those the solution binds
    in the cells that raised NotImplementedError here (cells are matched by id, which
    `rnnlib.assign` keeps). A later NameError for one of them is a consequence of the
    placeholder, not a bug of the notebook."""
    solution = ROOT / "solutions" / Path(relpath).name
    if not solution.exists():
        return set()
    sources = {cell.get("id"): "".join(cell["source"]) for cell in code_cells(solution)}
    names = set()
    for cell in exercise_cells:
        if any(out.get("ename") == "NotImplementedError" for out in cell.get("outputs", [])):
            names |= bound_names(sources.get(cell.get("id"), ""))
    return names


def count_images(outputs):
    return sum(1 for out in outputs if "image/png" in out.get("data", {}))


TAG_WIDGETS_JS = r"""
(panel) => Array.from(panel.querySelectorAll('.jp-OutputArea-output'))
  .filter(o => !o.closest('.jupyter-widgets') && o.querySelector('.jupyter-widgets'))
  .map((o, i) => {
    o.setAttribute('data-browser-test-widget', String(i));
    const source = o.closest('.jp-CodeCell')
      ?.querySelector('.jp-InputArea-editor .cm-content')?.innerText || '';
    return [o.querySelectorAll('.widget-slider .noUi-handle').length,
            source.trim().split('\n')[0].slice(0, 60)];
  })
"""


def widget_root(page, index):
    return page.locator(f'{PANEL} [data-browser-test-widget="{index}"]')


def widget_snapshot(page, output_index):
    """What one widget output shows, apart from its controls: figures and printed text."""
    return widget_root(page, output_index).evaluate(
        """(root) => {
            const shown = Array.from(root.querySelectorAll('.widget-output, .widget-html-content'));
            return {
              images: Array.from(root.querySelectorAll('img')).map(img => img.src),
              decoded: Array.from(root.querySelectorAll('img')).every(img =>
                img.complete && img.naturalWidth > 0),
              text: shown.map(e => e.innerText).join('\\n'),
            };
        }""")


def move_first_slider(page, output_index):
    """Press ArrowRight on the first slider of a widget until what the widget shows changes.
    Returns (slider label, before, after)."""
    root = widget_root(page, output_index)
    handle = root.locator(".widget-slider .noUi-handle").first
    label = root.locator(".widget-slider").first.locator(".widget-label").inner_text()
    before = widget_snapshot(page, output_index)
    handle.scroll_into_view_if_needed()
    deadline = time.monotonic() + WIDGET_TIMEOUT / 1000
    for attempt in range(3):  # a single step can leave a rounded figure unchanged
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        handle.focus()
        page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
        wait_until = min(deadline, time.monotonic() + WIDGET_TIMEOUT / 1000 / (3 - attempt))
        while time.monotonic() < wait_until:
            page.wait_for_timeout(250)
            after = widget_snapshot(page, output_index)
            changed = (after["images"] != before["images"] or after["text"] != before["text"])
            if changed and after["decoded"] and (after["images"] or not before["images"]):
                # Linked controls can redraw more than once: let the kernel finish.
                page.wait_for_selector(IDLE, timeout=WIDGET_TIMEOUT)
                page.wait_for_timeout(300)
                page.wait_for_selector(IDLE, timeout=WIDGET_TIMEOUT)
                return label, before, widget_snapshot(page, output_index)
    return label, before, widget_snapshot(page, output_index)


def screenshot(page, relpath):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = relpath.replace("/", "-").removesuffix(".ipynb").removeprefix("notebooks-")
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def scroll_to_show(page, is_exercise):
    """Scroll to what the screenshot should show: in an exercise the first placeholder's message
    (what a student meets first), elsewhere the first widget, else the first figure."""
    selectors = [".jp-OutputArea-output .jupyter-widgets", ".jp-OutputArea-output img"]
    if is_exercise:
        selectors.insert(0, f".jp-OutputArea-output[data-mime-type='{STDERR}']")
    for selector in selectors:
        target = page.locator(f"{PANEL} {selector}").first
        if target.count():
            target.evaluate("e => e.closest('.jp-Cell').scrollIntoView({block: 'start'})")
            page.wait_for_timeout(300)
            return


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab(relpath, lab, page):
    is_exercise = relpath.startswith("exercises/")
    try:
        open_notebook(page, lab, relpath)
        start = time.monotonic()
        run_all(page, continue_after_errors=is_exercise)
        seconds = time.monotonic() - start
        save(page, lab.root / relpath)
        problems = check_page(page, lab, relpath, is_exercise)
        problems += check_widgets_respond(page, relpath)
        peak = lab.peak_kernel_memory_mb()
        if peak is not None and peak > KERNEL_MEMORY_BUDGET_MB:
            problems.append(f"its kernel peaked at {peak:.0f} MB, over the "
                            f"{KERNEL_MEMORY_BUDGET_MB} MB budget (Binder gives 2 GB in all)")
        scroll_to_show(page, is_exercise)
    finally:
        screenshot(page, relpath)
    lab.report.append(f"{relpath}: ran in {seconds:.1f} s, kernel peak "
                      f"{'?' if peak is None else round(peak)} MB, "
                      f"{'FAILED' if problems else 'passed'}")
    assert not problems, f"{relpath} in JupyterLab:\n  " + "\n  ".join(problems)


def name_of(name_error):
    match = re.search(r"name '(\w+)' is not defined", name_error)
    return match.group(1) if match else None


def describe(cell):
    """How a failure names a cell: its number among the code cells and its first line."""
    return f"code cell {cell['index'] + 1} `{cell['first'][:60]}`"


def check_page(page, lab, relpath, is_exercise):
    """Compare what the page shows with the outputs JupyterLab saved (and, for lectures and
    solutions, with the committed ones). Returns a list of problems."""
    problems = []
    state = cells(page)
    saved_cells = code_cells(lab.root / relpath)
    saved = [cell.get("outputs", []) for cell in saved_cells]
    committed = saved_outputs(ROOT / relpath)
    unwritten = unwritten_names(saved_cells, relpath) if is_exercise else set()
    if len(state) != len(saved):
        return [f"the page shows {len(state)} code cells, the saved notebook has {len(saved)}"]

    for cell in not_run(state):
        problems.append(f"{describe(cell)} did not run (prompt {cell['prompt']!r})")

    placeholders = 0
    for cell, outputs in zip(state, saved):
        where = describe(cell)
        for out in outputs:
            if out["output_type"] == "error":
                if is_exercise and out["ename"] == "NotImplementedError":
                    placeholders += 1
                elif out["ename"] == "NameError" and name_of(out["evalue"]) in unwritten:
                    pass  # the answer that defines it is still a placeholder
                else:
                    problems.append(f"{where}: {out['ename']}: {out['evalue']}")
            elif out["output_type"] == "stream" and out["name"] == "stderr":
                problems.append(f"{where} wrote to stderr: {''.join(out['text'])[:300]!r}")
        # Figures: every image output is an <img> that decoded to a non-zero size.
        shown = [size for o in cell["outputs"] for size in o["images"]]
        expected = count_images(outputs)
        if len(shown) != expected:
            problems.append(f"{where}: {expected} figures in its outputs, {len(shown)} on the page")
        for width, height in shown:
            if not (width > 0 and height > 0):
                problems.append(f"{where}: a figure did not render ({width}x{height} px)")
        # Widgets: live controls, never their text repr.
        widgets = sum(1 for o in outputs
                      if "application/vnd.jupyter.widget-view+json" in o.get("data", {}))
        live = sum(1 for o in cell["outputs"] if o["widget"])
        if live != widgets:
            problems.append(f"{where}: {widgets} widget outputs, {live} rendered as controls")
        for o in cell["outputs"]:
            if not o["widget"] and WIDGET_AS_TEXT.match(o["text"]):
                problems.append(f"{where}: a widget shows as text: {o['text'][:80]!r}")
            if "Error displaying widget" in o["text"]:
                problems.append(f"{where}: {o['text'][:200]!r}")
            for width, height in o["widget_images"]:
                if not (width > 0 and height > 0):
                    problems.append(f"{where}: a widget's figure did not render")

    if is_exercise:
        if placeholders == 0:
            problems.append("no NotImplementedError placeholder ran: is this the exercise?")
    else:
        for cell, outputs, before in zip(state, saved, committed):
            if count_images(outputs) != count_images(before):
                problems.append(f"{describe(cell)}: {count_images(outputs)} figures in the "
                                f"browser, {count_images(before)} in the committed notebook")
    if page.page_errors:
        problems.append(f"JavaScript errors on the page: {page.page_errors[:3]}")
    return problems


def check_widgets_respond(page, relpath):
    """Move a slider of every widget that has one; what the widget drives must change."""
    problems = []
    widgets = page.locator(PANEL).evaluate(TAG_WIDGETS_JS)
    for index, (sliders, first_line) in enumerate(widgets):
        if not sliders:
            continue
        where = f"the widget of `{first_line}`"
        label, before, after = move_first_slider(page, index)
        if not before["images"] and not before["text"]:
            problems.append(f"{where} shows neither a figure nor text next to its controls")
        elif after["images"] == before["images"] and after["text"] == before["text"]:
            problems.append(f"{where}: moving slider {label!r} changed nothing it shows")
        elif before["images"] and not after["images"]:
            problems.append(f"{where}: its figure disappeared after moving slider {label!r}")
        elif not after["decoded"]:
            problems.append(f"{where}: its figure did not render after moving slider {label!r}")
    return problems
