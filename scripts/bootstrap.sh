#!/bin/sh
# Create the virtual environment and install Guildhall with everything its tests use.
set -eu
venv="${1:-.venv}"
python="${PYTHON:-python3}"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
