/**
 * What the editor plugin and `shapesafe check` show, computed from the TypeScript checker: the shape each stage of a
 * composition produces, and shapesafe's verdicts put first in diagnostics. Presentation only: nothing here changes
 * what compiles.
 *
 * Written against the TypeScript module it is given (the editor's or the project's own), never one it imports, and
 * without tfjs, so tsserver can load it. Shapes are read from types named `Tensor` whose argument is a tuple; verdicts
 * are found by their `⛔` marker anywhere in a message chain. No other type or message wording is assumed.
 *
 * @module
 */
import type * as TS from 'typescript'

/** The TypeScript module in use (tsserver's, or the project's own for the CLI). */
export type TypeScript = typeof TS

/** A tensor shape as the checker shows it. */
export interface ShapeInfo {
  /** `[N, 96, 54, 54]`, or the formula / type parameter the checker prints in generic blocks. */
  readonly text: string
  /** The dims: a number where the dim is a literal, else its text (`N`, a formula); undefined when not a tuple. */
  readonly dims: readonly (number | string)[] | undefined
  /**
   * The verdict of the first dim that carries one (a `⛔` dim: a check a generic block could not decide inside
   * itself, decided where it was applied), and the indices of all such dims.
   */
  readonly carried?: { readonly verdict: string; readonly dims: readonly number[] }
}

/** One stage of a composition (`pipe`, `flow`, a combinator's branch): an argument that is a layer on tensors. */
export interface Stage {
  /** The composing call. */
  readonly call: TS.CallExpression
  /** The stage argument. */
  readonly node: TS.Expression
  /** Its index among the call's arguments. */
  readonly argumentIndex: number
  /** A short name: `conv2d`, `relu`, `block`. */
  readonly label: string
  /** The shape the stage receives, when it is a tensor. */
  readonly input: ShapeInfo | undefined
  /** The shape the stage produces, when it is a tensor. */
  readonly output: ShapeInfo | undefined
}

/** What a shapesafe diagnostic is about. */
export interface Explanation {
  /** The verdict text after `⛔` (`linear: expected 2304 input features, got 1600`), if the chain carries one. */
  readonly verdict: string | undefined
  /** The stage the diagnostic is on, if it is on one. */
  readonly stage: Stage | undefined
  /** Its number among the composition's stages, from 1. */
  readonly stageNumber?: number
  /** The stages of the same composition up to and including `stage`, with the composition's input first. */
  readonly trace: readonly TraceStep[]
  /** Tensor operands of a merge (`add(a, b)`, `concat(...)`) the diagnostic is on, with their shapes. */
  readonly operands: readonly { readonly node: TS.Expression; readonly label: string; readonly shape: ShapeInfo }[]
  /** The stage (or the composition's input) that produced the size the verdict reports as wrong, when decidable. */
  readonly producer: TraceStep | undefined
}

/** A step of a shape trace: a label and the shape after it. */
export interface TraceStep {
  readonly label: string
  readonly shape: ShapeInfo | undefined
  readonly node: TS.Node
}

/** The verdict marker shapesafe puts in front of every compile-time verdict. */
export const verdictMarker = '⛔'

const typeFormat = (ts: TypeScript): number =>
  ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope | ts.TypeFormatFlags.InTypeAlias

/** All message texts of a diagnostic's message chain, depth first. */
export function messageTexts(message: string | TS.DiagnosticMessageChain): string[] {
  if (typeof message === 'string') return [message]
  return [message.messageText, ...(message.next ?? []).flatMap(messageTexts)]
}

/**
 * The first verdict in a message chain: the text after `⛔` up to the end of the quoted property name that carries
 * it (`linear: expected 2304 input features, got 1600`). A chain without the marker may still carry a verdict a
 * block carried out in a dim (`InvalidDim<"linear: expected 400 input features, got 256">`, when a later stage
 * consumes such a tensor): that verdict is returned then, unless it still holds a placeholder (`${string}`).
 */
