"""Run every notebook in JupyterLab in a real browser (Chromium) and check what a learner sees.

    python tools/browser_test.py [notebooks/*.ipynb]      (make test-browser)

It copies the repository's notebooks/ and data/ to a scratch folder (so nothing the browser
does is saved into the repository), starts JupyterLab there on a free local port with a
token and no browser of its own, and drives Debian's Chromium with Playwright (Playwright's
own browser download is not used). For every notebook it opens it, runs "Restart Kernel and
Run All Cells", waits until the kernel is idle with every cell run, and checks:

- no error output (an error, stderr, or text containing "Traceback");
- every widget output renders as a widget (sliders, buttons), not as text, with its
  descriptions shown whole;
- in every explorer, moving the first slider (and pressing its button, if it has one)
  changes the figure (the PNG bytes of the image before and after);
- solution cells (tag "solution") are collapsed: source and outputs hidden when the notebook
  opens, the source still after the run (running a cell expands its outputs in JupyterLab);
- every relative link in the markdown (to a notebook or file) resolves on the server;
- before the run, an explorer's stored output shows its static picture, not text.

With jupyterlab-rise installed it also opens one notebook as RISE slides. The kernel of
each notebook is shut down when its checks end; the server and the browser at the end,
also on failure. A failing notebook leaves a screenshot under build/browser/. Exit status
0 when every check passed; the last line reads "N passed, M failed".
"""

import argparse
import base64
import contextlib
import importlib.util
import json
import os
import pathlib
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "browser"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
RUN_ALL_TIMEOUT_S = 240      # one notebook, under load; each runs in < 60 s on an idle machine
REDRAW_TIMEOUT_S = 120       # an explorer's figure after a slider moves (a training run for 13)
SERVER_START_TIMEOUT_S = 120
# A markdown link to a file: [text](path.ext) or (path.ext#anchor); not "[a](i)" inside maths.
LINK = re.compile(r"\]\(([\w./%-]+\.\w+(?:#[^)\s]*)?)\)")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# JupyterLab's user settings for the test: no autosave, every cell in the DOM (no
# windowing), no news or update pop-ups.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


class CheckFailed(AssertionError):
    """One check of one notebook failed; the message says which and where."""


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_chromium(explicit=None):
    """Return the path of a Chromium executable, or exit with how to install one."""
    for candidate in [explicit] if explicit else CHROMIUM_NAMES:
        path = shutil.which(candidate) if candidate else None
        if path:
            return path
    sys.exit("browser_test: no Chromium found; install Debian's: apt-get install -y chromium")


