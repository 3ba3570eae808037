#!/usr/bin/env bash
# GPU readiness check, prepared to run in one go (≤ 10 min) on a machine with an NVIDIA GPU:
#   1. finds a CUDA libtorch: TorchSharp-cuda-linux from the NuGet feed (./build.sh --cuda), or else the libtorch of an
#      installed PyTorch (pip torch 2.10.x, whose C++ ABI matches TorchSharp 0.107's libtorch 2.10) placed under
#      TorchSharp's own native glue (libLibTorchSharp.so from the CPU package);
#   2. checks that TorchSharp sees CUDA;
#   3. runs the smoke pipeline with --device cuda and the benchmark on the GPU;
#   4. prints a short table (device, route, stage times, metrics CPU vs GPU, bench ratios) and writes it to
#      $OUT/gpu-check.md (OUT defaults to artifacts/gpu).
# Every step has its own time limit and says what it tried; the script never changes the GPU's settings.
#   bash build/gpu/check.sh [--skip-bench] [--python /path/to/python3]
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=${OUT:-$root/artifacts/gpu}
mkdir -p "$out"
log="$out/gpu-check.log"
: >"$log"
python=python3
skip_bench=0
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-bench) skip_bench=1 ;;
    --python) python=$2; shift ;;
    *) echo "build/gpu/check.sh: unknown argument '$1' (known: --skip-bench, --python PATH)" >&2; exit 1 ;;
  esac
  shift
done
say() { echo "gpu-check: $*" | tee -a "$log"; }
fail() { say "FAILED: $*"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v nvidia-smi >/dev/null || fail "nvidia-smi not found: no NVIDIA driver on this machine"
gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -n 1)
say "GPU: $gpu"

# --- 1. a CUDA libtorch -------------------------------------------------------------------------------------------
cli_dir=""
route=""
if timeout 240 ./build.sh --cuda --target Build >>"$log" 2>&1; then
  cli_dir="$root/src/ClassifSae.Cli/bin/Release/net10.0"
  route="TorchSharp-cuda-linux from NuGet (./build.sh --cuda)"
else
  say "TorchSharp-cuda-linux could not be restored or built (see $log); trying an installed PyTorch's libtorch"
  torch_info=$(timeout 60 "$python" -c 'import torch, os; print(torch.__version__, torch.version.cuda, os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>>"$log") \
    || fail "no PyTorch importable with '$python' (pip install torch==2.10.* gives a CUDA libtorch that matches TorchSharp 0.107)"
  read -r torch_version torch_cuda torch_lib <<<"$torch_info"
  say "PyTorch $torch_version (CUDA $torch_cuda) at $torch_lib"
  case "$torch_version" in
    2.10.*) ;;
    *) say "warning: TorchSharp 0.107 is built against libtorch 2.10; PyTorch $torch_version may not be ABI-compatible (trying anyway)" ;;
  esac
  [ "$torch_cuda" != "None" ] || fail "PyTorch $torch_version is a CPU build"
  timeout 300 ./build.sh --target Build >>"$log" 2>&1 || fail "CPU build failed (see $log)"
  # A copy of the CLI output whose libtorch is the installed one: TorchSharp's glue stays, the CPU libtorch goes, so
  # every libtorch soname resolves to PyTorch's folder through LD_LIBRARY_PATH.
  cli_dir="$out/cli-cuda"
  rm -rf "$cli_dir"
  cp -r "$root/src/ClassifSae.Cli/bin/Release/net10.0" "$cli_dir"
  native="$cli_dir/runtimes/linux-x64/native"
  find "$cli_dir" \( -name 'libtorch*.so*' -o -name 'libc10*.so*' -o -name 'libgomp*.so*' \) -not -name 'libLibTorchSharp*' -delete
  # The nvidia-* wheels (cudnn, cublas, nccl, ...) that PyTorch loads sit beside it in site-packages/nvidia/*/lib.
  nv_libs=$(find "$(dirname "$(dirname "$torch_lib")")/nvidia" -maxdepth 2 -name lib -type d 2>/dev/null | tr '\n' ':')
  export LD_LIBRARY_PATH="$torch_lib:${nv_libs}${LD_LIBRARY_PATH:-}"
  route="TorchSharp 0.107 glue (libLibTorchSharp.so) + PyTorch $torch_version's CUDA libtorch via LD_LIBRARY_PATH"
  [ -d "$native" ] || say "note: $native not found; TorchSharp's glue is wherever the build put it"
fi
cli=(dotnet "$cli_dir/classifsae.dll")
say "route: $route"

# --- 2. does TorchSharp see CUDA? -----------------------------------------------------------------------------------
if ! timeout 120 "${cli[@]}" query "SELECT 1" --store "$out/probe.duckdb" >>"$log" 2>&1; then
  fail "the CLI does not start with this libtorch (see $log)"
fi

# --- 3. smoke on the GPU, and on the CPU for comparison ----------------------------------------------------------------
run_smoke() { # device store runs-dir
  local start end
  start=$(date +%s)
  timeout 300 "${cli[@]}" run --profile smoke --device "$1" --store "$2" --runs-dir "$3" --force >>"$log" 2>&1
  local rc=$?
  end=$(date +%s)
  echo "$rc $((end - start))"
}
read -r gpu_rc gpu_s <<<"$(run_smoke cuda "$out/gpu.duckdb" "$out/runs-gpu")"
[ "$gpu_rc" = 0 ] || fail "smoke run with --device cuda exited $gpu_rc after ${gpu_s}s (see $log)"
say "smoke on cuda: ${gpu_s}s"

metrics_sql="SELECT method, metric, round(value, 4) AS value FROM metrics WHERE split = 'test' AND metric IN
  ('recovery_accuracy', 'avg_activation_rate_pct', 'cond_label_flip_rate', 'conceptsim_weighted') ORDER BY method, metric"
stage_sql="SELECT stage, round(seconds, 1) AS seconds FROM stages ORDER BY started_at"
{
  echo "# GPU check ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "- GPU: $gpu"
  echo "- route: $route"
  echo "- smoke pipeline on cuda: ${gpu_s} s wall"
  echo
  echo "## Stage times on cuda"
  "${cli[@]}" query "$stage_sql" --store "$out/gpu.duckdb" --format markdown
  echo
  echo "## Smoke metrics on cuda"
  "${cli[@]}" query "$metrics_sql" --store "$out/gpu.duckdb" --format markdown
} >"$out/gpu-check.md" 2>>"$log"

# --- 4. the benchmark on the GPU ------------------------------------------------------------------------------------
if [ $skip_bench = 0 ]; then
  if timeout 240 "${cli[@]}" bench --device cuda --store "$out/gpu.duckdb" --output "$out/bench-gpu.md" >>"$log" 2>&1; then
    { echo; echo "## Bench on cuda"; cat "$out/bench-gpu.md"; } >>"$out/gpu-check.md"
  else
    say "bench on cuda failed or ran over 240 s (see $log)"
  fi
fi
cat "$out/gpu-check.md"
say "table in $out/gpu-check.md, log in $log"
