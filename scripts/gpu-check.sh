#!/usr/bin/env bash
# scripts/gpu-check.sh [REPORT.md]: the checks that need a real GPU, in one short run (about 5 minutes on a GPU
# machine; docs/backends.md, "Checking a GPU machine").
#
#   1. `shapesafe doctor`: what this machine can run.
#   2. WebGPU on a hardware adapter: the webgpu tests (layer goldens, zoo forward parity with the cpu backend,
#      gradients and training steps against wasm, a checkpoint) with SHAPESAFE_REQUIRE_WEBGPU=1, then training
#      throughput on webgpu against threaded wasm.
#   3. The native engine on CUDA, where Python's torch has CUDA: builds the addon against that libtorch, runs the
#      native engine's tests with SHAPESAFE_REQUIRE_TORCH=1 and SHAPESAFE_TORCH_DEVICE (default cuda), then training
#      throughput on cuda against the libtorch CPU engine.
#
# Prints every figure and writes them to REPORT.md (default gpu-check-report.md) for docs/benchmarks.md. Exits 1 when a
# parity test fails or a required part is missing (a GPU check that ran on no GPU is not a pass); a part whose hardware
# is absent is reported as not run, and when neither GPU part could run the exit status is 3 (also after a passing
# software-adapter run).
# Needs: Node ≥ 20 with this checkout's node_modules installed (`npm ci`; the machine may have no network), and for
# part 3 a Python with a CUDA build of torch (PYTHON=..., else python3) and a C++ compiler.
# GPU_CHECK_ALLOW_SOFTWARE=1 lets part 2 run on a software adapter (lavapipe), to try the script on a CPU machine;
# GPU_CHECK_IMAGES sets the training images of the throughput runs (default 2048).
set -uo pipefail
cd "$(dirname "$0")/.."
report=${1:-gpu-check-report.md}
cli=dist/cli/main.js
failed=()
ran=0
soft=0
: >"$report"
say() { printf '%s\n' "$*" | tee -a "$report"; }
section() { say ""; say "## $*"; say ""; }

# One training run on a small budget (the embedded Fashion-MNIST sample needs no network): "test_acc img/s seconds".
train_figures() {
  local out
  out=$(node "$cli" train "$@" --epochs 1 --limit-train "${GPU_CHECK_IMAGES:-2048}" --limit-test 512 --json 2>/dev/null | tail -1) || return 1
  node -e 'const r = JSON.parse(process.argv[1]); console.log(`${r.test_acc.toFixed(4)} ${r.images_per_s.toFixed(1)} ${r.seconds.toFixed(1)}`)' "$out"
}
bench_row() { # label, then train's arguments
  local label=$1
  shift
  local f
  if f=$(train_figures "$@"); then
    read -r acc ips secs <<<"$f"
    say "| $label | $ips | $acc | $secs |"
  else
    say "| $label | failed | | |"
    failed+=("training: $label")
  fi
}

say "# GPU check ($(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
say ""
say "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
command -v nvidia-smi >/dev/null && say "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
if ! command -v node >/dev/null || [ ! -d node_modules ]; then
  say "node or node_modules missing: run npm ci first"
  exit 1
fi
[ -f "$cli" ] || npm run build >/dev/null || { say "npm run build failed"; exit 1; }

section "shapesafe doctor"
node "$cli" doctor 2>/dev/null | tee -a "$report"