export function findVerdict(message: string | TS.DiagnosticMessageChain): string | undefined {
  const texts = messageTexts(message)
  for (const text of texts) {
    const at = text.indexOf(verdictMarker)
    if (at < 0) continue
    const rest = text.slice(at + verdictMarker.length).trimStart()
    const end = rest.search(/["'`]/)
    const verdict = (end < 0 ? rest : rest.slice(0, end)).trim()
    if (verdict !== '') return verdict
  }
  for (const text of texts) {
    for (const m of text.matchAll(/InvalidDim<(["`])(.+?)\1>/g)) {
      const verdict = m[2].trim()
      if (verdict !== '' && !verdict.includes('${')) return verdict
    }
  }
  return undefined
}

/** The `Tensor` type inside `type` (itself, or a member of an intersection such as `Tensor<S> & ShapeCheckFailed<…>`). */
function tensorType(ts: TypeScript, type: TS.Type): TS.Type | undefined {
  const name = type.aliasSymbol?.name ?? type.getSymbol()?.name
  if (name === 'Tensor') return type
  if (type.flags & ts.TypeFlags.Intersection) {
    for (const t of (type as TS.IntersectionType).types) {
      const found = tensorType(ts, t)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** Shapes already printed, per checker: a file repeats the same few shapes many times, and printing is the cost. */
const printed = new WeakMap<TS.TypeChecker, Map<TS.Type, ShapeInfo | undefined>>()

/** The shape of a `Tensor<[…]>` type, or undefined when `type` is not a tensor. */
export function tensorShape(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type, at?: TS.Node): ShapeInfo | undefined {
  let cache = printed.get(checker)
  if (cache === undefined) printed.set(checker, (cache = new Map()))
  if (cache.has(type)) return cache.get(type)
  const shape = computeTensorShape(ts, checker, type, at)
  cache.set(type, shape)
  return shape
}

/** The shape argument of a `Tensor<…>` type (a tuple or a type parameter, NoInfer unwrapped), if it is a tensor. */
function shapeArgument(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type): TS.Type | undefined {
  const tensor = tensorType(ts, type)
  if (tensor === undefined) return undefined
  const args = tensor.aliasSymbol !== undefined ? tensor.aliasTypeArguments ?? [] : checker.getTypeArguments(tensor as TS.TypeReference)
  if (args.length !== 1) return undefined
  // NoInfer<[…]> prints as such; show the shape it wraps.
  return args[0].flags & ts.TypeFlags.Substitution ? (args[0] as TS.SubstitutionType).baseType : args[0]
}

/** The dims of a shape tuple, NoInfer unwrapped. */
const dimTypes = (ts: TypeScript, checker: TS.TypeChecker, shape: TS.Type): TS.Type[] =>
  checker.getTypeArguments(shape as TS.TypeReference).map((d) => (d.flags & ts.TypeFlags.Substitution ? (d as TS.SubstitutionType).baseType : d))

function computeTensorShape(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type, at?: TS.Node): ShapeInfo | undefined {
  const shape = shapeArgument(ts, checker, type)
  if (shape === undefined) return undefined
  const print = (t: TS.Type) => checker.typeToString(t, at, typeFormat(ts))
  if (!checker.isTupleType(shape)) {
    const isShapeVariable = (shape.flags & ts.TypeFlags.TypeParameter) !== 0
    return isShapeVariable ? { text: print(shape), dims: undefined } : undefined
  }
  const dims = dimTypes(ts, checker, shape).map((d) => (d.isNumberLiteral() ? d.value : print(d)))
  const carried = carriedIn(ts, checker, type)
  return { text: `[${dims.join(', ')}]`, dims, ...(carried === undefined ? {} : { carried }) }
}

/** The verdict a tensor type carries in its dims, and which dims carry one; prints nothing (cheap on every call). */
function carriedIn(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type): ShapeInfo['carried'] {
  const shape = shapeArgument(ts, checker, type)
  if (shape === undefined || !checker.isTupleType(shape)) return undefined
  let carried: { verdict: string; dims: number[] } | undefined
  dimTypes(ts, checker, shape).forEach((d, i) => {
    const verdict = carriedVerdict(ts, checker, d)
    if (verdict !== undefined) carried = carried === undefined ? { verdict, dims: [i] } : { ...carried, dims: [...carried.dims, i] }
  })
  return carried
}

/**
 * The verdict a dim carries: the string literal of its `⛔` property (an object type such as `InvalidDim<…>`). A
 * check still deferred inside a generic block (a conditional type on the block's type parameters) carries none.
 */
function carriedVerdict(ts: TypeScript, checker: TS.TypeChecker, dim: TS.Type): string | undefined {
  if ((dim.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) === 0) return undefined
  const property = dim.getProperty(verdictMarker)
  if (property === undefined) return undefined
  // getTypeOfSymbol is public from TypeScript 5.1 on; the location form gives the same type for a property symbol
  const at = property.declarations?.[0]
  const type =
    typeof checker.getTypeOfSymbol === 'function' ? checker.getTypeOfSymbol(property) : at === undefined ? undefined : checker.getTypeOfSymbolAtLocation(property, at)
  return type?.isStringLiteral() === true && type.value !== '' ? type.value : undefined
}

/** The first call signature of a type, if it has exactly one kind of call (a layer, a block). */
function callSignature(type: TS.Type): TS.Signature | undefined {
  const signatures = type.getCallSignatures()
  return signatures.length === 0 ? undefined : signatures[0]
}

/** A short name for a stage argument: `conv2d`, `relu`, `sequential`, `(t) => …`. */
export function stageLabel(ts: TypeScript, node: TS.Expression): string {
  if (ts.isIdentifier(node)) return node.text
  if (ts.isPropertyAccessExpression(node)) return node.name.text
  if (ts.isCallExpression(node)) return stageLabel(ts, node.expression)
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return '(…) => …'
  if (ts.isParenthesizedExpression(node)) return stageLabel(ts, node.expression)
  const text = node.getText()
  return text.length > 24 ? `${text.slice(0, 23)}…` : text
}

/** Every call in a file (in source order) that may compose layers: it has at least one argument. */
function calls(ts: TypeScript, sourceFile: TS.SourceFile, span?: TS.TextSpan): TS.CallExpression[] {
  const found: TS.CallExpression[] = []
  const visit = (node: TS.Node): void => {
    if (span !== undefined && (node.end < span.start || node.getStart(sourceFile) > span.start + span.length)) return
    if (ts.isCallExpression(node) && node.arguments.length > 0) found.push(node)
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return found
}

/**
 * The stages of one call: the arguments whose parameter, in the call's resolved signature, is a function returning
 * a `Tensor`. For `pipe(x, f, g)` these are `f` and `g` (with `x` as the input of `f`); for `flow(f, g)`,
 * `residual(main, shortcut)`, `parallel(b1, b2)` every branch. The resolved signature is the one TypeScript
 * inferred, so its parameter types carry the shapes, also when the call has an error further on.
 */
export function stagesOf(ts: TypeScript, checker: TS.TypeChecker, call: TS.CallExpression): Stage[] {
  // A tensor-valued call (a layer applied to a tensor) has no stages; skip the signature work for literals.
  if (call.arguments.every((a) => ts.isLiteralExpression(a) || ts.isObjectLiteralExpression(a) || ts.isArrayLiteralExpression(a))) return []
  const signature = checker.getResolvedSignature(call)
  if (signature === undefined) return []
  const parameters = signature.getParameters()
  const stages: Stage[] = []
  call.arguments.forEach((argument, i) => {
    if (ts.isSpreadElement(argument) || i >= parameters.length) return
    const parameterType = checker.getTypeOfSymbolAtLocation(parameters[i], call)
    const layer = callSignature(parameterType)
    if (layer === undefined) return
    const output = tensorShape(ts, checker, layer.getReturnType(), call)
    if (output === undefined) return
    const first = layer.getParameters()[0]
    let firstType = first === undefined ? undefined : checker.getTypeOfSymbolAtLocation(first, call)
    // flow's first stage takes `...a: A` with A a tuple such as [x: Tensor<…>]
    if (firstType !== undefined && checker.isTupleType(firstType)) firstType = checker.getTypeArguments(firstType as TS.TypeReference)[0]
    const input = firstType === undefined ? undefined : tensorShape(ts, checker, firstType, call)
    stages.push({ call, node: argument, argumentIndex: i, label: stageLabel(ts, argument), input, output })
  })
  return stages
}

/**
 * The stages of every composition in a file, also of those that fail to type-check. When a call fails, TypeScript
 * keeps no instantiated signature for it (its fallback skips generic functions, so every stage reads `unknown`), so
 * the stages before the failing argument are resolved in a copy of the file where the call is cut just before
 * that argument: the same prefix then type-checks, and its shapes are the ones the failing stage received.
 */
export class FileStages {
  private readonly checker: TS.TypeChecker
  private readonly sourceFile: TS.SourceFile
  /** For each failing call: the index of its first failing argument. */
  private readonly failures = new Map<TS.CallExpression, number>()
  private shadow: { readonly checker: TS.TypeChecker; readonly calls: Map<number, TS.CallExpression> } | undefined
  private readonly cache = new Map<TS.CallExpression, Stage[]>()

  /**
   * The table of `sourceFile` in `program`, shared by every request on the same program (tsserver keeps one program
   * until the next edit, so diagnostics, hints and quick fixes after an edit resolve the stages once).
   */
  static of(ts: TypeScript, program: TS.Program, sourceFile: TS.SourceFile): FileStages {
    let files = fileStagesByProgram.get(program)
    if (files === undefined) fileStagesByProgram.set(program, (files = new Map()))
    let stages = files.get(sourceFile)
    if (stages === undefined) files.set(sourceFile, (stages = new FileStages(ts, program, sourceFile)))
    return stages
  }

  private constructor(
    private readonly ts: TypeScript,
    private readonly program: TS.Program,
    sourceFile: TS.SourceFile,
  ) {
    this.checker = program.getTypeChecker()
    this.sourceFile = sourceFile
    for (const d of program.getSemanticDiagnostics(sourceFile)) {
      if (d.start === undefined) continue
      const at = argumentAt(ts, sourceFile, d.start, d.start + (d.length ?? 0))
      if (at === undefined) continue
      const known = this.failures.get(at.call)
      if (known === undefined || at.index < known) this.failures.set(at.call, at.index)
    }
  }

  /** The argument index at which `call` fails to type-check, if it does. */
  failureOf(call: TS.CallExpression): number | undefined {
    return this.failures.get(call)
  }

  /** The stages of `call`: the resolved ones, or for a failing call the ones before the failing argument. */
  stages(call: TS.CallExpression): Stage[] {
    const cached = this.cache.get(call)
    if (cached !== undefined) return cached
    const failing = this.failures.get(call)
    let stages = stagesOf(this.ts, this.checker, call)
    if (failing !== undefined && !stages.some((s) => s.argumentIndex < failing && s.output !== undefined)) {
      const shadowCall = this.shadowProgram().calls.get(call.getStart(this.sourceFile))
      stages =
        shadowCall === undefined
          ? []
          : stagesOf(this.ts, this.shadowProgram().checker, shadowCall)
              .filter((s) => s.argumentIndex < failing)
              .map((s) => ({ ...s, call, node: call.arguments[s.argumentIndex] }))
    }
    this.cache.set(call, stages)
    return stages
  }

  /** A program where every failing call is cut just before its failing argument (all positions unchanged). */
  private shadowProgram(): NonNullable<FileStages['shadow']> {
    if (this.shadow !== undefined) return this.shadow
    const ts = this.ts
    const cuts = [...this.failures]
      .map(([call, index]) => ({ start: call.arguments[index].getStart(this.sourceFile), end: call.arguments[call.arguments.length - 1].end }))
      .sort((a, b) => a.start - b.start)
      .filter((c, i, all) => i === 0 || c.start >= all[i - 1].end) // nested failures: the outer cut removes the inner
    let text = this.sourceFile.text
    // Blank the cut text rather than removing it, so that every other node keeps its position.
    for (const cut of cuts) text = text.slice(0, cut.start) + text.slice(cut.start, cut.end).replace(/[^\n]/g, ' ') + text.slice(cut.end)
    const options = this.program.getCompilerOptions()
    const fileName = this.sourceFile.fileName
    const host = ts.createCompilerHost(options, true)
    const original = host.getSourceFile.bind(host)
    host.getSourceFile = (name, languageVersion, onError, shouldCreate) =>
      name === fileName ? ts.createSourceFile(name, text, languageVersion, true) : (this.program.getSourceFile(name) ?? original(name, languageVersion, onError, shouldCreate))
    const shadowProgram = ts.createProgram({ rootNames: [fileName], options, host, oldProgram: this.program })
    const shadowFile = shadowProgram.getSourceFile(fileName)
    const calls = new Map<number, TS.CallExpression>()
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node)) calls.set(node.getStart(shadowFile), node)
      ts.forEachChild(node, visit)
    }
    if (shadowFile !== undefined) visit(shadowFile)
    this.shadow = { checker: shadowProgram.getTypeChecker(), calls }
    return this.shadow
  }
}

const fileStagesByProgram = new WeakMap<TS.Program, Map<TS.SourceFile, FileStages>>()

/** The innermost call one of whose arguments contains `[start, end)`, and that argument's index. */
function argumentAt(ts: TypeScript, sourceFile: TS.SourceFile, start: number, end: number): { call: TS.CallExpression; index: number } | undefined {
  let best: { call: TS.CallExpression; index: number } | undefined
  const visit = (node: TS.Node): void => {
    if (start < node.getStart(sourceFile) || end > node.end) return
    if (ts.isCallExpression(node)) {
      const index = node.arguments.findIndex((a) => a.getStart(sourceFile) <= start && end <= a.end)
      if (index >= 0) best = { call: node, index }
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return best
}

/** An inlay hint's content before it is put into the TypeScript or protocol shape. */
export interface ShapeHint {
  readonly position: number
  readonly text: string
  readonly kind: 'stage' | 'const'
}

/** Options of the inlay hints: `stages` (default), `all` (also each `const` holding a tensor) or `off`. */
export type HintMode = 'stages' | 'all' | 'off'

/**
 * Inlay hints for a file: after each stage, the shape it produces (`→ [N, 96, 54, 54]`); with `mode: 'all'` also
 * after the name of each `const` holding a tensor (`: [N, 10]`). A branch that is itself a composition is not hinted
 * twice: when its last stage already shows the same shape just before it, only that one is kept. In a composition
 * that fails to type-check, the stages before the failing one are hinted.
 */
export function shapeHints(ts: TypeScript, program: TS.Program, fileName: string, span: TS.TextSpan | undefined, mode: HintMode): ShapeHint[] {
  if (mode === 'off') return []
  const sourceFile = program.getSourceFile(fileName)
  if (sourceFile === undefined) return []
  const checker = program.getTypeChecker()
  const file = FileStages.of(ts, program, sourceFile)
  const inSpan = (p: number) => span === undefined || (p >= span.start && p <= span.start + span.length)
  const hints: ShapeHint[] = []
  for (const call of calls(ts, sourceFile, span)) {
    for (const stage of file.stages(call)) {
      const position = stage.node.getEnd()
      if (stage.output !== undefined && inSpan(position)) hints.push({ position, text: `→ ${stage.output.text}`, kind: 'stage' })
    }
  }
  if (mode === 'all') {
    const visit = (node: TS.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.type === undefined && inSpan(node.name.getEnd())) {
        const shape = tensorShape(ts, checker, checker.getTypeAtLocation(node.name), node)
        if (shape !== undefined) hints.push({ position: node.name.getEnd(), text: `: ${shape.text}`, kind: 'const' })
      }
      ts.forEachChild(node, visit)
    }
    visit(sourceFile)
  }
  hints.sort((a, b) => a.position - b.position)
  const text = sourceFile.text
  return hints.filter((h, i) => {
    if (h.kind !== 'stage' || i === 0) return true
    const before = hints.slice(0, i).reverse().find((p) => p.kind === 'stage')
    return !(before !== undefined && before.text === h.text && /^[\s),]*$/.test(text.slice(before.position, h.position)))
  })
}

/**
 * The composition's input (the value `pipe` starts from, or the first stage's parameter) and its stages in order,
 * up to and including the argument `index` (whose shape is left out: it is the one that failed).
 */
function traceOf(ts: TypeScript, checker: TS.TypeChecker, call: TS.CallExpression, stages: readonly Stage[], index: number): TraceStep[] {
  const steps: TraceStep[] = []
  const firstIndex = stages[0]?.argumentIndex ?? index
  const start = firstIndex > 0 ? call.arguments[firstIndex - 1] : undefined
  const startShape = start === undefined ? undefined : tensorShape(ts, checker, checker.getTypeAtLocation(start), start)
  if (start !== undefined && startShape !== undefined) steps.push({ label: stageLabel(ts, start), shape: startShape, node: start })
  else if (stages[0]?.input !== undefined) steps.push({ label: 'input', shape: stages[0].input, node: stages[0].node })
  for (const s of stages) if (s.argumentIndex < index) steps.push({ label: s.label, shape: s.output, node: s.node })
  const failing = call.arguments[index]
  steps.push({ label: stageLabel(ts, failing), shape: undefined, node: failing })
  return steps
}

/**
 * Where the size a verdict reports as wrong (`… got 1600`) first appears in the trace before the failing stage: the
 * stage that produced it, or the composition's input. Undefined when the verdict names no such size or it does not
 * appear in the shape the stage received.
 */
function producerOf(verdict: string | undefined, trace: readonly TraceStep[]): TraceStep | undefined {
  const got = verdict?.match(/\bgot (\d+)\b/)
  if (got === null || got === undefined || trace.length < 2) return undefined
  const size = Number(got[1])
  const has = (step: TraceStep) => step.shape?.dims?.includes(size) === true
  let i = trace.length - 2 // the step before the failing stage: the shape it received
  if (!has(trace[i])) return undefined
  while (i > 0 && has(trace[i - 1])) i--
  return trace[i]
}

/**
 * Explains a diagnostic: its verdict, the stage it is on, the shapes before it. Undefined for errors that are neither
 * a verdict nor on a stage. Pass `file` to share its resolved stages between diagnostics of one file.
 */
export function explain(ts: TypeScript, program: TS.Program, diagnostic: TS.Diagnostic, file?: FileStages): Explanation | undefined {
  const sourceFile = diagnostic.file
  if (sourceFile === undefined || diagnostic.start === undefined) return undefined
  const verdict = findVerdict(diagnostic.messageText)
  const checker = program.getTypeChecker()
  const at = argumentAt(ts, sourceFile, diagnostic.start, diagnostic.start + (diagnostic.length ?? 0))
  if (at === undefined) return verdict === undefined ? undefined : { verdict, stage: undefined, trace: [], operands: [], producer: undefined }
  const argument = at.call.arguments[at.index]
  const isStage = checker.getTypeAtLocation(argument).getCallSignatures().length > 0
  if (isStage) {
    const stages = (file ?? FileStages.of(ts, program, sourceFile)).stages(at.call)
    const trace = traceOf(ts, checker, at.call, stages, at.index)
    const input = trace.length > 1 ? trace[trace.length - 2].shape : undefined
    const stage: Stage = { call: at.call, node: argument, argumentIndex: at.index, label: stageLabel(ts, argument), input, output: undefined }
    if (verdict === undefined && input === undefined) return undefined
    const stageNumber = at.index - (stages[0]?.argumentIndex ?? at.index) + 1
    return { verdict, stage, stageNumber, trace, operands: [], producer: producerOf(verdict, trace) }
  }
  if (verdict === undefined) return undefined
  const operands: Explanation['operands'][number][] = []
  for (const a of at.call.arguments) {
    const shape = tensorShape(ts, checker, checker.getTypeAtLocation(a), a)
    if (shape !== undefined) operands.push({ node: a, label: stageLabel(ts, a), shape })
  }
  return { verdict, stage: undefined, trace: [], operands, producer: undefined }
}

/** The shape trace as one line: `… maxPool2d → [N, 64, 5, 5] → flatten → [N, 1600] → linear`, last `keep` steps. */
export function formatTrace(trace: readonly TraceStep[], keep = 4): string {
  const shown = trace.length > keep + 1 ? trace.slice(trace.length - keep - 1) : trace
  const parts = shown.map((s) => (s.shape === undefined ? s.label : `${s.label} → ${s.shape.text}`))
  return `${trace.length > shown.length ? '… ' : ''}${parts.join(' → ')}`
}

/** A message chain node. */
const chain = (messageText: string, category: TS.DiagnosticCategory, code: number, next?: TS.DiagnosticMessageChain[]): TS.DiagnosticMessageChain => ({
  messageText,
  category,
  code,
  ...(next === undefined ? {} : { next }),
})

/** The original message as a chain (a plain string becomes a one-node chain). */
const asChain = (message: string | TS.DiagnosticMessageChain, category: TS.DiagnosticCategory, code: number): TS.DiagnosticMessageChain =>
  typeof message === 'string' ? chain(message, category, code) : message

/**
 * The first overload failure that carries the verdict: `No overload matches this call` lists every overload's
 * failure, and only one of them is shapesafe's.
 */
export function collapse(message: TS.DiagnosticMessageChain): TS.DiagnosticMessageChain {
  const next = message.next ?? []
  if (next.length < 2) return message
  const withVerdict = next.filter((n) => findVerdict(n) !== undefined)
  return withVerdict.length === 0 ? message : { ...message, next: withVerdict }
}

/**
 * A diagnostic with the verdict first: `⛔ <verdict>`, then the shape trace of the stages before it (or the shapes of
 * a merge's operands), then TypeScript's original message, collapsed to the part that carries the verdict. Related
 * information points at the stage that produced the reported size, when decidable. Diagnostics without a verdict
 * are returned as they are.
 */
export function verdictFirst(ts: TypeScript, program: TS.Program, diagnostic: TS.Diagnostic, file?: FileStages): TS.Diagnostic {
  if (findVerdict(diagnostic.messageText) === undefined) return diagnostic
  const explanation = explain(ts, program, diagnostic, file)
  if (explanation?.verdict === undefined) return diagnostic
  const { category, code } = diagnostic
  const lines: TS.DiagnosticMessageChain[] = []
  const moved = combinatorStage(ts, diagnostic, explanation.verdict)
  if (explanation.trace.length > 1) {
    const where = explanation.stage === undefined ? '' : ` (stage ${explanation.stageNumber} of ${stageLabel(ts, explanation.stage.call)})`
    lines.push(chain(`shapes${where}: ${formatTrace(explanation.trace)}`, category, code))
  } else if (explanation.operands.length > 0) {
    lines.push(chain(`shapes: ${explanation.operands.map((o) => `${o.label} ${o.shape.text}`).join(', ')}`, category, code))
  }
  lines.push(collapse(asChain(diagnostic.messageText, category, code)))
  const related: TS.DiagnosticRelatedInformation[] = [...(diagnostic.relatedInformation ?? [])]
  const producer = explanation.producer
  if (producer !== undefined && diagnostic.file !== undefined) {
    const size = explanation.verdict.match(/\bgot (\d+)\b/)?.[1]
    related.push({
      category: ts.DiagnosticCategory.Message,
      code,
      file: diagnostic.file,
      start: producer.node.getStart(diagnostic.file),
      length: producer.node.getWidth(diagnostic.file),
      messageText: `${size} comes from here: ${producer.label} → ${producer.shape?.text ?? '?'}`,
    })
  }
  if (moved !== undefined && diagnostic.file !== undefined) {
    lines.push(chain(`TypeScript reports this on the stage before (${moved.before}); the check is ${moved.label}'s`, category, code))
    const start = moved.node.getStart(diagnostic.file)
    return { ...diagnostic, start, length: moved.node.end - start, messageText: chain(`${verdictMarker} ${explanation.verdict}`, category, code, lines), relatedInformation: related }
  }
  return { ...diagnostic, messageText: chain(`${verdictMarker} ${explanation.verdict}`, category, code, lines), relatedInformation: related }
}

/** Combinators whose check sits in the parameter of the block they return (its verdict starts with their name). */
const checkingCombinators = new Set(['residual', 'parallel'])

/**
 * The stage a verdict belongs to when TypeScript reports it on the stage before: a `residual(…)` or `parallel(…)`
 * written inline in a `pipe` makes its check part of the type `pipe` infers for the previous stage's result, so the
 * error lands on that stage (or on the pipe's input). When the verdict names such a combinator, the argument it is on
 * is not one, and the next argument of the same call is, the next argument is the offending stage.
 */
function combinatorStage(ts: TypeScript, diagnostic: TS.Diagnostic, verdict: string): { node: TS.Expression; label: string; before: string } | undefined {
  const sourceFile = diagnostic.file
  if (sourceFile === undefined || diagnostic.start === undefined) return undefined
  const name = verdict.match(/^([A-Za-z0-9]+):/)?.[1]
  if (name === undefined || !checkingCombinators.has(name)) return undefined
  const at = argumentAt(ts, sourceFile, diagnostic.start, diagnostic.start + (diagnostic.length ?? 0))
  if (at === undefined) return undefined
  const argument = at.call.arguments[at.index]
  const next = at.call.arguments[at.index + 1]
  if (next === undefined || !ts.isCallExpression(next) || stageLabel(ts, next) !== name || stageLabel(ts, argument) === name) return undefined
  return { node: next, label: name, before: stageLabel(ts, argument) }
}

/**
 * The code of the diagnostic {@link unconsumedVerdicts} adds. Not one of TypeScript's (1000–9999, 17000–18999,
 * 69000s, 80000s, 90000–95999), so an editor's "ts(61001)" names shapesafe's check.
 */
export const unconsumedVerdictCode = 61001

/** What carries a verdict from where it was decided: a tensor, or a function whose result is one. */
type Carrier = 'tensor' | 'function'

/** Where a tensor that carries a verdict is produced: a stage of a composition (`pipe(x, block)`), or a call (`block(x)`). */
interface Origin {
  /** The stage argument, or the call. */
  readonly node: TS.Expression
  /** The composition the stage is in, or the call itself. */
  readonly call: TS.CallExpression
  /** The stage, when the origin is one. */
  readonly stage: Stage | undefined
  /** The block: the stage argument, or the callee. */
  readonly block: TS.Expression
  /** The shape produced, with the verdict it carries. */
  readonly output: ShapeInfo & { readonly carried: NonNullable<ShapeInfo['carried']> }
}

/** A place where such a tensor ends without any check reading it, with a few words for the message. */
interface Sink {
  readonly node: TS.Node
  readonly text: string
}

/** Node kinds an identifier has in an import or export list: a name of the binding, not a use of the value. */
const isImportOrExportName = (ts: TypeScript, node: TS.Node): boolean =>
  ts.isImportSpecifier(node) || ts.isExportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportEqualsDeclaration(node)

/**
 * Follows a tensor that carries a verdict (or a function returning one) from where it is produced to every place its
 * value reaches: variables and their uses (in any file of the program), calls it is passed to, returns and the calls
 * of the function returning it. It is reported by TypeScript when one of those places has an error (a layer, `add`,
 * `graphOf`, an annotated variable refuse the `⛔` dim); otherwise the places are the sinks where it ends unchecked.
 */
class CarriedValue {
  private readonly checker: TS.TypeChecker
  private readonly visited = new Set<TS.Node>()
  /** The places the value ends without an error, in the order found. */
  readonly sinks: Sink[] = []

  constructor(
    private readonly ts: TypeScript,
    private readonly program: TS.Program,
    private readonly errors: (file: TS.SourceFile) => readonly TS.Diagnostic[],
  ) {
    this.checker = program.getTypeChecker()
  }

  /** Whether the type of `node` carries a verdict as `kind`. */
  holds(node: TS.Node, kind: Carrier): boolean {
    return carriedBy(this.ts, this.checker, this.checker.getTypeAtLocation(node), kind) !== undefined
  }

  /**
   * Whether TypeScript has an error on `region` about the value `value` inside it: one that overlaps the region and
   * is not strictly inside the value (an error of a part of the value is about that part, not about its use).
   */
  private errorAbout(region: TS.Node, value: TS.Node): boolean {
    const file = region.getSourceFile()
    const [start, end] = [region.getStart(file), region.end]
    const [valueStart, valueEnd] = [value.getStart(file), value.end]
    return this.errors(file).some((d) => {
      const [s, e] = [d.start ?? 0, (d.start ?? 0) + (d.length ?? 0)]
      const strictlyInside = s >= valueStart && e <= valueEnd && (s > valueStart || e < valueEnd)
      return s <= end && e >= start && !strictlyInside
    })
  }

  private sink(node: TS.Node, text: string): false {
    this.sinks.push({ node, text })
    return false
  }

  /** Whether the value of `node` (a `kind`) reaches a place where TypeScript reports an error about it. */
  reaches(node: TS.Expression, kind: Carrier): boolean {
    const ts = this.ts
    if (this.visited.has(node)) return false
    this.visited.add(node)
    let value: TS.Expression = node
    for (;;) {
      const p = value.parent
      const passesOn =
        ts.isParenthesizedExpression(p) ||
        ts.isNonNullExpression(p) ||
        ts.isSatisfiesExpression(p) ||
        (ts.isConditionalExpression(p) && p.condition !== value) ||
        (ts.isBinaryExpression(p) &&
          [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.CommaToken].includes(p.operatorToken.kind) &&
          (p.operatorToken.kind !== ts.SyntaxKind.CommaToken || p.right === value)) ||
        ((ts.isAsExpression(p) || ts.isTypeAssertionExpression(p)) && this.holds(p, kind))
      if (!passesOn) break
      value = p as TS.Expression
    }
    const p = value.parent
    if (ts.isVariableDeclaration(p) && p.initializer === value) {
      if (this.errorAbout(p, value)) return true
      const kindWord = ts.isVariableDeclarationList(p.parent) ? (p.parent.flags & ts.NodeFlags.Const ? 'const' : p.parent.flags & ts.NodeFlags.Let ? 'let' : 'var') : 'const'
      const named = `${kindWord} ${p.name.getText()}`
      if (!ts.isIdentifier(p.name) || !this.holds(p.name, kind)) return this.sink(p.name, named)
      const symbol = this.checker.getSymbolAtLocation(p.name)
      const uses = symbol === undefined ? [] : this.uses(symbol, p.name.text, p.name)
      if (uses.length === 0) return this.sink(p.name, `${named}, which is never used`)
      return uses.map((u) => this.reaches(u, kind)).some((r) => r)
    }
    if (ts.isExportAssignment(p)) {
      if (this.errorAbout(p, value)) return true
      const module = this.checker.getSymbolAtLocation(p.getSourceFile())
      const exported = module === undefined ? undefined : this.checker.getExportsOfModule(module).find((s) => s.escapedName === 'default')
      const uses = exported === undefined ? [] : this.uses(exported, undefined, undefined)
      if (uses.length === 0) return this.sink(p, 'export default, which no file uses')
      return uses.map((u) => this.reaches(u, kind)).some((r) => r)
    }
    if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === value)) {
      if (this.errorAbout(p, value)) return true
      let fn: TS.Node | undefined = p
      while (fn !== undefined && !ts.isFunctionLike(fn)) fn = fn.parent
      if (kind !== 'tensor' || fn === undefined) return this.sink(p, 'a return')
      return this.functionReaches(fn as TS.SignatureDeclaration)
    }
    if (ts.isCallExpression(p) || ts.isNewExpression(p)) {
      const calleeText = p.expression.getText()
      const callee = calleeText.length > 30 ? stageLabel(ts, p.expression) : calleeText
      if (p.expression === value) return kind === 'function' && this.holds(p, 'tensor') ? this.reaches(p, 'tensor') : this.sink(p, `a call of ${callee}`)
      if (this.errorAbout(p, value)) return true
      if (this.holds(p, 'tensor')) return this.reaches(p, 'tensor')
      if (this.holds(p, 'function')) return this.reaches(p, 'function')
      return this.sink(value, `an argument of ${callee}, which does not check shapes`)
    }
    if (this.errorAbout(p, value)) return true
    if (ts.isExpressionStatement(p)) return this.sink(value, 'an expression statement, which drops it')
    if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.initializer === value)
      return this.sink(p.name, `the property ${p.name.getText()} of ${ts.isPropertyDeclaration(p) ? 'a class' : 'an object literal'}`)
    if (ts.isPropertyAccessExpression(p) && p.expression === value) return this.sink(p, `a read of its .${p.name.text}`)
    if (ts.isAsExpression(p) || ts.isTypeAssertionExpression(p)) return this.sink(p, 'a type assertion to a type without it')
    if (ts.isArrayLiteralExpression(p)) return this.sink(value, 'an array')
    const text = p.getText()
    return this.sink(value, `an expression (${text.length > 40 ? `${text.slice(0, 39)}…` : text})`)
  }

  /** Whether the result of a function that returns the value reaches an error: through the calls of the function. */
  private functionReaches(fn: TS.SignatureDeclaration): boolean {
    const ts = this.ts
    const signature = this.checker.getSignatureFromDeclaration(fn)
    const name = fn.name !== undefined && ts.isIdentifier(fn.name) ? fn.name.text : undefined
    // A declared return type that does not carry the verdict has silently widened it (an error there was seen above).
    if (signature === undefined || carriedBy(ts, this.checker, signature.getReturnType(), 'tensor') === undefined) return this.sink(fn, `the result of ${name ?? 'a function'}, whose declared type drops it`)
    if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) return this.reaches(fn, 'function')
    if (!ts.isFunctionDeclaration(fn) || fn.name === undefined) return this.sink(fn, `the result of ${name ?? 'a function'}`)
    const symbol = this.checker.getSymbolAtLocation(fn.name)
    const uses = symbol === undefined ? [] : this.uses(symbol, fn.name.text, fn.name)
    if (uses.length === 0) return this.sink(fn.name, `the result of ${fn.name.text}, which is never called`)
    return uses.map((u) => this.reaches(u, 'function')).some((r) => r)
  }

  /**
   * The identifiers that use `symbol`'s value, in the program's own files (not in declaration files or libraries):
   * those named `name` (undefined: any name, for a default export imported under another), except `declaration`
   * and the names in import and export lists (a use through an import resolves to the same symbol).
   */
  private uses(symbol: TS.Symbol, name: string | undefined, declaration: TS.Identifier | undefined): TS.Identifier[] {
    const ts = this.ts
    const checker = this.checker
    const resolve = (s: TS.Symbol | undefined) => (s !== undefined && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s)
    const target = resolve(symbol)
    // Other files can use only what the declaring module exports.
    const home = declaration?.getSourceFile()
    const module = home === undefined ? undefined : checker.getSymbolAtLocation(home)
    const exported = home === undefined || (module !== undefined && checker.getExportsOfModule(module).some((e) => resolve(e) === target))
    const found: TS.Identifier[] = []
    for (const file of exported ? this.program.getSourceFiles() : [home]) {
      if (file.isDeclarationFile || this.program.isSourceFileFromExternalLibrary(file)) continue
      if (name !== undefined && !file.text.includes(name)) continue
      const visit = (node: TS.Node): void => {
        if (ts.isIdentifier(node) && node !== declaration && (name === undefined || node.text === name) && !isImportOrExportName(ts, node.parent)) {
          const parent = node.parent
          const own = ts.isShorthandPropertyAssignment(parent) && parent.name === node ? checker.getShorthandAssignmentValueSymbol(parent) : checker.getSymbolAtLocation(node)
          if (own !== undefined && resolve(own) === target) found.push(node)
        }
        ts.forEachChild(node, visit)
      }
      visit(file)
    }
    return found
  }
}

/** The verdict a type carries as `kind`: a tensor with a `⛔` dim, or a function whose result is one. */
function carriedBy(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type, kind: Carrier): string | undefined {
  if (kind === 'tensor') return carriedIn(ts, checker, type)?.verdict
  for (const signature of type.getCallSignatures()) {
    const verdict = carriedIn(ts, checker, signature.getReturnType())?.verdict
    if (verdict !== undefined) return verdict
  }
  return undefined
}

/**
 * Whether a function's result carries a verdict because of what it is applied to (a generic block, a composed
 * block from a library), rather than because of a tensor its own body produces (that one is followed from the body).
 */
function decidedWhereApplied(ts: TypeScript, checker: TS.TypeChecker, signature: TS.Signature | undefined): boolean {
  const declaration = signature?.getDeclaration()
  if (declaration === undefined) return true
  const hasBody = (ts.isFunctionDeclaration(declaration) || ts.isFunctionExpression(declaration) || ts.isArrowFunction(declaration) || ts.isMethodDeclaration(declaration)) && declaration.body !== undefined
  if (!hasBody) return true
  const declared = checker.getSignatureFromDeclaration(declaration)
  return declared === undefined || carriedBy(ts, checker, declared.getReturnType(), 'tensor') === undefined
}

/**
 * The argument index of the first stage of `call` whose result carries a verdict its input does not, if any, and
 * whether any stage's result carries one. Read from the resolved signature as {@link stagesOf} does, but without
 * printing a shape: this runs on every call of a file.
 */
function carryingStage(ts: TypeScript, checker: TS.TypeChecker, call: TS.CallExpression): { readonly first: number | undefined; readonly any: boolean } {
  const none = { first: undefined, any: false }
  if (call.arguments.every((a) => ts.isLiteralExpression(a) || ts.isObjectLiteralExpression(a) || ts.isArrayLiteralExpression(a))) return none
  const parameters = checker.getResolvedSignature(call)?.getParameters()
  if (parameters === undefined) return none
  let any = false
  for (const [i, argument] of call.arguments.entries()) {
    if (ts.isSpreadElement(argument) || i >= parameters.length) continue
    const layer = callSignature(checker.getTypeOfSymbolAtLocation(parameters[i], call))
    if (layer === undefined || carriedIn(ts, checker, layer.getReturnType()) === undefined) continue
    any = true
    const first = layer.getParameters()[0]
    let input = first === undefined ? undefined : checker.getTypeOfSymbolAtLocation(first, call)
    if (input !== undefined && checker.isTupleType(input)) input = checker.getTypeArguments(input as TS.TypeReference)[0]
    if (input === undefined || carriedIn(ts, checker, input) === undefined) return { first: i, any }
  }
  return { first: undefined, any }
}

/** Where a tensor carrying a verdict is produced in `call`, if it is produced there. */
function originIn(ts: TypeScript, checker: TS.TypeChecker, file: FileStages, call: TS.CallExpression): Origin | undefined {
  const type = checker.getTypeAtLocation(call)
  // A composition that gives a function (flow, residual, a block factory) produces no tensor: its applications do.
  if (type.getCallSignatures().length > 0) return undefined
  const carrying = carryingStage(ts, checker, call)
  if (carrying.first !== undefined) {
    const stage = file.stages(call).find((s) => s.argumentIndex === carrying.first)
    if (stage?.output?.carried === undefined) return undefined
    const own = checker.getTypeAtLocation(stage.node).getCallSignatures()[0]
    if (!decidedWhereApplied(ts, checker, own)) return undefined
    return { node: stage.node, call, stage, block: stage.node, output: stage.output as Origin['output'] }
  }
  if (carrying.any || carriedIn(ts, checker, type) === undefined) return undefined
  if (call.arguments.some((a) => carriedBy(ts, checker, checker.getTypeAtLocation(a), 'tensor') !== undefined || carriedBy(ts, checker, checker.getTypeAtLocation(a), 'function') !== undefined)) return undefined
  if (!decidedWhereApplied(ts, checker, checker.getResolvedSignature(call))) return undefined
  const output = tensorShape(ts, checker, type, call)
  if (output?.carried === undefined) return undefined
  return { node: call, call, stage: undefined, block: call.expression, output: output as Origin['output'] }
}

/** A shape with each dim that carries a verdict shown as `⛔` (the verdict is the diagnostic's first line). */
const withMarkers = (shape: ShapeInfo): string =>
  shape.dims === undefined || shape.carried === undefined ? shape.text : `[${shape.dims.map((d, i) => (shape.carried!.dims.includes(i) ? verdictMarker : d)).join(', ')}]`

/**
 * Where the block that decided the verdict is written, when it is in the program's own files: the layer inside it
 * that the verdict names (`linear: …` → its one `linear(…)` call), else its declaration.
 */
function blockLocation(ts: TypeScript, program: TS.Program, origin: Origin): { readonly node: TS.Node; readonly text: string } | undefined {
  const checker = program.getTypeChecker()
  let name: TS.Node = origin.block
  while (ts.isCallExpression(name) || ts.isParenthesizedExpression(name)) name = name.expression
  if (ts.isPropertyAccessExpression(name)) name = name.name
  if (!ts.isIdentifier(name)) return undefined
  let symbol = checker.getSymbolAtLocation(name)
  if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0]
  const file = declaration?.getSourceFile()
  if (declaration === undefined || file === undefined || file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) return undefined
  const label = name.text
  const layer = /^(\w+):/.exec(origin.output.carried.verdict)?.[1]
  const layers: TS.CallExpression[] = []
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && layer !== undefined && calleeName(ts, checker, node) === layer) layers.push(node)
    ts.forEachChild(node, visit)
  }
  visit(declaration)
  // several such layers: the one whose options name a size the verdict names (`in: 256` for `expected 256 …`)
  const numbers = origin.output.carried.verdict.match(/\d+/g) ?? []
  const named = layers.filter((l) => l.arguments.some((a) => numbers.some((n) => new RegExp(`\\b${n}\\b`).test(a.getText()))))
  if (layers.length > 1 && named.length === 1) layers.splice(0, layers.length, named[0])
  if (layers.length === 1) return { node: layers[0], text: `the check is this ${layer} inside ${label}, decided where ${label} is applied` }
  const at = ts.isVariableDeclaration(declaration) || ts.isFunctionDeclaration(declaration) ? (declaration.name ?? declaration) : declaration
  return { node: at, text: `${label} is written here; its check is decided where it is applied` }
}

