// Renders the signatures in typedoc's JSON output (`typedoc --json api.json`) as the reference pages print them:
// a named type is printed by name (the page links to it), an inline type is printed in full. Used by
// tests/apiDocs.test.ts to hold every public function's signature to a readable length, and by hand:
//   node scripts/api-signatures.mjs api.json [--over 200]
import fs from 'node:fs'

/** The text typedoc prints for a type in its JSON form. */
export function typeText(t) {
  if (t === undefined) return 'unknown'
  switch (t.type) {
    case 'intrinsic':
      return t.name
    case 'literal':
      return t.value === null ? 'null' : typeof t.value === 'object' ? `${t.value.negative ? '-' : ''}${t.value.value}n` : JSON.stringify(t.value)
    case 'reference':
      return t.name + (t.typeArguments?.length ? `<${t.typeArguments.map(typeText).join(', ')}>` : '')
    case 'union':
      return t.types.map(typeText).join(' | ')
    case 'intersection':
      return t.types.map(typeText).join(' & ')
    case 'array':
      return `${typeText(t.elementType)}[]`
    case 'tuple':
      return `[${(t.elements ?? []).map(typeText).join(', ')}]`
    case 'namedTupleMember':
      return `${t.name}${t.isOptional ? '?' : ''}: ${typeText(t.element)}`
    case 'optional':
      return `${typeText(t.elementType)}?`
    case 'rest':
      return `...${typeText(t.elementType)}`
    case 'typeOperator':
      return `${t.operator} ${typeText(t.target)}`
    case 'indexedAccess':
      return `${typeText(t.objectType)}[${typeText(t.indexType)}]`
    case 'query':
      return `typeof ${typeText(t.queryType)}`
    case 'predicate':
      return `${t.asserts ? 'asserts ' : ''}${t.name}${t.targetType ? ` is ${typeText(t.targetType)}` : ''}`
    case 'templateLiteral':
      return '`' + t.head + t.tail.map(([ty, s]) => '${' + typeText(ty) + '}' + s).join('') + '`'
    case 'conditional':
      return `${typeText(t.checkType)} extends ${typeText(t.extendsType)} ? ${typeText(t.trueType)} : ${typeText(t.falseType)}`
    case 'inferred':
      return `infer ${t.name}`
    case 'mapped':
      return `{ [${t.parameter} in ${typeText(t.parameterType)}]: ${typeText(t.templateType)} }`
    case 'reflection': {
      const d = t.declaration
      if (d.signatures?.length) return d.signatures.map((s) => signatureText(s, ' => ')).join(' & ')
      const members = (d.children ?? []).map((c) => `${c.flags?.isReadonly ? 'readonly ' : ''}${c.name}${c.flags?.isOptional ? '?' : ''}: ${typeText(c.type)}`)
      return `{ ${members.join('; ')} }`
    }
    case 'unknown':
      return t.name
    default:
      return t.name ?? t.type
  }
}

/** `name<T extends …>(a: A, b?: B): R` as the page shows it. */
export function signatureText(sig, arrow = ': ', name = '') {
  const tps = sig.typeParameters?.length
    ? `<${sig.typeParameters.map((p) => `${p.flags?.isConst ? 'const ' : ''}${p.name}${p.type ? ` extends ${typeText(p.type)}` : ''}${p.default ? ` = ${typeText(p.default)}` : ''}`).join(', ')}>`
    : ''
  const params = (sig.parameters ?? []).map((p) => `${p.flags?.isRest ? '...' : ''}${p.name}${p.flags?.isOptional || p.defaultValue !== undefined ? '?' : ''}: ${typeText(p.type)}`)
  return `${name}${tps}(${params.join(', ')})${arrow}${typeText(sig.type)}`
}

const KIND_MODULE = 2
const KIND_FUNCTION = 64
const KIND_VARIABLE = 32

/** Every exported declaration of every entry point: `{ module, name, kind, categories, comment, signatures }`. */
export function exportsOf(project) {
  const modules = project.children?.some((c) => c.kind === KIND_MODULE) ? project.children.filter((c) => c.kind === KIND_MODULE) : [project]
  const out = []
  for (const mod of modules) {
    for (const child of mod.children ?? []) {
      out.push({ module: mod.name, ...child })
    }
  }
  return out
}

/** The rendered signatures of the public functions (and of variables whose type is a call signature). */
export function functionSignatures(project) {
  const rows = []
  for (const e of exportsOf(project)) {
    if (e.kind === KIND_FUNCTION) {
      for (const s of e.signatures ?? []) rows.push({ module: e.module, name: e.name, text: signatureText(s, ': ', e.name) })
    }
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? 'api.json'
  const over = Number(process.argv[process.argv.indexOf('--over') + 1] ?? 0) || 0
  const project = JSON.parse(fs.readFileSync(file, 'utf8'))
  const rows = functionSignatures(project).filter((r) => r.text.length > over).sort((a, b) => b.text.length - a.text.length)
  for (const r of rows) console.log(`${String(r.text.length).padStart(5)}  ${r.module} ${r.text}`)
}
