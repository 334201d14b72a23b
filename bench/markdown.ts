/**
 * Editing the benchmark report (docs/benchmarks.md) section by section.
 * @module
 */

/**
 * Replaces (or appends) the section starting with `## <title>` in a markdown document, up to the next `## ` heading.
 * @example
 * ```ts
 * replaceSection('# B\n\n## Runtime\nold\n## Other\n', 'Runtime', '## Runtime\nnew\n') // '# B\n\n## Runtime\nnew\n\n## Other\n'
 * ```
 */
export function replaceSection(doc: string, title: string, section: string): string {
  const heading = `## ${title}`
  const start = doc.split('\n').findIndex((l) => l.trim() === heading)
  const body = section.endsWith('\n') ? section : `${section}\n`
  if (start < 0) return `${doc.trimEnd()}\n\n${body}`
  const lines = doc.split('\n')
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '))
  if (end < 0) end = lines.length
  const before = lines.slice(0, start).join('\n')
  const after = lines.slice(end).join('\n')
  return `${before}${before === '' ? '' : '\n'}${body}${after === '' ? '' : `\n${after}`}`
}
