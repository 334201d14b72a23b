#!/usr/bin/env node
// Builds the optional native engine (native/torch) against the first libtorch found:
//   1. $LIBTORCH (a libtorch directory with include/ and lib/, e.g. an unpacked libtorch zip),
//   2. the libtorch inside Python's `torch` package ($PYTHON, else python3, else /usr/bin/python3),
//   3. Debian's libtorch-dev (/usr/include/torch, /usr/lib/<arch>/libtorch.so).
// Needs a C++17 compiler and node-gyp (npm ships one). Exit 0 with a message when nothing is found and
// SHAPESAFE_NATIVE_OPTIONAL=1 (so an install step never fails because of it); exit 1 otherwise.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const optional = process.env.SHAPESAFE_NATIVE_OPTIONAL === '1'
const tried = []

function fromDir(dir, how) {
  const include = join(dir, 'include')
  const lib = join(dir, 'lib')
  if (existsSync(join(include, 'torch', 'csrc', 'api', 'include', 'torch', 'torch.h')) && existsSync(join(lib, 'libtorch.so'))) {
    return { include, lib, how }
  }
  tried.push(`${how}: no include/torch/csrc/api/include/torch/torch.h and lib/libtorch.so under ${dir}`)
  return undefined
}

function fromPython() {
  for (const python of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    const r = spawnSync(python, ['-c', 'import os, torch; print(os.path.dirname(torch.__file__)); print(int(torch._C._GLIBCXX_USE_CXX11_ABI)); print(torch.__version__)'], {
      encoding: 'utf8',
    })
    if (r.status !== 0) {
      tried.push(`${python}: no importable torch`)
      continue
    }
    const [dir, abi, version] = r.stdout.trim().split('\n')
    const found = fromDir(dir, `Python torch ${version} (${python})`)
    if (found) return { ...found, abi }
  }
  return undefined
}

function fromDebian() {
  const arch = spawnSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).stdout?.trim() || 'x86_64-linux-gnu'
  const lib = `/usr/lib/${arch}`
  if (existsSync('/usr/include/torch/csrc/api/include/torch/torch.h') && existsSync(join(lib, 'libtorch.so'))) {
    return { include: '/usr/include', lib, how: "Debian's libtorch-dev" }
  }
  tried.push("Debian's libtorch-dev: not installed (apt-get install libtorch-dev)")
  return undefined
}

const found = (process.env.LIBTORCH ? fromDir(process.env.LIBTORCH, `LIBTORCH=${process.env.LIBTORCH}`) : undefined) ?? fromPython() ?? fromDebian()
if (!found) {
  console.error(`shapesafe: no libtorch found, the native engine is not built. Tried:\n  ${tried.join('\n  ')}`)
  process.exit(optional ? 0 : 1)
}
console.log(`shapesafe: building the native engine against ${found.how} (${found.lib})`)

const gyp = [
  process.env.npm_config_node_gyp,
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].find((p) => p && existsSync(p))
if (!gyp) {
  console.error('shapesafe: node-gyp not found (it ships with npm; set npm_config_node_gyp to its node-gyp.js)')
  process.exit(optional ? 0 : 1)
}
const args = [gyp, 'rebuild', `--directory=${join(root, 'native', 'torch')}`, '--', `-Dtorch_include=${found.include}`, `-Dtorch_lib=${found.lib}`]
if (found.abi !== undefined) args.push(`-Dtorch_cxx11_abi=${found.abi}`)
// A CUDA libtorch: link its CUDA half by name too, so that the linker never drops it (CUDA registers itself when loaded).
if (existsSync(join(found.lib, 'libtorch_cuda.so'))) args.push('-Dtorch_cuda=1')
const nodedir = process.env.npm_config_nodedir
if (nodedir && !args.some((a) => a.startsWith('--nodedir'))) args.splice(2, 0, `--nodedir=${nodedir}`)
const r = spawnSync(process.execPath, args, { stdio: 'inherit' })
if (r.status !== 0) {
  console.error('shapesafe: the native engine did not build (see the compiler output above)')
  process.exit(optional ? 0 : 1)
}
writeFileSync(join(root, 'native', 'torch', 'build', 'libtorch.json'), JSON.stringify(found, null, 2) + '\n')
try {
  const info = execFileSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(join(root, 'native', 'torch', 'build', 'Release', 'shapesafe_torch.node'))}).info()))`], { encoding: 'utf8' })
  console.log(`shapesafe: native engine ready: ${info.trim()}`)
} catch (e) {
  console.error(`shapesafe: the native engine was built but does not load: ${e.message.split('\n')[0]}`)
  process.exit(optional ? 0 : 1)
}
