#!/usr/bin/env bash
# Installs Debian's chromium for the headless HTML-report test (Test target only). Root with apt-get: installs it
# when missing. Otherwise it only says so, and the test reports itself as skipped (never as passed).
set -uo pipefail
[ "$(uname -s)" = Linux ] || exit 0
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium (headless check of the HTML report)"
  apt-get update -qq >/dev/null 2>&1
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then exit 0; fi
  echo "warning: could not install chromium; the HTML report browser test will be skipped" >&2
else
  echo "note: chromium is not installed (apt-get install chromium); the HTML report browser test will be skipped" >&2
fi
exit 0
