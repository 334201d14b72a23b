// Over 400 lines on purpose: the one dataset loader (sources in priority order, mirrors, checksums, cache) as one story.
/**
 * Locating, downloading and loading Fashion-MNIST and MNIST (both 28×28 grey images in IDX files).
 *
 * Sources, in order (the first that applies wins):
 * 1. `opts.dataDir` (the CLI's `--data-dir`),
 * 2. the environment variable `SHAPESAFE_DATA`,
 * 3. system directories: Debian's `dataset-fashion-mnist` package installs to
 *    `/usr/share/datasets/fashion-mnist` (Debian has no MNIST package, so MNIST has none),
 * 4. the cache directory (`$XDG_CACHE_HOME/shapesafe/<name>`, default `~/.cache/shapesafe/<name>`,
 *    or `opts.cacheDir`),
 * 5. the sample embedded in the repository (`data/fashion-mnist-sample`: the first 4000 training and 2000 test
 *    images of Fashion-MNIST, the ones `npm start` uses), when the caller needs no more images than it holds
 *    (`opts.need`),
 * 6. a download from the dataset's canonical host into the cache (MD5-checked, atomic writes).
 *
 * A directory given by 1 or 2 must hold the data: if it does not, loading fails with a message
 * rather than silently using another source. Within a directory `D` the files are looked for in
 * `D/<name>`, then torchvision's layout (`D/FashionMNIST/raw`, `D/MNIST/raw`), then `D` itself;
 * each file may be gzipped (`train-images-idx3-ubyte.gz`) or plain (`train-images-idx3-ubyte`).
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { writeFileAtomic } from '../io/atomicWrite.js'
import { DataError, describeCause } from './errors.js'
import { readIdx, type IdxArray } from './idx.js'
import { FASHION_MNIST_STATS, MNIST_STATS, type NormalizeStats } from './transforms.js'

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

/**
 * Datasets this module knows.
 *
 * @category Data
 */
export type DatasetName = 'fashion-mnist' | 'mnist'

/**
 * One split (train or test): `count` images of `height × width` pixels packed row-major in
 * `images` (`uint8`, 0 = background), and their class indices in `labels`.
 *
 * @category Data
 */
export interface Split {
  /** `count · 28 · 28` pixels, image after image, row-major. */
  readonly images: Uint8Array
  /** `count` class indices. */
  readonly labels: Uint8Array
  /** Number of images. */
  readonly count: number
  /** Image height in pixels. */
  readonly height: 28
  /** Image width in pixels. */
  readonly width: 28
}

/**
 * Images in the training split of Fashion-MNIST and MNIST.
 *
 * @category Data
 */
export const trainSplitImages = 60000

/**
 * A loaded dataset.
 *
 * @category Data
 */
export interface Dataset {
  /** Which dataset this is. */
  readonly name: DatasetName
  /** Training split (60000 images for both datasets). */
  readonly train: Split
  /** Test split (10000 images). */
  readonly test: Split
  /** Class names, indexed by label. */
  readonly classes: readonly string[]
  /** Where the files came from, for logs, e.g. `"Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)"`. */
  readonly source: string
  /** The directory the four files were read from. */
  readonly directory: string
  /** Training-set pixel statistics, for `batches(..., { normalize })`. */
  readonly normalization: NormalizeStats
}

/**
 * One of the four files of a dataset.
 *
 * @category Data
 */
export interface DatasetFile {
  /** Base name without `.gz`, e.g. `train-images-idx3-ubyte`. */
  readonly name: string
  /** MD5 of the published `.gz` file, checked after download. */
  readonly gzMd5: string
  /** MD5 of the decompressed file, when known. */
  readonly rawMd5?: string
}

/**
 * Everything needed to find, download and check a dataset. {@link loadDatasetFromSpec} accepts
 * any spec, so tests (or other MNIST-format datasets) can supply their own.
 *
 * @category Data
 */
