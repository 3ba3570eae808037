#!/usr/bin/env bash
# Restores the local tools and runs the Cake build script; every argument is passed through.
#   ./build.sh --target Reproduce [--profile smoke] [--force] [--device cpu|cuda|auto]
#   ./build.sh --target Test
#   ./build.sh --cuda ...        builds against TorchSharp-cuda-linux (clusters only)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

args=()
for a in "$@"; do
  if [ "$a" = "--cuda" ]; then args+=("--torch-backend=cuda"); else args+=("$a"); fi
done

# System prerequisites (Debian/Ubuntu): patchelf and a C++ compiler, needed only where TorchSharp's
# native library must be adapted to an older libstdc++ (see build/native/).
bash build/native/ensure-system-packages.sh

dotnet tool restore >/dev/null
exec dotnet cake build/build.cake "${args[@]}"
