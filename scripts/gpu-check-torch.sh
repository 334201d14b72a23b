#!/usr/bin/env bash
# The native engine's part of the GPU check (scripts/gpu-check.sh calls it; it also runs on its own), for a machine
# with an NVIDIA GPU: builds the addon against the CUDA libtorch of Python's torch (PYTHON, else python3), runs the
# engine's tests with SHAPESAFE_TORCH_DEVICE (default cuda) — the CUDA section runs, nothing may be skipped — then a
# short side-by-side benchmark against PyTorch on that device, and prints the figures.
# Exit status: 0 all passed; 1 a test (parity, training, checkpoints) failed; 2 no CUDA libtorch or no GPU here.
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
device=${SHAPESAFE_TORCH_DEVICE:-cuda}
echo "== native engine (libtorch) on $device"
if ! "$python" -c 'import sys, torch; print("Python torch", torch.__version__, "CUDA", torch.version.cuda, "GPUs", torch.cuda.device_count()); sys.exit(0 if torch.cuda.is_available() else 1)'; then
  echo "no CUDA-capable Python torch with a visible GPU ($python); install a CUDA build of torch (pip install torch) and rerun"
  exit 2
fi
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null || exit 1
npm run build >/dev/null || exit 1
PYTHON="$python" npm run build:native || exit 1
node -e "const a = require('./native/torch/build/Release/shapesafe_torch.node'); const i = a.info(); console.log('addon:', JSON.stringify(i)); process.exit(i.cuda ? 0 : 2)" || {
  echo "the addon was built but sees no CUDA"
  exit 2
}
status=0
# SHAPESAFE_THREADS=1: the CPU halves of the tests share the cores with vitest's workers.
SHAPESAFE_REQUIRE_TORCH=1 SHAPESAFE_THREADS=1 SHAPESAFE_TORCH_DEVICE="$device" npx vitest run tests/torchEngine.test.ts 2>&1 | tee /tmp/shapesafe-gpu-torch-tests.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
if grep -q "native engine on $device: skipped" /tmp/shapesafe-gpu-torch-tests.log; then
  echo "the $device tests were skipped"
  status=1
fi
echo "== benchmark: native engine vs PyTorch on $device (same graph, side by side)"
npm run build:bench >/dev/null && PYTHON="$python" node dist-bench/bench/main.js torch --device "$device" --nets resnet18,lenet --rounds 2 --threads "$(nproc)" || status=1
echo "== native engine on $device: $([ $status -eq 0 ] && echo passed || echo FAILED)"
exit $status