export interface DatasetSpec {
  /** Dataset name, also the cache sub-directory. */
  readonly name: DatasetName
  /** Human name for messages. */
  readonly title: string
  /** Class names, indexed by label; labels must be below `classes.length`. */
  readonly classes: readonly string[]
  /** The four IDX files. */
  readonly files: {
    /** Training images, `[n, 28, 28]` uint8. */
    readonly trainImages: DatasetFile
    /** Training labels, `[n]` uint8. */
    readonly trainLabels: DatasetFile
    /** Test images. */
    readonly testImages: DatasetFile
    /** Test labels. */
    readonly testLabels: DatasetFile
  }
  /** Base URLs tried in order; a file's URL is base + `name` + `.gz`. */
  readonly mirrors: readonly string[]
  /** Directories a system package installs the files to. */
  readonly systemDirs: readonly string[]
  /** Sub-directory names to try under a data directory, besides the directory itself. */
  readonly subdirs: readonly string[]
  /** Debian package providing the data, if any. */
  readonly aptPackage?: string
  /** Training-set pixel statistics. */
  readonly normalization: NormalizeStats
  /** A sample of the dataset shipped with the repository: its directory and how many images of each split it holds. */
  readonly sample?: DatasetSample
}

/**
 * A sample of a dataset: the first `train` training and the first `test` test images, in `directory`.
 *
 * @category Data
 */
export interface DatasetSample {
  readonly directory: string
  readonly train: number
  readonly test: number
}

/**
 * The part of the `fetch` API the downloader uses; `globalThis.fetch` satisfies it. Injected in
 * tests to exercise downloads and checksum checks without network.
 *
 * @category Data
 */
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<FetchResponseLike>

/**
 * The part of a `fetch` `Response` the downloader uses.
 *
 * @category Data
 */
export interface FetchResponseLike {
  /** `true` for a 2xx status. */
  readonly ok: boolean
  /** HTTP status code. */
  readonly status: number
  /** HTTP status text, for messages. */
  readonly statusText?: string
  /** The whole body. */
  arrayBuffer(): Promise<ArrayBuffer>
}

/**
 * Options of {@link loadDataset}.
 *
 * @category Data
 */
export interface LoadOptions {
  /** Directory holding the files (the CLI's `--data-dir`); beats every other source. */
  readonly dataDir?: string
  /** Environment to read `SHAPESAFE_DATA`, `XDG_CACHE_HOME` and `HOME` from; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv
  /** Download cache for this dataset; default `$XDG_CACHE_HOME/shapesafe/<name>` or `~/.cache/shapesafe/<name>`. */
  readonly cacheDir?: string
  /** Download missing files when no local source has them (default `true`). */
  readonly download?: boolean
  /** Fetch implementation for downloads; default `globalThis.fetch`. */
  readonly fetch?: FetchLike
  /** System directories to look in; default the spec's (`/usr/share/datasets/fashion-mnist` for Fashion-MNIST). */
  readonly systemDirs?: readonly string[]
  /** Per-file download timeout in milliseconds (default 300000). */
  readonly timeoutMs?: number
  /** Progress messages (e.g. "downloading ..."); default: silent. */
  readonly log?: (line: string) => void
  /**
   * How many images of each split the caller will use (the first ones); default all. A job within the embedded
   * sample's size is served from it when no other local source has the data.
   */
  readonly need?: { readonly train?: number; readonly test?: number }
  /** The embedded sample to use, or `false` for none; default the spec's. */
  readonly sample?: DatasetSample | false
}

// ---------------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------------

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017).
 *
 * `gzMd5` are the MD5s published in the upstream README (github.com/zalandoresearch/fashion-mnist,
 * "Get the Data" table) for the `.gz` files on the S3 host. Debian's `dataset-fashion-mnist`
 * re-compresses the files (its gzip headers carry a 2020-06-05 timestamp), so its `.gz` files have
 * other MD5s; their decompressed contents do have `rawMd5`, the MD5s of the uncompressed upstream
 * files (measured on the Debian files and matching the values in common use; the tests re-check
 * this when the package is installed).
 *
 * @category Data
 */