const unconsumedByFile = new WeakMap<FileStages, TS.Diagnostic[]>()

/**
 * Whether errors on the line of `node` are suppressed by a `@ts-expect-error` or `@ts-ignore` comment on the line
 * before it (TypeScript then drops the error of the call the tensor comes from, and the author expects one there).
 */
function suppressed(sourceFile: TS.SourceFile, node: TS.Node): boolean {
  const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line
  if (line === 0) return false
  const starts = sourceFile.getLineStarts()
  const previous = sourceFile.text.slice(starts[line - 1], starts[line])
  return /^\s*(\/\/|\/\*).*@ts-(expect-error|ignore)\b/.test(previous)
}

/**
 * Diagnostics for tensors that carry a verdict no check reads. A check a reusable block cannot decide inside itself
 * (a `flow` head's `linear({ in })`, a `conv2d({ in })` in a generic function, an `add` of sizes with no common base)
 * is carried in the result's type as a `⛔` dim, and TypeScript reports it where the tensor is used next (a layer,
 * `add`, `concat`, `graphOf`, `trace`, an annotated variable). A tensor that is used nowhere that checks it (the last
 * stage of a `pipe` in a `const` alone, a returned value whose function's result goes unchecked, an argument of
 * `console.log`) compiles silently; for each such tensor this gives one error, at the stage or call that produced
 * it, with the verdict first, the shapes before it, and related locations: the check inside the block, and where the
 * tensor ends. A tensor that reaches a place with a TypeScript error gets none (TypeScript reports it there).
 */
