"""Export every notebook as reveal.js slides that work offline: `make slides`.

    python tools/slides.py                       # every notebook -> build/slides/*.slides.html
    python tools/slides.py notebooks/14_*.ipynb  # some of them
    python tools/slides.py --cdn                 # no npm here: load the scripts from CDNs

The slides follow each cell's `slideshow` metadata (tools/teaching.py writes it: a slide per
section, hidden solutions and autograder cells skipped). nbconvert's HTML loads reveal.js,
MathJax, RequireJS, jQuery and the widget renderer from CDNs; here they come from npm, once, into
build/slides/vendor/ (about 60 MB, mostly MathJax's fonts), and the slides point there, so
opening build/slides/14_softmax_stability.slides.html in a browser needs no network.
"""

import argparse
import pathlib
import shutil
import subprocess
import sys
import tarfile

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
SLIDES_DIR = ROOT / "build" / "slides"
VENDOR = SLIDES_DIR / "vendor"

# npm packages (exact versions) and the file of each that the slides load, relative to vendor/.
PACKAGES = ["reveal.js@4.0.2", "mathjax@2.7.7", "requirejs@2.3.7", "jquery@3.7.1"]
WIDGETS_PACKAGE = "@jupyter-widgets/html-manager@1.0.15"  # ipywidgets 8's renderer
LOCAL = {
    "reveal_url_prefix": "vendor/node_modules/reveal.js",
    "mathjax_url": "vendor/node_modules/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "require_js_url": "vendor/node_modules/requirejs/require.js",
    "jquery_url": "vendor/node_modules/jquery/dist/jquery.min.js",
    "widget_renderer_url": "vendor/html-manager/dist/embed-amd.js",
    "mermaid_js_url": "vendor/no-mermaid.mjs",
}
# The course has no Mermaid diagram; nbconvert imports Mermaid on every page all the same.
NO_MERMAID = "export default { initialize() {} };\n"


def vendor_ready():
    """True when every local script the slides load is in build/slides/vendor/."""
    return all((SLIDES_DIR / url.split("?")[0]).exists() for url in LOCAL.values()) and \
        (SLIDES_DIR / LOCAL["reveal_url_prefix"] / "dist" / "reveal.js").exists()


def fetch_vendor():
    """Install reveal.js, MathJax, RequireJS, jQuery and the widget renderer with npm."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: install Node.js (e.g. `apt-get install npm`), "
                           "or run `python tools/slides.py --cdn` for slides that load their "
                           "scripts from CDNs")
    VENDOR.mkdir(parents=True, exist_ok=True)
    quiet = ["--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run([npm, "install", "--prefix", str(VENDOR), "--no-save", *quiet, *PACKAGES],
                   check=True)
    # The widget renderer's dist/ is one bundle: its tarball alone, without its dependencies.
    packed = subprocess.run([npm, "pack", WIDGETS_PACKAGE, "--pack-destination", str(VENDOR),
                             *quiet], check=True, capture_output=True, text=True)
    tarball = VENDOR / packed.stdout.strip().splitlines()[-1]
    target = VENDOR / "html-manager"
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("package/dist/")]
        for member in members:
            member.name = member.name.removeprefix("package/")
        archive.extractall(target, members=members, filter="data")
    tarball.unlink()
    (VENDOR / "no-mermaid.mjs").write_text(NO_MERMAID)


def exporter(offline=True):
    """nbconvert's SlidesExporter, pointed at build/slides/vendor/ when `offline`."""
    from nbconvert import SlidesExporter

    slides = SlidesExporter()
    slides.reveal_scroll = True  # long slides scroll instead of running off the screen
    slides.reveal_transition = "none"
    if offline:
        for name, url in LOCAL.items():
            setattr(slides, name, url)
    return slides


def export(paths, offline=True, log=print):
    """Write build/slides/<name>.slides.html for each notebook; return the paths written."""
    SLIDES_DIR.mkdir(parents=True, exist_ok=True)
    slides = exporter(offline)
    written = []
    for path in sorted(pathlib.Path(p) for p in paths):
        notebook = nbformat.read(path, as_version=4)
        body, _ = slides.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
        target = SLIDES_DIR / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        log(f"{path.name:<36} {body.count('<section')} slides and subslides")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="notebooks (default: every notebook in notebooks/)")
    parser.add_argument("--cdn", action="store_true",
                        help="load reveal.js, MathJax and the rest from CDNs (needs a network)")
    args = parser.parse_args(argv)
    offline = not args.cdn
    if offline and not vendor_ready():
        print("Fetching reveal.js, MathJax, RequireJS, jQuery and the widget renderer with npm "
              f"into {VENDOR.relative_to(ROOT)}/ (once, about 60 MB)...")
        try:
            fetch_vendor()
        except (RuntimeError, subprocess.CalledProcessError) as error:
            print(f"make slides: {error}", file=sys.stderr)
            return 1
    written = export(args.notebooks or sorted(NOTEBOOK_DIR.glob("*.ipynb")), offline)
    where = "offline, scripts in build/slides/vendor/" if offline else "scripts from CDNs"
    print(f"{len(written)} slide deck(s) in {SLIDES_DIR.relative_to(ROOT)}/ ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
