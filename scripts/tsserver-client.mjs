// A minimal client of TypeScript's tsserver protocol, for the editor plugin's tests (tests/editor.test.ts), the
// "In your editor" guide (scripts/editor-doc.mjs) and the plugin's latency benchmark (bench/editor.mjs).
//
// It spawns node_modules/typescript/lib/tsserver.js as an editor does and talks JSON over stdio. Plugins named in a
// project's tsconfig.json are resolved from that project's node_modules (--allowLocalPluginLoads), the way they are
// found when an editor runs the workspace's TypeScript.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** The fixture project of the editor tests: a user's project with `shapesafe` installed (a symlink to this package). */
export const fixtureDir = path.join(root, 'tests', 'fixtures', 'editor')

/** Links `tests/fixtures/editor/node_modules/shapesafe` to this package (as `npm install shapesafe` would place it). */
export function linkFixturePackage() {
  const modules = path.join(fixtureDir, 'node_modules')
  const link = path.join(modules, 'shapesafe')
  fs.mkdirSync(modules, { recursive: true })
  if (!fs.existsSync(link)) fs.symlinkSync(path.relative(modules, root), link, 'dir')
  if (!fs.existsSync(path.join(root, 'dist', 'editor', 'plugin.cjs'))) throw new Error('dist/editor/plugin.cjs is missing: run `npm run build` first')
}

/**
 * Starts tsserver. `args` are extra command-line flags (e.g. `--globalPlugins`). Returns a client whose `request`
 * sends one request and resolves with its response body.
 */
export function startServer(args = []) {
  const tsserver = path.join(root, 'node_modules', 'typescript', 'lib', 'tsserver.js')
  const child = spawn(process.execPath, [tsserver, '--disableAutomaticTypingAcquisition', '--allowLocalPluginLoads', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let seq = 0
  const pending = new Map()
  let buffer = Buffer.alloc(0)
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk])
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n')
      if (headerEnd < 0) return
      const length = Number(/Content-Length: (\d+)/.exec(buffer.subarray(0, headerEnd).toString('utf8'))?.[1])
      if (buffer.length < headerEnd + 4 + length) return
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'))
      buffer = buffer.subarray(headerEnd + 4 + length)
      if (message.type === 'response' && pending.has(message.request_seq)) {
        const { resolve, reject } = pending.get(message.request_seq)
        pending.delete(message.request_seq)
        if (message.success) resolve(message.body)
        else reject(new Error(`tsserver ${message.command}: ${message.message}`))
      }
    }
  })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  child.on('exit', (code) => {
    for (const { reject } of pending.values()) reject(new Error(`tsserver exited (${code}): ${stderr}`))
    pending.clear()
  })
  return {
    /** Sends a request; resolves with the response body. */
    request(command, args) {
      seq += 1
      const message = { seq, type: 'request', command, arguments: args }
      return new Promise((resolve, reject) => {
        pending.set(seq, { resolve, reject })
        child.stdin.write(`${JSON.stringify(message)}\n`)
      })
    },
    /** Opens a file (its project is found from the tsconfig.json next to or above it). */
    open(file) {
      this.request('open', { file, scriptKindName: 'TS' }).catch(() => {})
      // `open` has no response; a following request is answered after it.
      return this.request('projectInfo', { file, needFileNameList: false })
    },
    /** Stops the server. */
    close() {
      child.stdin.end()
      child.kill()
    },
  }
}

/** A 1-based protocol location `{ line, offset }` → offset in `text`. */
export function offsetOf(text, location) {
  const lines = text.split('\n')
  let at = 0
  for (let i = 0; i < location.line - 1; i++) at += lines[i].length + 1
  return at + location.offset - 1
}

/** `text` with each inlay hint inserted at its position (as an editor draws them). */
export function renderHints(text, hints) {
  const sorted = [...hints].sort((a, b) => offsetOf(text, b.position) - offsetOf(text, a.position))
  let out = text
  for (const h of sorted) {
    const at = offsetOf(text, h.position)
    out = `${out.slice(0, at)}${h.whitespaceBefore ? ' ' : ''}${h.text}${h.whitespaceAfter ? ' ' : ''}${out.slice(at)}`
  }
  return out
}

/** `text` with a code fix's text changes applied. */
export function applyChanges(text, textChanges) {
  const sorted = [...textChanges].sort((a, b) => offsetOf(text, b.start) - offsetOf(text, a.start))
  let out = text
  for (const c of sorted) out = `${out.slice(0, offsetOf(text, c.start))}${c.newText}${out.slice(offsetOf(text, c.end))}`
  return out
}