export function unconsumedVerdicts(ts: TypeScript, program: TS.Program, sourceFile: TS.SourceFile, file = FileStages.of(ts, program, sourceFile)): TS.Diagnostic[] {
  const cached = unconsumedByFile.get(file)
  if (cached !== undefined) return cached
  const checker = program.getTypeChecker()
  const errorsByFile = new Map<TS.SourceFile, readonly TS.Diagnostic[]>()
  const errors = (f: TS.SourceFile) => {
    let found = errorsByFile.get(f)
    if (found === undefined) errorsByFile.set(f, (found = program.getSemanticDiagnostics(f).filter((d) => d.category === ts.DiagnosticCategory.Error && d.start !== undefined)))
    return found
  }
  const diagnostics: TS.Diagnostic[] = []
  for (const call of calls(ts, sourceFile)) {
    if (file.failureOf(call) !== undefined) continue // TypeScript reports this call
    const origin = originIn(ts, checker, file, call)
    if (origin === undefined || suppressed(sourceFile, origin.node)) continue
    const value = new CarriedValue(ts, program, errors)
    // A stage's tensor goes on into the composition's result (or into a later stage, which takes it unchecked)
    const reported = origin.stage === undefined || value.holds(call, 'tensor') ? value.reaches(call, 'tensor') : false
    if (reported) continue
    const sink = value.sinks[0] ?? { node: call, text: origin.stage === undefined ? 'an unchecked use' : `a later stage of ${stageLabel(ts, call)}, which does not check shapes` }
    diagnostics.push(unconsumedDiagnostic(ts, program, sourceFile, file, origin, sink))
  }
  unconsumedByFile.set(file, diagnostics)
  return diagnostics
}

