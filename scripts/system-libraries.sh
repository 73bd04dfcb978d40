#!/usr/bin/env bash
# System libraries the Python packages load at run time, from Debian's packages:
# libcairo2 for CairoSVG (the charts of the Word report). Installed when missing; without
# it the portal still runs and the Word report says the chart is in the PDF.
set -uo pipefail
if ldconfig -p 2>/dev/null | grep 'libcairo\.so\.2' >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "libcairo2 is missing: the Word report will show no charts." >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
echo "== Installing libcairo2 (Debian package) for the charts of the Word report =="
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q libcairo2 >/dev/null 2>&1 \
  || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q libcairo2 >/dev/null 2>&1; } \
  || echo "Could not install libcairo2: the Word report will show no charts." >&2
exit 0
