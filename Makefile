# Guildhall: `make run` starts the main job on embedded defaults; `make test` runs every check.
# Both create and fill the local virtual environment (.venv) on first use.

PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then echo $$p; break; fi; done 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest system clean

$(STAMP): pyproject.toml scripts/bootstrap.sh
	@test -n "$(PYTHON)" || { echo "Guildhall needs Python 3.11 or newer on PATH" >&2; exit 1; }
	PYTHON=$(PYTHON) sh scripts/bootstrap.sh $(VENV)
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/guildhall demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

system:
	sh scripts/system-deps.sh

pytest: $(STAMP) system
	$(BIN)/pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) var