function unconsumedDiagnostic(ts: TypeScript, program: TS.Program, sourceFile: TS.SourceFile, file: FileStages, origin: Origin, sink: Sink): TS.Diagnostic {
  const checker = program.getTypeChecker()
  const category = ts.DiagnosticCategory.Error
  const code = unconsumedVerdictCode
  const label = stageLabel(ts, origin.block)
  const { verdict } = origin.output.carried
  const produced = withMarkers(origin.output)
  let shapes: string
  if (origin.stage !== undefined) {
    const stages = file.stages(origin.call)
    const trace = traceOf(ts, checker, origin.call, stages, origin.stage.argumentIndex)
    const number = origin.stage.argumentIndex - (stages[0]?.argumentIndex ?? origin.stage.argumentIndex) + 1
    shapes = `shapes (stage ${number} of ${stageLabel(ts, origin.call)}): ${formatTrace(trace)} → ${produced}`
  } else {
    const operands = origin.call.arguments.flatMap((a) => {
      const shape = tensorShape(ts, checker, checker.getTypeAtLocation(a), a)
      return shape === undefined ? [] : [`${stageLabel(ts, a)} ${shape.text}`]
    })
    shapes = `shapes: ${operands.length === 0 ? '' : `${operands.join(', ')} → `}${label} → ${produced}`
  }
  const lines = [
    chain(shapes, category, code),
    chain(
      `${label} cannot decide this check inside itself and carries it in its result, which TypeScript reports only where a layer, add, concat, graphOf or trace takes the tensor: this one ends in ${sink.text}.`,
      category,
      code,
    ),
  ]
  const related: TS.DiagnosticRelatedInformation[] = []
  const block = blockLocation(ts, program, origin)
  const at = (node: TS.Node, messageText: string): TS.DiagnosticRelatedInformation => {
    const f = node.getSourceFile()
    return { category: ts.DiagnosticCategory.Message, code, file: f, start: node.getStart(f), length: node.getWidth(f), messageText }
  }
  if (block !== undefined) related.push(at(block.node, block.text))
  if (sink.node.getSourceFile() !== sourceFile || sink.node.getStart() !== origin.node.getStart()) related.push(at(sink.node, `the tensor ends here without a shape check: ${sink.text}`))
  return {
    category,
    code,
    file: sourceFile,
    start: origin.node.getStart(sourceFile),
    length: origin.node.getWidth(sourceFile),
    messageText: chain(`${verdictMarker} ${verdict}`, category, code, lines),
    relatedInformation: related,
    source: 'shapesafe',
  }
}

