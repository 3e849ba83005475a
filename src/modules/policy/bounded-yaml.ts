// Reading YAML someone hands Vow (a policy pasted into the console, `vow policy check`, a policy or
// dataset annotation file) at a cost bounded by its size. The yaml library composes nested
// collections recursively and counts on catching the stack overflow of a deep one; 2 KB of `[`
// (1,000 levels) ran the stack out, and near its end V8 can fail compiling a regular expression,
// which aborts the whole process ("RegExpCompiler Allocation failed"): one paste took Vow down.
// Its duplicate-key check compares each key of a map with every earlier one: one map of 20,000
// keys (330 KB) cost 13 s. Here the file is lexed and parsed (iteratively) with the parser's nesting
// watched, refused past MAX_YAML_DEPTH levels before anything recurses; keys are checked for
// duplicates in one pass with a set per map.
import {
  Composer,
  type CST,
  type Document,
  isCollection,
  isMap,
  isPair,
  isScalar,
  Lexer,
  type LineCounter,
  Parser,
  YAMLParseError,
} from 'yaml';

/** The deepest nesting of maps and lists a file may have (Vow's own files use under 10 levels). */
export const MAX_YAML_DEPTH = 64;

/** A file refused before it was composed: where, and why. */
export interface YamlRefusal {
  readonly offset: number;
  readonly message: string;
}

/**
 * parseDocument(source, { lineCounter, uniqueKeys: true }) with its cost bounded by the file's size:
 * a file nested deeper than MAX_YAML_DEPTH is refused (its first line past the limit), never
 * composed; a duplicate key is the same error the library gives ("Map keys must be unique").
 */
export function parseBoundedYaml(
  source: string,
  lineCounter: LineCounter,
): { ok: true; doc: Document.Parsed } | { ok: false; refusal: YamlRefusal } {
  const parser = new Parser(lineCounter.addNewLine);
  // The first line starts at 0 (Parser.parse says so itself; next() does not).
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  // The parser's stack holds the document, each collection still open around the current token and
  // the key or value being read; only a stack longer than the limit is counted.
  for (const lexeme of new Lexer().lex(source)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > MAX_YAML_DEPTH + 1 && collections(parser.stack) > MAX_YAML_DEPTH)
      return {
        ok: false,
        refusal: {
          offset: parser.offset,
          message: `the file nests lists and maps more than ${MAX_YAML_DEPTH} levels deep; no Vow file needs more`,
        },
      };
  }
  for (const token of parser.end()) tokens.push(token);
  // Each problem the composer finds is an Error, which captures a stack trace nobody reads: a file of
  // 60,000 problems spent most of its time there. Synchronous, so no other code runs meanwhile.
  const traces = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return { ok: true, doc: compose(tokens, source.length) };
  } finally {
    Error.stackTraceLimit = traces;
  }
}

function compose(tokens: readonly CST.Token[], end: number): Document.Parsed {
  const composer = new Composer({ uniqueKeys: false });
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(tokens, true, end)) {
    if (!doc) doc = d;
    else {
      doc.errors.push(
        new YAMLParseError(
          [d.range[0], d.range[1]],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; please use YAML.parseAllDocuments()',
        ),
      );
      break;
    }
  }
  // compose(…, forceDoc) always yields a document.
  const parsed = doc as Document.Parsed;
  duplicateKeys(parsed);
  return parsed;
}

/** How many of the parser's open tokens are maps or lists (the others: the document, a key or value being read). */
function collections(stack: readonly CST.Token[]): number {
  let n = 0;
  for (const t of stack)
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') n++;
  return n;
}

/** Adds "Map keys must be unique" for each key a map already holds (scalar keys, by value). */
function duplicateKeys(doc: Document.Parsed): void {
  const found: number[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isPair(node)) {
      pending.push(node.key, node.value);
      continue;
    }
    if (!isCollection(node)) continue;
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const { key } of node.items) {
        if (!isScalar(key)) continue;
        // The library compares with ===, under which NaN is never a duplicate; a set says it is.
        const nan = typeof key.value === 'number' && Number.isNaN(key.value);
        if (seen.has(key.value) && !nan) found.push(key.range?.[0] ?? 0);
        seen.add(key.value);
      }
    }
    for (const item of node.items as unknown[]) pending.push(item);
  }
  for (const at of found.sort((a, b) => a - b))
    doc.errors.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
}
