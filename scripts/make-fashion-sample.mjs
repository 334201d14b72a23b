#!/usr/bin/env node
// Builds data/fashion-mnist-sample/: the first 4000 training and the first 2000 test images and labels of
// Fashion-MNIST, as gzipped IDX files, from a full copy of the dataset (default: Debian's dataset-fashion-mnist in
// /usr/share/datasets/fashion-mnist). These are exactly the images `npm start` (compare --main-job) uses, so the main
// job and the tests run on a machine without the dataset. Deterministic: the same source gives the same bytes.
//
//   node scripts/make-fashion-sample.mjs [SOURCE_DIR]
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'

const TRAIN = 4000
const TEST = 2000
const source = process.argv[2] ?? '/usr/share/datasets/fashion-mnist'
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'fashion-mnist-sample')

// MD5s of the decompressed full files (the upstream files; see FASHION_MNIST in src/data/fashionMnist.ts).
const files = [
  { name: 'train-images-idx3-ubyte', count: TRAIN, rawMd5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a' },
  { name: 'train-labels-idx1-ubyte', count: TRAIN, rawMd5: '9018921c3c673c538a1fc5bad174d6f9' },
  { name: 't10k-images-idx3-ubyte', count: TEST, rawMd5: '8181f5470baa50b63fa0f6fddb340f0a' },
  { name: 't10k-labels-idx1-ubyte', count: TEST, rawMd5: '15d484375f8d13e6eb1aabb0c3f46965' },
]

const md5 = (bytes) => createHash('md5').update(bytes).digest('hex')

/** The first `count` records of an IDX file (uint8 data): the header with dimension 0 set to `count`, then the data. */
const firstRecords = (idx, count, name) => {
  if (idx[0] !== 0 || idx[1] !== 0 || idx[2] !== 0x08) throw new Error(`${name}: not a uint8 IDX file`)
  const rank = idx[3]
  const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength)
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i))
  if (dims[0] < count) throw new Error(`${name}: has ${dims[0]} records, fewer than ${count}`)
  const headerBytes = 4 + 4 * rank
  const recordBytes = dims.slice(1).reduce((a, b) => a * b, 1)
  const result = new Uint8Array(headerBytes + count * recordBytes)
  result.set(idx.subarray(0, headerBytes))
  new DataView(result.buffer).setUint32(4, count)
  result.set(idx.subarray(headerBytes, headerBytes + count * recordBytes), headerBytes)
  return result
}

mkdirSync(out, { recursive: true })
const lines = []
for (const f of files) {
  let raw
  try {
    raw = readFileSync(join(source, `${f.name}.gz`))
    raw = gunzipSync(raw)
  } catch {
    raw = readFileSync(join(source, f.name))
  }
  if (md5(raw) !== f.rawMd5) throw new Error(`${source}/${f.name}: not the upstream Fashion-MNIST file (MD5 ${md5(raw)}, expected ${f.rawMd5})`)
  const sample = firstRecords(raw, f.count, f.name)
  // level 9, no file name and mtime 0 in the gzip header (Node's default): the same bytes on every run
  const gz = gzipSync(sample, { level: 9 })
  writeFileSync(join(out, `${f.name}.gz`), gz)
  lines.push(`| ${f.name}.gz | ${f.count} | ${md5(sample)} | ${gz.length} |`)
  console.log(`${f.name}.gz: ${f.count} records, ${gz.length} bytes`)
}

writeFileSync(
  join(out, 'README.md'),
  `# Fashion-MNIST sample

The first ${TRAIN} training and the first ${TEST} test images and labels of
[Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist) (Xiao, Rasul & Vollgraf 2017), in the dataset's own
IDX format, gzipped. They are the images \`npm start\` (\`shapesafe compare … --main-job\`) trains and tests on, so the
main job and the tests need no download and no system package. \`shapesafe\` uses this sample after \`--data-dir\`,
\`SHAPESAFE_DATA\`, Debian's \`/usr/share/datasets/fashion-mnist\` and the download cache, and only for jobs that use at
most ${TRAIN} training and ${TEST} test images; it reports it as "sample (${TRAIN}/${TEST} images)". Training on the full
data needs the full files (see docs/training.md).

Made by \`node scripts/make-fashion-sample.mjs [SOURCE_DIR]\` from the full dataset (checked against the upstream MD5s);
the same source gives the same bytes.

| file | records | MD5 of the decompressed file | bytes |
|---|---:|---|---:|
${lines.join('\n')}

Fashion-MNIST is © 2017 Zalando SE and distributed under the MIT licence; see [LICENSE](LICENSE).
`,
)

writeFileSync(
  join(out, 'LICENSE'),
  `The MIT License (MIT) Copyright © [2017] Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the “Software”), to deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the
Software.

THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`,
)
