/**
 * A small typed command-line flag parser. A command declares its flags once (name, value kind, help text); the parser
 * returns the positionals and the flags that were given, typed by the declaration, or a one-line message such as
 * `--epochs: expected a positive integer, got "x"`. Only flags actually given appear in the result, so a command can
 * tell a default from an explicit value.
 *
 * Accepted syntax: `--name value`, `--name=value`, boolean `--name`, `--` (everything after it is positional),
 * `-h`/`--help` (reported as `help: true`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { editDistance } from '../util/editDistance.js'

// ---------------------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------------------

/**
 * What a flag's value must be.
 *
 * @category model
 */
export type FlagKind =
  | { readonly type: 'boolean' }
  | { readonly type: 'string' }
  | { readonly type: 'integer'; readonly min?: number }
  | { readonly type: 'number'; readonly positive?: boolean }
  | { readonly type: 'choice'; readonly choices: readonly string[] }
  | { readonly type: 'shape' }

/**
 * One flag: its value kind, a help line and the placeholder printed in help (`--epochs E`).
 *
 * @category model
 */
export interface FlagSpec {
  readonly kind: FlagKind
  readonly help: string
  readonly placeholder?: string
}

/**
 * Flags of a command by name without the leading dashes (`'batch-size'`).
 *
 * @category model
 */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>

/** The TypeScript type of a parsed value of kind `K`. */
type ValueOf<K extends FlagKind> = K extends { readonly type: 'boolean' }
  ? boolean
  : K extends { readonly type: 'integer' | 'number' }
    ? number
    : K extends { readonly type: 'choice'; readonly choices: readonly (infer C)[] }
      ? C
      : K extends { readonly type: 'shape' }
        ? readonly [number, number, number, number]
        : string

/**
 * The flags given on a command line, typed by their specs; absent flags are `undefined`.
 *
 * @category model
 */
export type ParsedFlags<S extends FlagSpecs> = { readonly [K in keyof S]?: ValueOf<S[K]['kind']> }

/**
 * A parsed command line.
 *
 * @category model
 */
export interface ParsedArgs<S extends FlagSpecs> {
  /** Non-flag arguments, in order. */
  readonly positionals: readonly string[]
  /** Given flags. */
  readonly flags: ParsedFlags<S>
  /** `-h` or `--help` was given. */
  readonly help: boolean
}

/**
 * A command-line error; `message` is one line naming the flag.
 *
 * @category model
 */
export interface ArgsError {
  readonly _tag: 'ArgsError'
  readonly message: string
}

// ---------------------------------------------------------------------------------------------------------------------
// flag kinds
// ---------------------------------------------------------------------------------------------------------------------

/**
 * A flag with a value of kind `K` (what the constructors below return, so parsed values get precise types).
 *
 * @category model
 */
export interface FlagOf<K extends FlagKind> extends FlagSpec {
  readonly kind: K
}

/**
 * A boolean switch (`--json`; `--json=false` also accepted).
 *
 * @category constructors
 */
export const booleanFlag = (help: string): FlagOf<{ readonly type: 'boolean' }> => ({ kind: { type: 'boolean' }, help })

/**
 * A flag with a free-form, non-empty string value.
 *
 * @category constructors
 */
export const stringFlag = (help: string, placeholder = 'VALUE'): FlagOf<{ readonly type: 'string' }> => ({
  kind: { type: 'string' },
  help,
  placeholder,
})

/**
 * An integer flag with a minimum (default 1: a positive integer).
 *
 * @category constructors
 */
export const integerFlag = (help: string, placeholder = 'N', min = 1): FlagOf<{ readonly type: 'integer'; readonly min: number }> => ({
  kind: { type: 'integer', min },
  help,
  placeholder,
})

/**
 * A finite number flag, by default required to be positive.
 *
 * @category constructors
 */
export const numberFlag = (
  help: string,
  placeholder = 'X',
  positive = true,
): FlagOf<{ readonly type: 'number'; readonly positive: boolean }> => ({
  kind: { type: 'number', positive },
  help,
  placeholder,
})

/**
 * A flag whose value is one of `choices`.
 *
 * @example
 * ```ts
 * const specs = { optimizer: choiceFlag(['sgd', 'adam'] as const, 'optimizer') }
 * ```
 * @category constructors
 */
export const choiceFlag = <const C extends string>(
  choices: readonly C[],
  help: string,
): FlagOf<{ readonly type: 'choice'; readonly choices: readonly C[] }> => ({
  kind: { type: 'choice', choices },
  help,
  placeholder: choices.join('|'),
})

/**
 * An NCHW input shape `N,C,H,W` (also `NxCxHxW`): four positive integers, each at most 2^53 − 1. The one parser of
 * shapes on the command line (`summary --input`, `run --input-shape`).
 *
 * @category constructors
 */
export const shapeFlag = (help: string): FlagOf<{ readonly type: 'shape' }> => ({ kind: { type: 'shape' }, help, placeholder: 'N,C,H,W' })

/**
 * Parses `N,C,H,W` (commas, `x`, `×` or spaces between the dims) into four positive safe integers, or says why not
 * (the caller names the flag).
 *
 * @example
 * ```ts
 * parseShape('1,3,224,224') // Right([1, 3, 224, 224])
 * parseShape('1,3,99999999999999999999,224') // Left('99999999999999999999 is beyond 2^53 − 1')
 * ```
 * @category parsing
 */
