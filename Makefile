# The course's commands. `make lab` to learn, `make test` to check everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test unit notebooks nav bench bench-lib clean

## lab: install into .venv if needed and open the course in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

## test: unit tests of course_lib, then every notebook under strict nbval
test: $(STAMP)
	$(BIN)/python -m pytest tests --nbval --nbval-current-env notebooks

## unit: only the unit tests (quick)
unit: $(STAMP)
	$(BIN)/python -m pytest tests

## notebooks: re-execute notebooks in place (NB=notebooks/03_tanh.ipynb for one)
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py $(or $(NB),notebooks/*.ipynb)

## nav: regenerate the navigation lines and the course map
nav: $(STAMP)
	$(BIN)/python tools/navigation.py

## bench: time and peak memory of every notebook
bench: $(STAMP)
	$(BIN)/python tools/bench.py $(or $(NB),notebooks/*.ipynb)

## bench-lib: time every course_lib activation and derivative against the plain NumPy/SciPy formula
bench-lib: $(STAMP)
	$(BIN)/python tools/bench_lib.py

## clean: remove the virtual environment
clean:
	rm -rf $(VENV)

# Install only when requirements.txt or pyproject.toml changed since the last install.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)