/** A text edit of a quick fix. */
export interface ShapeFix {
  /** What the fix does: `Set in to 1600 (the incoming size)`. */
  readonly description: string
  readonly fixName: string
  readonly changes: readonly { readonly start: number; readonly length: number; readonly newText: string }[]
}

/** The object-literal property `name` of a layer call's first argument, when its value is a number literal. */
function numberOption(ts: TypeScript, call: TS.CallExpression, names: readonly string[]): TS.PropertyAssignment | undefined {
  const options = call.arguments[0]
  if (options === undefined || !ts.isObjectLiteralExpression(options)) return undefined
  return options.properties.find(
    (p): p is TS.PropertyAssignment =>
      ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && names.includes(p.name.text) && ts.isNumericLiteral(p.initializer),
  )
}

/** The name of the function a callee resolves to (through imports): `linear`. */
function calleeName(ts: TypeScript, checker: TS.TypeChecker, call: TS.CallExpression): string | undefined {
  const callee = call.expression
  const target = ts.isPropertyAccessExpression(callee) ? callee.name : callee
  let symbol = checker.getSymbolAtLocation(target)
  if (symbol === undefined) return undefined
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
  return symbol.name
}

/**
 * Quick fixes that are certain, for a diagnostic on a stage:
 * - a layer whose `in` / `features` option is a number literal that differs from the size it receives (dim 1 of its
 *   input, concrete): set the option to that size;
 * - a `linear` that receives a 4-D tensor: insert `flatten` before it (and import it), when `in` is absent or equals
 *   C·H·W.
 */