def scratch_copy(notebooks):
    """Copy the notebooks' folder and data/ into a fresh folder; return (folder, the copies)."""
    sources = {path.resolve().parent for path in notebooks}
    if len(sources) != 1:
        sys.exit(f"browser_test: the notebooks must share one folder, got {sorted(sources)}")
    folder = pathlib.Path(tempfile.mkdtemp(prefix="course-browser-"))
    shutil.copytree(sources.pop(), folder / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if (ROOT / "data").is_dir():
        shutil.copytree(ROOT / "data", folder / "data")
    return folder, [folder / "notebooks" / path.name for path in notebooks]


@contextlib.contextmanager
def jupyter_lab(root, log_path):
    """Run JupyterLab on `root` (free port, random token, no browser); yield (base URL, token)."""
    port, token = free_port(), secrets.token_hex(16)
    settings = root / ".lab-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".lab-workspaces"))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
               "--ip=127.0.0.1", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(log_path, "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {log_path}")
                time.sleep(0.5)
        yield base, token
    finally:
        shut_down_kernels(base, token)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def api(base, token, path, method="GET"):
    """Call the Jupyter server's REST API; return the decoded JSON (None for an empty body)."""
    request = urllib.request.Request(f"{base}/api/{path}", method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


def shut_down_kernels(base, token):
    """Shut down every kernel the server runs (each notebook's, and any left by a failure)."""
    with contextlib.suppress(OSError):
        for kernel in api(base, token, "kernels"):
            with contextlib.suppress(OSError):
                api(base, token, f"kernels/{kernel['id']}", method="DELETE")


def notebook_links(path):
    """Return the relative link targets (without #anchors) in a notebook's markdown cells."""
    notebook = json.loads(path.read_text())
    targets = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for target in LINK.findall("".join(cell["source"])):
                if "://" not in target and not target.startswith(("#", "mailto:")):
                    targets.append(target.split("#", 1)[0])
    return sorted(set(t for t in targets if t))


# --- JavaScript run in the page (JupyterLab exposes its app as window.jupyterapp) ---------------

JS_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  return {
    path: panel.context.path,
    status: kernel ? kernel.status : 'none',
    running: cells.filter(c => c.promptNode.textContent.includes('*')).length,
    unrun: cells.filter(c => c.model.executionCount === null).length,
  };
}"""

JS_CELLS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const summary = o => ({output_type: o.output_type, name: o.name, ename: o.ename,
                         evalue: o.evalue, mimes: Object.keys(o.data || {}),
                         text: String(o.text || '').slice(0, 300)});
  return JSON.stringify(panel.content.widgets.map((cell, index) => ({
    index,
    type: cell.model.type,
    tags: cell.model.getMetadata('tags') || [],
    source: cell.model.sharedModel.getSource().slice(0, 80),
    inputHidden: cell.inputHidden,
    outputHidden: cell.model.type === 'code' ? cell.outputHidden : false,
    outputs: cell.model.type === 'code' ? cell.model.outputs.toJSON().map(summary) : [],
    text: cell.model.type === 'code' && cell.outputArea ? cell.outputArea.node.innerText : '',
  })));
}"""


def cells_of(page):
    """Each cell of the open notebook: type, tags, collapsed state, outputs (summarised)."""
    return json.loads(page.evaluate(JS_CELLS))

JS_OPEN = """async path => {
  await window.jupyterapp.commands.execute('docmanager:open', {path});
}"""

JS_CLOSE = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.shutdown();
  panel.context.model.dirty = false;
  panel.dispose();
}"""


def open_notebook(page, relative_path):
    """Open a notebook in the running JupyterLab and wait for its kernel to be ready."""
    page.evaluate(JS_OPEN,
                  relative_path)
    page.wait_for_function(
        """p => { const w = window.jupyterapp.shell.currentWidget;
                  return w && w.context && w.context.path === p && w.sessionContext
                         && w.sessionContext.session && w.sessionContext.session.kernel
                         && w.sessionContext.session.kernel.status === 'idle'; }""",
        arg=relative_path, timeout=120_000)


def restart_and_run_all(page):
    """Run "Restart Kernel and Run All Cells", accept its dialog, wait for every cell to run."""
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
    page.locator(".jp-Dialog .jp-mod-accept").click(timeout=30_000)
    deadline = time.monotonic() + RUN_ALL_TIMEOUT_S
    time.sleep(2)
    while time.monotonic() < deadline:
        state = page.evaluate(JS_STATE)
        if state and state["status"] == "idle" and state["running"] == 0:
            return state
        time.sleep(1)
    raise CheckFailed(f"cells still running after {RUN_ALL_TIMEOUT_S} s: {page.evaluate(JS_STATE)}")


def check_no_errors(cells):
    """No error output, no stderr, no 'Traceback' in any output; every code cell ran."""
    for cell in cells:
        for output in cell["outputs"]:
            if output.get("output_type") == "error":
                raise CheckFailed(f"cell {cell['index']} ({cell['source']!r}): "
                                  f"{output.get('ename')}: {output.get('evalue')}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                raise CheckFailed(f"cell {cell['index']} ({cell['source']!r}) wrote to stderr: "
                                  f"{output['text']!r}")
        if "Traceback" in cell["text"]:
            raise CheckFailed(f"cell {cell['index']} ({cell['source']!r}) shows a Traceback")


def check_solutions_collapsed(cells, outputs=True):
    """Cells tagged 'solution' show neither their source nor (with `outputs`) their outputs.

    JupyterLab expands a cell's outputs when it runs the cell, so after "Run All" only the
    source is still collapsed; the outputs are checked on the freshly opened notebook.
    """
    for cell in cells:
        if "solution" in cell["tags"]:
            if not cell["inputHidden"]:
                raise CheckFailed(f"solution cell {cell['index']} shows its source")
            if outputs and cell["outputs"] and not cell["outputHidden"]:
                raise CheckFailed(f"solution cell {cell['index']} shows its outputs")


def widget_cells(cells):
    """Indices of the code cells whose outputs include a widget."""
    return [c["index"] for c in cells
            if any(WIDGET_VIEW in o["mimes"] for o in c["outputs"])]


def check_widgets_render(page, indices):
    """Each widget output renders as a widget whose labels are shown whole, not as text."""
    for index in indices:
        output = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-Cell-outputArea")
        widget = output.locator(".jupyter-widgets").first
        try:
            widget.wait_for(state="visible", timeout=30_000)
        except Exception as error:
            raise CheckFailed(f"cell {index}: no widget rendered: {output.inner_text()[:200]!r}"
                              ) from error
        text = output.inner_text()
        for sign in ("interactive(children", "Error displaying widget", "Loading widget"):
            if sign in text:
                raise CheckFailed(f"cell {index} shows {sign!r} instead of the widget")
        cut = output.locator(".widget-label").evaluate_all(
            "labels => labels.filter(l => l.scrollWidth > l.clientWidth + 1)"
            ".map(l => l.textContent)")
        if cut:
            raise CheckFailed(f"cell {index}: descriptions cut off: {cut}")


def explorer_image(output):
    """The src (a data: URL, so the PNG's bytes) of the figure inside an explorer's output."""
    image = output.locator(".widget-output img")
    if image.count() == 0:
        return None
    return image.first.get_attribute("src")


def check_explorers_redraw(page, indices):
    """In each explorer, moving the first slider (then 'train', if any) changes the figure."""
    for index in indices:
        output = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-Cell-outputArea")
        if output.locator(".widget-interact").count() == 0:
            continue  # a lone widget (00's slider), not an explorer
        before = explorer_image(output)
        handle = output.locator(".widget-slider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
        button = output.locator(".widget-interact > .widget-button")
        if button.count():
            button.first.click()
        deadline = time.monotonic() + REDRAW_TIMEOUT_S
        after = before
        while after == before and time.monotonic() < deadline:
            time.sleep(0.5)
            after = explorer_image(output)
        output.scroll_into_view_if_needed()
        if after is None or after == before:
            raise CheckFailed(f"explorer in cell {index}: the figure did not change "
                              f"after the slider moved")
        png = base64.b64decode(after.split(",", 1)[1])
        if not png.startswith(b"\x89PNG"):
            raise CheckFailed(f"explorer in cell {index}: the redrawn figure is not a PNG")


def check_stored_pictures(page, cells):
    """Before any cell runs: a stored explorer output (widget + PNG) shows the PNG."""
    for cell in cells:
        for output in cell["outputs"]:
            if WIDGET_VIEW in output["mimes"] and "explorer" in cell["source"]:
                if "image/png" not in output["mimes"]:
                    raise CheckFailed(f"cell {cell['index']}: the stored explorer output has no "
                                      "static picture (re-execute the notebook: make notebooks)")
                area = page.locator(".jp-Notebook .jp-Cell").nth(cell["index"])
                if area.locator(".jp-Cell-outputArea img").count() == 0:
                    raise CheckFailed(f"cell {cell['index']}: the stored picture is not shown "
                                      "before the notebook runs")


def check_links(base, token, notebook_path, served_root):
    """Every relative link in the notebook's markdown names a file the server serves."""
    folder = notebook_path.parent.relative_to(served_root)
    for target in notebook_links(notebook_path):
        relative = os.path.normpath(folder / urllib.request.url2pathname(target))
        try:
            api(base, token, f"contents/{urllib.request.pathname2url(relative)}?content=0")
        except OSError as error:
            raise CheckFailed(f"link {target!r} does not resolve ({error})") from error


def check_rise(page):
    """Open the current notebook as RISE slides (jupyterlab-rise's preview) and see a slide."""
    commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
    if "RISE:preview" not in commands:
        raise CheckFailed("jupyterlab-rise is installed but its RISE:preview command is missing")
    page.evaluate("async () => { await window.jupyterapp.commands.execute('RISE:preview'); }")
    try:
        slides = page.frame_locator("iframe").last.locator(".reveal .slides section")
        slides.first.wait_for(state="attached", timeout=60_000)
    except Exception as error:
        raise CheckFailed("RISE slides did not open") from error
    finally:  # close the slides' tab; the notebook's own panel is closed by the caller
        page.evaluate("""() => {
          for (const w of Array.from(window.jupyterapp.shell.widgets('main')))
            if (!w.sessionContext) w.dispose();
        }""")


def test_notebook(page, base, token, path, served_root, rise, stored_pictures=True):
    """Run every check on one notebook; raise CheckFailed on the first failure."""
    relative = path.relative_to(served_root).as_posix()
    open_notebook(page, relative)
    stored = cells_of(page)
    check_solutions_collapsed(stored)
    if stored_pictures:
        check_stored_pictures(page, stored)
    restart_and_run_all(page)
    cells = cells_of(page)
    check_no_errors(cells)
    indices = widget_cells(cells)
    check_widgets_render(page, indices)
    check_explorers_redraw(page, indices)
    check_solutions_collapsed(cells_of(page), outputs=False)
    check_links(base, token, path, served_root)
    if rise:
        check_rise(page)
        page.evaluate(JS_OPEN,
                      relative)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        default=sorted((ROOT / "notebooks").glob("*.ipynb")))
    parser.add_argument("--chromium", help="the browser's executable (default: found on PATH)")
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    parser.add_argument("--no-stored-pictures", action="store_true",
                        help="skip the check of the stored explorer pictures (for notebooks "
                             "executed before explorers stored one)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    chromium = find_chromium(args.chromium)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    served_root, copies = scratch_copy(args.notebooks)
    rise_notebook = copies[0] if importlib.util.find_spec("jupyterlab_rise") else None
    passed, failed = [], []
    started = time.monotonic()
    try:
        with jupyter_lab(served_root, OUT / "jupyterlab.log") as (base, token), \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 headless=not args.headed)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{base}/lab?token={token}")
                page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                                       timeout=120_000)
                page.wait_for_selector(".jp-LabShell", timeout=120_000)
                for path in copies:
                    t0 = time.monotonic()
                    try:
                        test_notebook(page, base, token, path, served_root, path == rise_notebook,
                                      stored_pictures=not args.no_stored_pictures)
                    except Exception as error:  # a CheckFailed, or the page did not respond
                        failed.append(path.name)
                        shot = OUT / f"{path.stem}.png"
                        with contextlib.suppress(Exception):
                            page.screenshot(path=str(shot), full_page=True)
                        print(f"FAILED {path.name}: {type(error).__name__}: {error}"
                              f"  (screenshot {shot.relative_to(ROOT)})", flush=True)
                    else:
                        passed.append(path.name)
                        print(f"passed {path.name} in {time.monotonic() - t0:.0f} s", flush=True)
                    finally:
                        with contextlib.suppress(Exception):
                            page.evaluate(JS_CLOSE)
                        shut_down_kernels(base, token)
            finally:
                browser.close()
    finally:
        shutil.rmtree(served_root, ignore_errors=True)
    print(f"browser test: {len(copies)} notebooks in {time.monotonic() - started:.0f} s "
          f"(budget 600 s on an idle 2-core machine)")
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
