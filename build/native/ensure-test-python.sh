#!/usr/bin/env bash
# Installs Debian's python3-numpy and python3-pandas for the tests of examples/python (Test target only). Root with
# apt-get: installs them when missing. Otherwise it only says so, and those tests report themselves as skipped.
set -uo pipefail
[ "$(uname -s)" = Linux ] || exit 0
py=/usr/bin/python3
if [ -x "$py" ] && "$py" -c "import numpy, pandas" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing python3-numpy and python3-pandas (tests of examples/python)"
  apt-get update -qq >/dev/null 2>&1
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-numpy python3-pandas >/dev/null 2>&1; then exit 0; fi
  echo "warning: could not install python3-numpy/python3-pandas; the Python example tests will be skipped" >&2
else
  echo "note: python3-numpy/python3-pandas are not installed; the Python example tests will be skipped" >&2
fi
exit 0