export const FASHION_MNIST: DatasetSpec = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST',
  classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  files: {
    trainImages: {
      name: 'train-images-idx3-ubyte',
      gzMd5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      rawMd5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a',
    },
    trainLabels: {
      name: 'train-labels-idx1-ubyte',
      gzMd5: '25c81989df183df01b3e8a0aad5dffbe',
      rawMd5: '9018921c3c673c538a1fc5bad174d6f9',
    },
    testImages: {
      name: 't10k-images-idx3-ubyte',
      gzMd5: 'bef4ecab320f06d8554ea6380940ec79',
      rawMd5: '8181f5470baa50b63fa0f6fddb340f0a',
    },
    testLabels: {
      name: 't10k-labels-idx1-ubyte',
      gzMd5: 'bb300cfdad3c16e7a12a480ee83cd310',
      rawMd5: '15d484375f8d13e6eb1aabb0c3f46965',
    },
  },
  mirrors: [
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  ],
  systemDirs: ['/usr/share/datasets/fashion-mnist'],
  subdirs: ['fashion-mnist', 'FashionMNIST/raw'],
  aptPackage: 'dataset-fashion-mnist',
  normalization: FASHION_MNIST_STATS,
  sample: {
    // data/fashion-mnist-sample at the repository root, seen from src/data (tests) and dist/data (the build) alike
    directory: fileURLToPath(new URL('../../data/fashion-mnist-sample', import.meta.url)),
    train: 4000,
    test: 2000,
  },
}

/**
 * MNIST (LeCun, Cortes & Burges). The `gzMd5` are those of the original files from
 * yann.lecun.com, as checked by torchvision; the mirrors are PyTorch's S3 copy (torchvision's
 * first choice, since the original host often refuses downloads), Google's CVDF copy, and the
 * original host. Debian packages no MNIST, so there is no system directory.
 *
 * @category Data
 */
