// Types of scripts/error-gallery.mjs, for tests/docs.test.ts.

/** A fenced block of a markdown text, with offsets into the text. */
export interface FencedBlock {
  lang: string
  flags: string[]
  body: string
  start: number
  end: number
  bodyStart: number
  bodyEnd: number
}

/** A ```ts block of a markdown file and, after compiling, its formatted diagnostics ('' when it compiles). */
export interface Snippet {
  file: string
  index: number
  code: string
  error: boolean
  line: number
  next: FencedBlock | undefined
  path?: string
  diagnostics: string
  /** Set for a TSDoc `@example` block of src/ (with its first line of code); unset for markdown blocks. */
  example?: boolean
  first?: string
  /** The types the block shows (hovers, `// Tensor<…>` comments) and the compiler's, after compiling. */
  hovers?: ShownType[]
}

/** A type a snippet shows for a value, at a 1-based line of the snippet, and the type the compiler gives it. */
export interface ShownType {
  line: number
  shown: string
  actual: string
}

/** A gallery fixture and its formatted diagnostics. */
export interface Fixture {
  file: string
  title: string
  prose: string
  code: string
  headerLines: number
  output: string
}

/** Result of {@link compileAll}. */
export interface Compiled {
  fixtures: Fixture[]
  snippets: Snippet[]
}

export const root: string
export const galleryDir: string
export const galleryFile: string
export function markdownFiles(): string[]
export function fencedBlocks(text: string): FencedBlock[]
export function tsSnippets(file: string): Snippet[]
export function exampleSnippets(names?: Map<string, string>): Snippet[]
export function readFixture(file: string): Fixture
export function fixtureFiles(): string[]
export function compileAll(): Compiled
export function shownTypes(sourceFile: import('typescript').SourceFile, checker: import('typescript').TypeChecker): ShownType[]
export function renderGallery(fixtures: Fixture[]): string
export function renderMarkdown(file: string, snippets: Snippet[]): string
export function expectedFiles(compiled?: Compiled): Map<string, string>
