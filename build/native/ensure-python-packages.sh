#!/usr/bin/env bash
# Installs Debian's python3-numpy, -pandas, -sklearn and -torch (Test and Bench targets): the examples/python tests, the
# scikit-learn check of the plain SAE's selection and the Bench's PyTorch side (build/tools/bench_torch.py). Root with
# apt-get: installs them when missing; otherwise it only says so, and those tests report themselves as skipped (Bench
# then runs without the PyTorch column). Also Linux perf, which `bench --profile-ops` samples the process with.
set -uo pipefail
[ "$(uname -s)" = Linux ] || exit 0
py=/usr/bin/python3
# OpenBLAS: without it Debian's torch and numpy fall back to the reference BLAS (~50x slower matmuls), which would make
# the Bench's PyTorch column meaningless.
if [ -x "$py" ] && "$py" -c "import numpy, pandas, sklearn, torch" >/dev/null 2>&1 && [ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ] && command -v perf >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing python3-numpy, python3-pandas, python3-torch (tests of examples/python and bench_torch.py)"
  apt-get update -qq >/dev/null 2>&1
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-numpy python3-pandas python3-sklearn python3-torch libopenblas0-pthread linux-perf >/dev/null 2>&1; then exit 0; fi
  echo "warning: could not install python3-numpy/pandas/torch; the Python example tests will be skipped" >&2
else
  echo "note: python3-numpy/pandas/torch are not installed; the Python example tests will be skipped" >&2
fi
exit 0
