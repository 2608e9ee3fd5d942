# The course's commands. `make lab` to learn, `make test` to check everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The lock file pins every package (transitive ones included) at the versions that made the stored
# outputs, resolved for one Python on every platform. It covers these extras of pyproject.toml:
# adding an extra to the lock is this one edit, then `make lock`.
LOCK        := requirements.lock
LOCK_EXTRAS := lab test teach browser
LOCK_PYTHON := 3.11
UV_VERSION  := 0.13.9
# `make lock` moves every pin to the newest release; `make lock LOCK_UPGRADE=` keeps the existing
# pins and resolves only what pyproject.toml changed (a dependency added or a range moved).
LOCK_UPGRADE ?= --upgrade

# uv (used only to write lock files) lives in its own small venv: a broken lock can be rewritten.
TOOLS := .venv-tools
UV    := $(TOOLS)/bin/uv

# The lower-bounds environment of `make test-min`.
MIN_VENV  := .venv-min
MIN_BIN   := $(MIN_VENV)/bin
MIN_STAMP := $(MIN_VENV)/.installed
LOWER_BOUNDS := build/lower-bounds.txt

comma := ,
empty :=
space := $(empty) $(empty)
EXTRAS := $(subst $(space),$(comma),$(strip $(LOCK_EXTRAS)))
LOCK_TUPLE := $(subst .,$(comma) ,$(LOCK_PYTHON))
# The interpreter a recipe will use: the venv's once it exists, $(PYTHON) before.
python_of = $(if $(wildcard $(1)/bin/python),$(1)/bin/python,$(PYTHON))
# Stop at once, with the supported versions and the PYTHON=... hint, outside requires-python.
check_python = @command -v $(1) >/dev/null 2>&1 || { echo "make: no Python called '$(1)' here;\
 point make at one with PYTHON=, for example: make lab PYTHON=python3.12" >&2; exit 1; };\
 $(1) tools/check_python.py --name $(1)

.PHONY: lab test unit notebooks nav student slides bench bench-lib lock test-min clean

# `make lab` serves the repository root (README, data/ and course_lib/ in the file browser) and
# opens notebook 00. PORT=8899 chooses the port (default: 8888, or the next free one). Jupyter
# refuses to run as root without --allow-root; Docker and many cloud machines run as root.
PORT ?=
LAB_START := /lab/tree/notebooks/00_start_here.ipynb
LAB_FLAGS := --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=$(LAB_START) \
    $(if $(PORT),--port=$(PORT)) $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

.PHONY: test-browser

## lab: install into .venv if needed and open the course in JupyterLab (PORT= to choose the port)
lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS)

## test: unit tests of course_lib, then every notebook under strict nbval
test: $(STAMP)
	$(BIN)/python -m pytest tests --nbval --nbval-current-env notebooks

## unit: only the unit tests (quick)
unit: $(STAMP)
	$(BIN)/python -m pytest tests

## test-browser: every notebook run in JupyterLab in Chromium (Debian's), as a learner would
test-browser: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	    command -v google-chrome >/dev/null 2>&1 || { \
	    echo "Installing Debian's chromium for the browser test (apt-get, about 300 MB)"; \
	    $(if $(filter 0,$(shell id -u 2>/dev/null)),,sudo) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive \
	    $(if $(filter 0,$(shell id -u 2>/dev/null)),,sudo) apt-get install -y -qq chromium; }
	$(BIN)/python tools/browser_test.py $(NB)

## notebooks: re-execute notebooks in place (NB=notebooks/03_tanh.ipynb for one)
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py $(or $(NB),notebooks/*.ipynb)

## nav: regenerate the navigation lines and the course map, and the nbgrader and slide metadata
nav: $(STAMP)
	$(BIN)/python tools/navigation.py
	$(BIN)/python tools/teaching.py

## student: the student version of every notebook (nbgrader) in build/student/ (NB= for some)
student: $(STAMP)
	$(BIN)/python tools/student.py $(NB)

## slides: every notebook as reveal.js slides in build/slides/, offline (npm fetches the scripts once; NB= for some)
slides: $(STAMP)
	$(BIN)/python tools/slides.py $(NB)

## bench: time and peak memory of every notebook
bench: $(STAMP)
	$(BIN)/python tools/bench.py $(or $(NB),notebooks/*.ipynb)

## bench-lib: time every course_lib activation and derivative against the plain NumPy/SciPy formula
bench-lib: $(STAMP)
	$(BIN)/python tools/bench_lib.py

## lock: requirements.lock at the newest releases (then `make notebooks`, one commit)
lock: $(UV)
	$(UV) pip compile pyproject.toml $(addprefix --extra ,$(LOCK_EXTRAS)) \
	    --python-version $(LOCK_PYTHON) --universal --fork-strategy fewest $(LOCK_UPGRADE) \
	    --custom-compile-command "make lock" --quiet --output-file $(LOCK)

## test-min: in .venv-min, the declared lower bounds: unit tests, then nbval-lax over every notebook
test-min: $(MIN_STAMP)
	$(MIN_BIN)/python -m pytest tests
	$(MIN_BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks

## clean: remove the virtual environments
clean:
	rm -rf $(VENV) $(MIN_VENV) $(TOOLS)

# Install only when the lock, requirements.txt or pyproject.toml changed since the last install.
# On the lock's Python: requirements.txt (the lock, and course_lib editable). On another supported
# Python the lock does not apply: the newest releases within pyproject.toml's ranges.
$(STAMP): requirements.txt $(LOCK) pyproject.toml
	$(call check_python,$(call python_of,$(VENV)))
	@test -x $(BIN)/python || echo "First install: TensorFlow, JupyterLab and the course's other" \
	    "packages go into .venv/ (about 2.8 GB on disk, 1.9 GB of it TensorFlow). It takes 2 to 8" \
	    "minutes, longer on a slow connection; pip prints almost nothing until it ends." \
	    "Later runs skip this step."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@if $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != ($(LOCK_TUPLE)))'; then \
	    echo "$(BIN)/python -m pip install --quiet -r requirements.txt"; \
	    $(BIN)/python -m pip install --quiet -r requirements.txt; \
	else \
	    echo "$(LOCK) is for Python $(LOCK_PYTHON); this is $$($(BIN)/python -V)." \
	         "Installing the newest releases within pyproject.toml's ranges instead:" \
	         "outputs may differ from the stored ones in their last digits" \
	         "(strict nbval is promised on $(LOCK_PYTHON) only)."; \
	    $(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"; \
	fi
	touch $(STAMP)

# The lower bounds, written by uv from pyproject.toml (so they cannot drift from it): each direct
# dependency at the lowest version its range allows, the rest at the newest that fits.
$(MIN_STAMP): pyproject.toml | $(UV)
	$(call check_python,$(call python_of,$(MIN_VENV)))
	test -x $(MIN_BIN)/python || $(PYTHON) -m venv $(MIN_VENV)
	$(MIN_BIN)/python -m pip install --quiet --upgrade pip
	mkdir -p $(dir $(LOWER_BOUNDS))
	$(UV) pip compile pyproject.toml $(addprefix --extra ,$(LOCK_EXTRAS)) \
	    --python $(MIN_BIN)/python --resolution lowest-direct --quiet --output-file $(LOWER_BOUNDS)
	$(MIN_BIN)/python -m pip install --quiet -c $(LOWER_BOUNDS) -e ".[$(EXTRAS)]"
	touch $(MIN_STAMP)

$(UV):
	$(call check_python,$(call python_of,$(TOOLS)))
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)
