#!/usr/bin/env bash
# Makes TorchSharp's libLibTorchSharp.so loadable on systems whose libstdc++ predates GCC 13
# (Debian 12): it needs GLIBCXX_3.4.32 for one symbol only. Patches the copy in the given output
# folder in place; does nothing where the system libstdc++ already has that version.
# Every copy under OUTPUT_DIR (TorchSharp loads from cpu/ or runtimes/linux-x64/native/) is patched.
# Usage: prepare-torch-native.sh OUTPUT_DIR
set -euo pipefail
root="${1:?usage: prepare-torch-native.sh OUTPUT_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
[ "$(uname -s)" = Linux ] || exit 0
[ -d "$root" ] || exit 0

source "$here/find-libstdcxx.sh"
if grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then exit 0; fi

patch_one() {
local lib="$1" out; out="$(dirname "$1")"
local marker="$out/.libtorchsharp-patched"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$(sha256sum "$lib" | cut -d' ' -f1)" ]; then return 0; fi

for tool in patchelf g++ gcc; do
  command -v "$tool" >/dev/null || { echo "error: TorchSharp needs patching on this system but '$tool' is missing (apt-get install patchelf g++)" >&2; exit 1; }
done

local work; work="$(mktemp -d)"
g++ -shared -fPIC -O2 -o "$work/libclassifsae_iosinit.so" "$here/ios_base_library_init_shim.cpp"
gcc -O2 -o "$work/set_verneed_weak" "$here/set_verneed_weak.c"
cp "$lib" "$work/libLibTorchSharp.so"
patchelf --clear-symbol-version _ZSt21ios_base_library_initv \
         --add-needed libclassifsae_iosinit.so "$work/libLibTorchSharp.so"
"$work/set_verneed_weak" "$work/libLibTorchSharp.so" GLIBCXX_3.4.32
# Install atomically: shim first, then the library (RUNPATH $ORIGIN finds the shim beside it).
cp "$work/libclassifsae_iosinit.so" "$out/.libclassifsae_iosinit.so.tmp" && mv -f "$out/.libclassifsae_iosinit.so.tmp" "$out/libclassifsae_iosinit.so"
cp "$work/libLibTorchSharp.so" "$out/.libLibTorchSharp.so.tmp" && mv -f "$out/.libLibTorchSharp.so.tmp" "$lib"
sha256sum "$lib" | cut -d' ' -f1 > "$marker"
echo "prepared TorchSharp native library for $(basename "$libstdcxx") without GLIBCXX_3.4.32 in $out"
rm -rf "$work"
}

while IFS= read -r -d '' lib; do patch_one "$lib"; done < <(find "$root" -name libLibTorchSharp.so -print0)