export const MNIST: DatasetSpec = {
  name: 'mnist',
  title: 'MNIST',
  classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  files: {
    trainImages: { name: 'train-images-idx3-ubyte', gzMd5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
    trainLabels: { name: 'train-labels-idx1-ubyte', gzMd5: 'd53e105ee54ea40749a09fcbcd1e9432' },
    testImages: { name: 't10k-images-idx3-ubyte', gzMd5: '9fb629c4189551a2d022fa330f9573f3' },
    testLabels: { name: 't10k-labels-idx1-ubyte', gzMd5: 'ec29112dd5afa0611ce80d1b7f02629c' },
  },
  mirrors: [
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'http://yann.lecun.com/exdb/mnist/',
  ],
  systemDirs: [],
  subdirs: ['mnist', 'MNIST/raw'],
  normalization: MNIST_STATS,
}

/**
 * The built-in dataset specs by name.
 *
 * @category Data
 */
export const DATASETS: Readonly<Record<DatasetName, DatasetSpec>> = { 'fashion-mnist': FASHION_MNIST, mnist: MNIST }

/**
 * The environment variable naming a data directory.
 * @category Data
 */
export const DATA_ENV_VAR = 'SHAPESAFE_DATA'

// ---------------------------------------------------------------------------------------------
// Locating files
// ---------------------------------------------------------------------------------------------

/**
 * Names of the four files of a dataset.
 *
 * @category Data
 */
export type FileKey = keyof DatasetSpec['files']
const FILE_KEYS: readonly FileKey[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels']

/**
 * Paths of the four files of a dataset.
 *
 * @category Data
 */
export type FileSet = Readonly<Record<FileKey, string>>

const isFile = async (path: string): Promise<boolean> => {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** Accepted spellings of a file: gzipped first, then plain; also `train-images.idx3-ubyte` (dot), as some copies name it. */
const candidateNames = (base: string): string[] => {
  const dotted = base.replace(/-idx(\d)-/, '.idx$1-')
  return [...new Set([`${base}.gz`, base, `${dotted}.gz`, dotted])]
}

interface DirScan {
  readonly dir: string
  readonly found: Partial<Record<FileKey, string>>
}

const scanDir = async (spec: DatasetSpec, dir: string): Promise<DirScan> => {
  const found: Partial<Record<FileKey, string>> = {}
  for (const key of FILE_KEYS) {
    for (const name of candidateNames(spec.files[key].name)) {
      const path = join(dir, name)
      if (await isFile(path)) {
        found[key] = path
        break
      }
    }
  }
  return { dir, found }
}

const complete = (scan: DirScan): FileSet | undefined =>
  FILE_KEYS.every((k) => scan.found[k] !== undefined) ? (scan.found as FileSet) : undefined

/** Scans `root/<subdir>` for each subdir, then `root`; the first complete directory wins. */
const findIn = async (spec: DatasetSpec, root: string): Promise<{ files?: FileSet; dir: string; scans: DirScan[] }> => {
  const scans: DirScan[] = []
  for (const dir of [...spec.subdirs.map((s) => join(root, s)), root]) {
    const scan = await scanDir(spec, dir)
    scans.push(scan)
    const files = complete(scan)
    if (files !== undefined) return { files, dir, scans }
  }
  return { dir: root, scans }
}

const fileList = (spec: DatasetSpec): string => FILE_KEYS.map((k) => `${spec.files[k].name}[.gz]`).join(', ')

const notInDir = (spec: DatasetSpec, where: string, root: string, scans: DirScan[]): DataError => {
  const partial = scans.find((s) => Object.keys(s.found).length > 0)
  const detail =
    partial !== undefined
      ? `${partial.dir} lacks ${FILE_KEYS.filter((k) => partial.found[k] === undefined)
          .map((k) => `${spec.files[k].name}[.gz]`)
          .join(', ')}`
      : `none of ${fileList(spec)} found in ${scans.map((s) => s.dir).join(', ')}`
  return new DataError('not-found', `${where} does not hold ${spec.title}: ${detail}`, root)
}

/** The other ways to provide the data, for error messages. */
const alternatives = (spec: DatasetSpec, cacheDir: string): string =>
  [
    'Other ways to provide the data:',
    `  --data-dir <dir>        a directory with ${fileList(spec)}`,
    `  ${DATA_ENV_VAR}=<dir>     the same, through the environment`,
    ...(spec.aptPackage !== undefined
      ? [`  sudo apt-get install ${spec.aptPackage}   (Debian/Ubuntu; installs to ${spec.systemDirs.join(', ')})`]
      : []),
    `  or copy the .gz files into the cache directory ${cacheDir}`,
  ].join('\n')

// ---------------------------------------------------------------------------------------------
// Downloading
// ---------------------------------------------------------------------------------------------

/**
 * MD5 of some bytes, as lowercase hex.
 *
 * @example
 * ```ts
 * import { md5Hex } from 'shapesafe/data'
 * md5Hex(new TextEncoder().encode('abc')) // '900150983cd24fb0d6963f7d28e17f72'
 * ```
 * @category Data
 */
export const md5Hex = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex')

interface Attempt {
  readonly url: string
  readonly kind: 'checksum' | 'download'
  readonly reason: string
}

const fetchBytes = async (fetchFn: FetchLike, url: string, timeoutMs: number): Promise<Uint8Array> => {
  const response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) })
  if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`)
  return new Uint8Array(await response.arrayBuffer())
}

/**
 * Downloads one file into `cacheDir` (as `<name>.gz`), trying each mirror in turn until one
 * returns bytes with the expected MD5; writes atomically, so an interrupted or rejected download
 * never leaves a file behind. Resolves to the written path.
 *
 * @example
 * ```ts
 * await downloadFile(FASHION_MNIST, FASHION_MNIST.files.testLabels, '/tmp/cache', { fetch })()
 * ```
 * @category Data
 */
export const downloadFile = (
  spec: DatasetSpec,
  file: DatasetFile,
  cacheDir: string,
  opts: Pick<LoadOptions, 'fetch' | 'timeoutMs' | 'log'> = {},
): TE.TaskEither<DataError, string> => {
  const fileName = `${file.name}.gz`
  const target = join(cacheDir, fileName)
  const fetchFn: FetchLike = opts.fetch ?? ((url, init) => globalThis.fetch(url, init))
  return async () => {
    const attempts: Attempt[] = []
    for (const base of spec.mirrors) {
      const url = `${base}${fileName}`
      opts.log?.(`downloading ${url}`)
      let bytes: Uint8Array
      try {
        bytes = await fetchBytes(fetchFn, url, opts.timeoutMs ?? 300_000)
      } catch (cause) {
        attempts.push({ url, kind: 'download', reason: describeCause(cause) })
        continue
      }
      const actual = md5Hex(bytes)
      if (actual !== file.gzMd5) {
        attempts.push({ url, kind: 'checksum', reason: `checksum mismatch: expected MD5 ${file.gzMd5}, got ${actual}` })
        continue
      }
      const written = await writeFileAtomic(target, bytes)()
      if (E.isLeft(written)) return E.left(new DataError('io', written.left.message, target))
      return E.right(target)
    }
    const kind = attempts.length > 0 && attempts.every((a) => a.kind === 'checksum') ? 'checksum' : 'download'
    const lines = attempts.map((a) => `  ${a.url}: ${a.reason}`)
    return E.left(
      new DataError(
        kind,
        [`Could not download ${spec.title} file ${fileName}:`, ...lines, alternatives(spec, cacheDir)].join('\n'),
        target,
      ),
    )
  }
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

const count = (n: number, all: string): string => (Number.isFinite(n) ? String(n) : all)

const invalid = (path: string, detail: string): DataError =>
  new DataError('invalid-dataset', `${path}: ${detail}`, path)

const toSplit = (
  spec: DatasetSpec,
  images: IdxArray,
  imagesPath: string,
  labels: IdxArray,
  labelsPath: string,
): E.Either<DataError, Split> => {
  if (images.dtype !== 'uint8') return E.left(invalid(imagesPath, `images must be uint8, found ${images.dtype}`))
  if (images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    return E.left(invalid(imagesPath, `images must have shape [n, 28, 28], found [${images.shape.join(', ')}]`))
  }
  if (labels.dtype !== 'uint8') return E.left(invalid(labelsPath, `labels must be uint8, found ${labels.dtype}`))
  if (labels.shape.length !== 1) {
    return E.left(invalid(labelsPath, `labels must have shape [n], found [${labels.shape.join(', ')}]`))
  }
  const count = images.shape[0]
  if (labels.shape[0] !== count) {
    return E.left(
      invalid(labelsPath, `has ${labels.shape[0]} labels but ${imagesPath} has ${count} images; the counts must match`),
    )
  }
  const labelData = labels.data as Uint8Array
  const classes = spec.classes.length
  for (let i = 0; i < count; i++) {
    if (labelData[i] >= classes) {
      return E.left(invalid(labelsPath, `label ${labelData[i]} at index ${i} is out of range 0..${classes - 1}`))
    }
  }
  return E.right({ images: images.data as Uint8Array, labels: labelData, count, height: 28, width: 28 })
}

const readSplit = (spec: DatasetSpec, imagesPath: string, labelsPath: string): TE.TaskEither<DataError, Split> =>
  pipe(
    TE.Do,
    TE.bind('images', () => readIdx(imagesPath)),
    TE.bind('labels', () => readIdx(labelsPath)),
    TE.chainEitherK(({ images, labels }) => toSplit(spec, images, imagesPath, labels, labelsPath)),
  )

/**
 * Reads and validates the four files of a dataset. Errors name the offending file: wrong
 * dimensions, label/image count mismatch, a label ≥ the number of classes, or any IDX error.
 *
 * @example
 * ```ts
 * declare const files: FileSet
 * await readDatasetFiles(FASHION_MNIST, files, 'my copy', '/data/fm')()
 * ```
 * @category Data
 */
export const readDatasetFiles = (
  spec: DatasetSpec,
  files: FileSet,
  source: string,
  directory: string,
): TE.TaskEither<DataError, Dataset> =>
  pipe(
    TE.Do,
    TE.bind('train', () => readSplit(spec, files.trainImages, files.trainLabels)),
    TE.bind('test', () => readSplit(spec, files.testImages, files.testLabels)),
    TE.map(({ train, test }) => ({
      name: spec.name,
      train,
      test,
      classes: spec.classes,
      source,
      directory,
      normalization: spec.normalization,
    })),
  )

/**
 * The default download cache of a dataset: `$XDG_CACHE_HOME/shapesafe/<name>`, else
 * `$HOME/.cache/shapesafe/<name>`.
 *
 * @example
 * ```ts
 * defaultCacheDir('mnist', { HOME: '/home/ada' }) // '/home/ada/.cache/shapesafe/mnist'
 * ```
 * @category Data
 */
export const defaultCacheDir = (name: DatasetName, env: NodeJS.ProcessEnv = process.env): string => {
  const xdg = env.XDG_CACHE_HOME
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env.HOME ?? homedir(), '.cache')
  return join(base, 'shapesafe', name)
}

/**
 * Loads the dataset described by `spec` from the first available source (see the module
 * documentation for the order), downloading into the cache as a last resort.
 *
 * @example
 * ```ts
 * const ds = await loadDatasetFromSpec(FASHION_MNIST, { dataDir: '/data' })()
 * ```
 * @category Data
 */
export const loadDatasetFromSpec = (spec: DatasetSpec, opts: LoadOptions = {}): TE.TaskEither<DataError, Dataset> => {
  const env = opts.env ?? process.env
  const cacheDir = opts.cacheDir ?? defaultCacheDir(spec.name, env)
  return async () => {
    // 1 and 2: explicit directories are authoritative.
    const explicit: Array<[string, string | undefined]> = [
      ['--data-dir', opts.dataDir],
      [DATA_ENV_VAR, env[DATA_ENV_VAR]],
    ]
    for (const [what, root] of explicit) {
      if (root === undefined || root === '') continue
      const { files, dir, scans } = await findIn(spec, root)
      const where = what === DATA_ENV_VAR ? `${what}=${root}` : `${what} ${root}`
      if (files === undefined) return E.left(notInDir(spec, where, root, scans))
      return readDatasetFiles(spec, files, `${what} (${dir})`, dir)()
    }
    // 3: system packages.
    for (const dir of opts.systemDirs ?? spec.systemDirs) {
      const files = complete(await scanDir(spec, dir))
      if (files !== undefined) {
        const label = spec.aptPackage !== undefined ? `Debian package ${spec.aptPackage} (${dir})` : `system directory ${dir}`
        return readDatasetFiles(spec, files, label, dir)()
      }
    }
    // 4: the cache, possibly filled by 6: a download.
    const cached = await scanDir(spec, cacheDir)
    const missing = FILE_KEYS.filter((k) => cached.found[k] === undefined)
    if (missing.length === 0) return readDatasetFiles(spec, cached.found as FileSet, `cache (${cacheDir})`, cacheDir)()
    // 5: the embedded sample, for a job within its size.
    const sample = opts.sample ?? spec.sample
    const sampleFiles = sample === undefined || sample === false ? undefined : complete(await scanDir(spec, sample.directory))
    const needs = { train: opts.need?.train ?? Infinity, test: opts.need?.test ?? Infinity }
    if (sample !== undefined && sample !== false && sampleFiles !== undefined && needs.train <= sample.train && needs.test <= sample.test)
      return readDatasetFiles(spec, sampleFiles, `sample (${sample.train}/${sample.test} images) in ${sample.directory}`, sample.directory)()
    const sampleNote =
      sample !== undefined && sample !== false && sampleFiles !== undefined
        ? `\nThe embedded sample (${sample.directory}) holds only the first ${sample.train} training and ${sample.test} test ` +
          `images; this job needs ${count(needs.train, 'all 60000')} training and ${count(needs.test, 'all 10000')} test images, ` +
          'so it needs the full files (or --limit-train/--limit-test within the sample).'
        : ''
    if (opts.download === false) {
      return E.left(
        new DataError(
          'not-found',
          `${spec.title} not found locally and downloading is disabled (missing in ${cacheDir}: ${missing
            .map((k) => spec.files[k].name)
            .join(', ')}).${sampleNote}\n${alternatives(spec, cacheDir)}`,
          cacheDir,
        ),
      )
    }
    const found: Partial<Record<FileKey, string>> = { ...cached.found }
    for (const key of missing) {
      const result = await downloadFile(spec, spec.files[key], cacheDir, opts)()
      if (E.isLeft(result))
        return sampleNote === '' ? result : E.left(new DataError(result.left.kind, `${result.left.message}${sampleNote}`, result.left.path))
      found[key] = result.right
    }
    return readDatasetFiles(spec, found as FileSet, `download (verified, cached in ${cacheDir})`, cacheDir)()
  }
}

/**
 * Loads Fashion-MNIST or MNIST: `--data-dir`, then `SHAPESAFE_DATA`, then the Debian package's
 * directory, then the cache, then a checksum-verified download. Never throws; failures are a
 * `Left` with a message that names the file or lists the ways to provide the data.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadDataset } from 'shapesafe/data'
 * declare const args: { readonly dataDir?: string }
 * const result = await loadDataset('fashion-mnist', { dataDir: args.dataDir })()
 * if (E.isLeft(result)) { console.error(result.left.message); process.exit(1) }
 * const { train, test, classes } = result.right // train.count === 60000
 * ```
 * @category Data
 */
export const loadDataset = (name: DatasetName, opts: LoadOptions = {}): TE.TaskEither<DataError, Dataset> =>
  loadDatasetFromSpec(DATASETS[name], opts)
