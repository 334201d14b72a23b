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
 * it (`linear: expected 2304 input features, got 1600`).
 */
export function findVerdict(message: string | TS.DiagnosticMessageChain): string | undefined {
  for (const text of messageTexts(message)) {
    const at = text.indexOf(verdictMarker)
    if (at < 0) continue
    const rest = text.slice(at + verdictMarker.length).trimStart()
    const end = rest.search(/["'`]/)
    const verdict = (end < 0 ? rest : rest.slice(0, end)).trim()
    if (verdict !== '') return verdict
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

function computeTensorShape(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type, at?: TS.Node): ShapeInfo | undefined {
  const tensor = tensorType(ts, type)
  if (tensor === undefined) return undefined
  const args = tensor.aliasSymbol !== undefined ? tensor.aliasTypeArguments ?? [] : checker.getTypeArguments(tensor as TS.TypeReference)
  if (args.length !== 1) return undefined
  let shape = args[0]
  // NoInfer<[…]> prints as such; show the shape it wraps.
  if (shape.flags & ts.TypeFlags.Substitution) shape = (shape as TS.SubstitutionType).baseType
  const print = (t: TS.Type) => checker.typeToString(t, at, typeFormat(ts))
  if (!checker.isTupleType(shape)) {
    const isShapeVariable = (shape.flags & ts.TypeFlags.TypeParameter) !== 0
    return isShapeVariable ? { text: print(shape), dims: undefined } : undefined
  }
  const dims = checker.getTypeArguments(shape as TS.TypeReference).map((d) => {
    const inner = d.flags & ts.TypeFlags.Substitution ? (d as TS.SubstitutionType).baseType : d
    return inner.isNumberLiteral() ? inner.value : print(inner)
  })
  return { text: `[${dims.join(', ')}]`, dims }
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
  return { ...diagnostic, messageText: chain(`${verdictMarker} ${explanation.verdict}`, category, code, lines), relatedInformation: related }
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