export const parseShape = (text: string): E.Either<string, readonly [number, number, number, number]> => {
  const parts = text.split(/[,x×\s]+/).filter((p) => p !== '')
  if (parts.length !== 4) return E.left(`expected four dims N,C,H,W, got ${parts.length}`)
  const dims: number[] = []
  for (const p of parts) {
    if (!/^\+?\d+$/.test(p)) return E.left(`${p} is not a positive integer`)
    const d = Number(p)
    if (!Number.isSafeInteger(d)) return E.left(`${p} is beyond 2^53 − 1`)
    if (d < 1) return E.left(`dims must be at least 1, got ${p}`)
    dims.push(d)
  }
  return E.right([dims[0], dims[1], dims[2], dims[3]])
}

// ---------------------------------------------------------------------------------------------------------------------
// parsing
// ---------------------------------------------------------------------------------------------------------------------

const argsError = (message: string): ArgsError => ({ _tag: 'ArgsError', message })

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo.
 *
 * @example
 * ```ts
 * closestMatch('epoch', ['epochs', 'seed']) // 'epochs'
 * ```
 * @category utils
 */
export const closestMatch = (word: string, candidates: readonly string[]): string | undefined => {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(word, c)
    if (d < bestDistance) [best, bestDistance] = [c, d]
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined
}

const parseValue = (name: string, kind: FlagKind, raw: string): E.Either<ArgsError, unknown> => {
  const bad = (expected: string) => E.left(argsError(`--${name}: expected ${expected}, got ${JSON.stringify(raw)}`))
  switch (kind.type) {
    case 'boolean':
      if (raw === 'true') return E.right(true)
      if (raw === 'false') return E.right(false)
      return bad('true or false')
    case 'string':
      return raw.length === 0 ? bad('a non-empty value') : E.right(raw)
    case 'integer': {
      const min = kind.min ?? 1
      const expected = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`
      if (!/^[+-]?\d+$/.test(raw.trim())) return bad(expected)
      const n = Number(raw)
      return Number.isSafeInteger(n) && n >= min ? E.right(n) : bad(expected)
    }
    case 'number': {
      const expected = kind.positive === true ? 'a positive number' : 'a number'
      const n = raw.trim() === '' ? NaN : Number(raw)
      if (!Number.isFinite(n) || (kind.positive === true && n <= 0)) return bad(expected)
      return E.right(n)
    }
    case 'choice':
      return kind.choices.includes(raw) ? E.right(raw) : bad(`one of ${kind.choices.join(', ')}`)
    case 'shape': {
      const shape = parseShape(raw)
      return E.isRight(shape) ? shape : bad(`four positive integers N,C,H,W (${shape.left})`)
    }
  }
}

/**
 * Parses `argv` (without the program and command names) against `specs`.
 *
 * @example
 * ```ts
 * const specs = { epochs: integerFlag('epochs', 'E'), json: booleanFlag('JSON output') }
 * parseArgs(['lenet', '--epochs', '2', '--json'], specs)
 * // Right({ positionals: ['lenet'], flags: { epochs: 2, json: true }, help: false })
 * parseArgs(['--epochs', 'x'], specs) // Left({ message: '--epochs: expected a positive integer, got "x"' })
 * ```
 * @category parsing
 */
export const parseArgs = <S extends FlagSpecs>(argv: readonly string[], specs: S): E.Either<ArgsError, ParsedArgs<S>> => {
  const positionals: string[] = []
  const flags: Record<string, unknown> = {}
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (arg === '-h' || arg === '--help') {
      help = true
      continue
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg)
      continue
    }
    if (!arg.startsWith('--')) return E.left(argsError(`unknown option ${arg} (flags start with --)`))
    const eq = arg.indexOf('=')
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined
    if (spec === undefined) {
      const guess = closestMatch(name, Object.keys(specs))
      return E.left(argsError(`unknown flag --${name}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`))
    }
    if (name in flags) return E.left(argsError(`--${name} given more than once`))
    let raw: string
    if (eq >= 0) raw = arg.slice(eq + 1)
    else if (spec.kind.type === 'boolean') raw = 'true'
    else {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--'))
        return E.left(argsError(`--${name}: missing value (expected ${spec.placeholder ?? 'a value'})`))
      raw = next
      i++
    }
    const value = parseValue(name, spec.kind, raw)
    if (E.isLeft(value)) return value
    flags[name] = value.right
  }
  return E.right({ positionals, flags: flags as ParsedFlags<S>, help })
}

/**
 * Help lines for `specs`, aligned: `  --epochs E          training epochs`.
 *
 * @example
 * ```ts
 * formatFlagHelp({ json: booleanFlag('print one JSON line') }) // '  --json  print one JSON line'
 * ```
 * @category formatting
 */
export const formatFlagHelp = (specs: FlagSpecs): string => {
  const rows = Object.entries(specs).map(([name, spec]) => [
    spec.kind.type === 'boolean' ? `--${name}` : `--${name} ${spec.placeholder ?? 'VALUE'}`,
    spec.help,
  ])
  const width = Math.max(0, ...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n')
}