# 2. WebGPU.
section "WebGPU"
adapter=$(node --input-type=module -e "
import { probeWebGpu, adapterName } from './dist/runtime/webgpu.js'
const p = await probeWebGpu()
console.log(p.available ? (p.adapter.software ? 'software ' : 'hardware ') + adapterName(p.adapter) : 'none ' + p.reason)
" 2>/dev/null)
kind=${adapter%% *}
if [ "$kind" = hardware ] || { [ "$kind" = software ] && [ "${GPU_CHECK_ALLOW_SOFTWARE:-}" = 1 ]; }; then
  [ "$kind" = hardware ] && ran=1 || soft=1
  say "adapter: ${adapter#* }"
  start=$(date +%s)
  if SHAPESAFE_REQUIRE_WEBGPU=1 npx vitest run tests/webgpu.test.ts >webgpu-test.log 2>&1; then
    sed -i "s/\x1b\[[0-9;]*m//g" webgpu-test.log
    say "webgpu parity tests: passed ($(grep -Eo 'Tests +[0-9]+ passed[^)]*\)' webgpu-test.log | head -1), $(($(date +%s) - start)) s)"
  else
    sed -i "s/\x1b\[[0-9;]*m//g" webgpu-test.log
    say "webgpu parity tests: FAILED (webgpu-test.log):"
    grep -E '×|FAIL|AssertionError' webgpu-test.log | head -20 | tee -a "$report"
    failed+=("webgpu parity")
  fi
  say ""
  say "| lenet / resnet-small, 1 epoch on ${GPU_CHECK_IMAGES:-2048} images, batch 128 | train img/s | test acc | s |"
  say "|---|---:|---:|---:|"
  for net in lenet resnet-small; do
    bench_row "$net, tfjs webgpu" "$net" --backend webgpu
    bench_row "$net, tfjs wasm (threads: auto)" "$net" --backend wasm
  done
else
  say "not run: ${adapter#* }${kind:+ ($kind adapter)}"
fi

# 3. The native engine on CUDA.
section "Native engine (libtorch) on CUDA"
device=${SHAPESAFE_TORCH_DEVICE:-cuda}
python=${PYTHON:-python3}
cuda=$("$python" -c 'import torch; print(int(torch.cuda.is_available()), torch.__version__, torch.version.cuda)' 2>/dev/null || echo "0 none")
if [ "${cuda%% *}" = 1 ]; then
  ran=1
  say "Python torch: ${cuda#* } (CUDA), $python"
  if ! PYTHON=$python npm run build:native >native-build.log 2>&1; then
    say "npm run build:native failed (native-build.log):"
    tail -5 native-build.log | tee -a "$report"
    failed+=("native build")
  elif ! node "$cli" doctor --json 2>/dev/null | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => process.exit(JSON.parse(s).torch.cuda ? 0 : 1))'; then
    say "the addon was built but reports no CUDA:"
    node "$cli" doctor 2>/dev/null | grep native | tee -a "$report"
    failed+=("native CUDA")
  else
    start=$(date +%s)
    if SHAPESAFE_REQUIRE_TORCH=1 SHAPESAFE_TORCH_DEVICE=$device npx vitest run tests/torchEngine.test.ts >torch-test.log 2>&1; then
      sed -i "s/\x1b\[[0-9;]*m//g" torch-test.log
      say "native engine tests on $device: passed ($(grep -Eo 'Tests +[0-9]+ passed[^)]*\)' torch-test.log | head -1), $(($(date +%s) - start)) s)"
      grep -q "on $device: skipped" torch-test.log && { say "but its $device tests were skipped:"; grep "skipped" torch-test.log | tee -a "$report"; failed+=("native $device skipped"); }
    else
      sed -i "s/\x1b\[[0-9;]*m//g" torch-test.log
      say "native engine tests on $device: FAILED (torch-test.log):"
      grep -E '×|FAIL|AssertionError' torch-test.log | head -20 | tee -a "$report"
      failed+=("native parity")
    fi
    say ""
    say "| resnet-small, 1 epoch on ${GPU_CHECK_IMAGES:-2048} images, batch 128 | train img/s | test acc | s |"
    say "|---|---:|---:|---:|"
    bench_row "libtorch on $device" resnet-small --engine torch --device "$device"
    bench_row "libtorch on cpu" resnet-small --engine torch --device cpu
  fi
else
  say "not run: $python has no torch with CUDA (${cuda#* })"
fi

section "Verdict"
if [ ${#failed[@]} -gt 0 ]; then
  say "FAILED: ${failed[*]}"
  exit 1
fi
if [ $ran = 0 ]; then
  say "no GPU part ran: no hardware WebGPU adapter and no CUDA torch here$([ $soft = 1 ] && echo ' (the software adapter run passed)')"
  exit 3
fi
say "passed"
