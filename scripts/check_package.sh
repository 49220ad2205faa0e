#!/usr/bin/env bash
# What Linux can check of the Windows package (part of scripts/test.sh):
#  1. PyInstaller builds packaging/commandcenter.spec here too, and the frozen program's
#     selftest passes offscreen with its data folder under a Chinese path. A data file or a
#     hidden import missing from the spec fails here, not on an operator's PC.
#  2. Every requirement, the packaging tools' included, resolves as a Windows wheel for
#     CPython 3.12 (into build/windows-wheels, usable as an offline wheelhouse).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pip install -q -e ".[dev,package]"

echo "== PyInstaller build (Linux, same spec as Windows)"
rm -rf build/work build/dist
QT_QPA_PLATFORM=offscreen .venv/bin/pyinstaller packaging/commandcenter.spec \
  --noconfirm --log-level WARN --distpath build/dist --workpath build/work

echo "== Frozen selftest"
home="$(mktemp -d)/张三 的数据"
trap 'rm -rf "$(dirname "$home")"' EXIT
QT_QPA_PLATFORM=offscreen COMMANDCENTER_HOME="$home" \
  build/dist/commandcenter/commandcenter-cli selftest
test -s "$home/logs/commandcenter.log"

echo "== Windows wheels (win_amd64, CPython 3.12)"
.venv/bin/python packaging/requirements.py > build/windows-requirements.txt
rm -rf build/windows-wheels
.venv/bin/python -m pip download --quiet --only-binary=:all: --platform win_amd64 \
  --python-version 3.12 --implementation cp -d build/windows-wheels \
  -r build/windows-requirements.txt
echo "$(ls build/windows-wheels | wc -l) wheels resolve for Windows:"
ls build/windows-wheels
