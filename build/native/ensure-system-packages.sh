#!/usr/bin/env bash
# Installs the Debian packages the build needs on machines whose libstdc++ lacks GLIBCXX_3.4.32
# (TorchSharp 0.107 needs it; see prepare-torch-native.sh). Elsewhere it does nothing.
set -euo pipefail
[ "$(uname -s)" = Linux ] || exit 0
source "$(dirname "$0")/find-libstdcxx.sh"
if grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx" 2>/dev/null; then exit 0; fi
missing=()
command -v patchelf >/dev/null || missing+=(patchelf)
command -v g++ >/dev/null || missing+=(g++)
command -v gcc >/dev/null || missing+=(gcc)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${missing[*]} (needed to load TorchSharp on this libstdc++)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "error: please install ${missing[*]} (e.g. sudo apt-get install ${missing[*]}); TorchSharp needs them on this system" >&2
  exit 1
fi