export function shapeFixes(ts: TypeScript, program: TS.Program, diagnostic: TS.Diagnostic, file?: FileStages): ShapeFix[] {
  const explanation = explain(ts, program, diagnostic, file)
  const stage = explanation?.stage
  const sourceFile = diagnostic.file
  if (stage === undefined || sourceFile === undefined || !ts.isCallExpression(stage.node)) return []
  const checker = program.getTypeChecker()
  const layer = stage.node
  const incoming = stage.input?.dims
  if (incoming === undefined) return []
  const fixes: ShapeFix[] = []
  const size = incoming[1]
  const option = numberOption(ts, layer, ['in', 'features'])
  const isLinear = calleeName(ts, checker, layer) === 'linear'
  const sizeIsDim1 = !isLinear || incoming.length === 2 // a 4-D input to linear needs flatten, not another `in`
  if (explanation?.verdict !== undefined && option !== undefined && sizeIsDim1 && typeof size === 'number' && Number(option.initializer.getText(sourceFile)) !== size) {
    const name = (option.name as TS.Identifier).text
    fixes.push({
      fixName: 'shapesafeSetSize',
      description: `Set ${name} to ${size} (the incoming size)`,
      changes: [{ start: option.initializer.getStart(sourceFile), length: option.initializer.getWidth(sourceFile), newText: String(size) }],
    })
  }
  if (isLinear && incoming.length === 4 && stage.call.arguments.length < 20) {
    const [, c, h, w] = incoming
    const features = typeof c === 'number' && typeof h === 'number' && typeof w === 'number' ? c * h * w : undefined
    const declared = numberOption(ts, layer, ['in'])
    const fits = declared === undefined || (features !== undefined && Number(declared.initializer.getText(sourceFile)) === features)
    if (fits) {
      fixes.push({
        fixName: 'shapesafeInsertFlatten',
        description: 'Insert flatten before linear',
        changes: [{ start: layer.getStart(sourceFile), length: 0, newText: 'flatten, ' }, ...importFlatten(ts, checker, sourceFile, layer)],
      })
    }
  }
  return fixes
}

/** An edit adding `flatten` to the import that brings `linear` into the file, unless `flatten` is already in scope. */
function importFlatten(ts: TypeScript, checker: TS.TypeChecker, sourceFile: TS.SourceFile, layer: TS.CallExpression): ShapeFix['changes'] {
  if (checker.getSymbolsInScope(layer, ts.SymbolFlags.Value).some((s) => s.name === 'flatten')) return []
  const callee = layer.expression
  if (!ts.isIdentifier(callee)) return []
  const declaration = checker.getSymbolAtLocation(callee)?.declarations?.[0]
  if (declaration === undefined || !ts.isImportSpecifier(declaration)) return []
  const elements = declaration.parent.elements
  const last = elements[elements.length - 1]
  return [{ start: last.end, length: 0, newText: ', flatten' }]
}
