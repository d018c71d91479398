/**
 * A small reader of CoreDNS Corefiles (no maintained Corefile parser exists on npm). It mirrors
 * the Caddyfile v1 grammar CoreDNS embeds (coredns/caddy `caddyfile/lexer.go` and `parse.go`):
 * - tokens are words separated by whitespace; `"…"` quotes a word (with `\"` escapes) and may
 *   span lines; `#` at the start of a word comments out the rest of the line;
 * - a server block is one or more keys (`zone[:port]`, optionally `dns://`, `tls://`, `grpc://`,
 *   `https://`; several keys separated by spaces or commas) followed by `{ … }`; a Corefile of
 *   one server block may omit the braces;
 * - inside a block, every line starts a directive (a plugin name) whose arguments are the other
 *   words of that line; a line ending in `{` opens the directive's own block, read up to its `}`;
 * - `(name) { … }` defines a snippet (kept apart: it serves no zone until imported); a top-level
 *   `import FILES` line adds server blocks from other files (kept apart, in `imports`).
 * Lines are 1-based and count from the start of the text. Bad input never throws: an unclosed
 * block ends at the end of the text, and a stray `}` is recorded in `problems`.
 */

/** One word of a Corefile, with the 1-based line it starts on. */
export interface CorefileToken {
  readonly text: string;
  readonly line: number;
  /** Written in double quotes (a quoted `{` is a word, not a brace). */
  readonly quoted: boolean;
}

/** A directive (plugin use) or a line of a directive's block: its name, arguments and sub-block. */
export interface CorefileDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly line: number;
  /** The lines of the directive's `{ … }` block, when it has one. */
  readonly block?: readonly CorefileDirective[];
}

/** One key of a server block: `[scheme://]zone[:port]`, with the zone lower-cased and fully qualified (`.`, `clusterset.local.`). */
export interface CorefileKey {
  readonly text: string;
  readonly scheme: string | undefined;
  readonly zone: string;
  readonly port: string | undefined;
}

/** A server block: the zones it serves and its directives in written order. */
export interface CorefileServerBlock {
  /** Empty for a snippet. */
  readonly keys: readonly CorefileKey[];
  /** A snippet's name (`common` for `(common) { … }`). */
  readonly name?: string;
  readonly line: number;
  readonly directives: readonly CorefileDirective[];
}

/** A parsed Corefile: server blocks, snippets and what could not be read. */
export interface Corefile {
  readonly blocks: readonly CorefileServerBlock[];
  readonly snippets: readonly CorefileServerBlock[];
  /** Top-level `import` lines (k3s' `import /etc/coredns/custom/*.server` adds server blocks from files mclint cannot see). */
  readonly imports: readonly CorefileDirective[];
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

/** Splits Corefile text into words (see the module comment); never throws. */
export function tokenizeCorefile(text: string): CorefileToken[] {
  const tokens: CorefileToken[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      // Every other whitespace character, as the word branch below ends words at any of them
      // (a no-break space or form feed taken for a word start made an empty word and no progress).
      i++;
    } else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '"') {
      const start = line;
      let word = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && text[i + 1] === '"') {
          word += '"';
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        word += text[i++];
      }
      i++;
      tokens.push({ text: word, line: start, quoted: true });
    } else {
      const start = i;
      while (i < n && !/\s/.test(text[i])) i++;
      tokens.push({ text: text.slice(start, i), line, quoted: false });
    }
  }
  return tokens;
}

const isOpen = (t: CorefileToken | undefined) => t !== undefined && !t.quoted && t.text === '{';
const isClose = (t: CorefileToken | undefined) => t !== undefined && !t.quoted && t.text === '}';

/**
 * A server block key as CoreDNS normalises it (coredns `core/dnsserver/address.go`,
 * `normalizeZone`): the scheme (default `dns://`), the zone made fully qualified and lower-cased,
 * and the port (default 53, left undefined here when not written).
 */
export function parseCorefileKey(text: string): CorefileKey {
  let rest = text;
  let scheme: string | undefined;
  const m = /^([a-z0-9+.-]+):\/\//i.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  }
  let port: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && !rest.includes(']')) {
    port = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let zone = rest.toLowerCase();
  if (zone === '') zone = '.';
  if (!zone.endsWith('.')) zone += '.';
  return { text, scheme, zone, port };
}

/** A fully qualified `name` (lower-cased, trailing dot). */
export function fqdn(name: string): string {
  const z = name.toLowerCase();
  return z.endsWith('.') ? z : `${z}.`;
}

/** True when the fully qualified `zone` is `name` or one of its parents (`.` covers every name). */
export function zoneCovers(zone: string, name: string): boolean {
  const z = fqdn(zone);
  const q = fqdn(name);
  return z === '.' || q === z || q.endsWith(`.${z}`);
}

/** Blocks nested deeper than this are skipped (recorded in `problems`), so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 32;

/** The index after the `}` closing the block whose contents start at `at` (or the end), without recursion. */
function skipBlock(tokens: readonly CorefileToken[], at: number): number {
  let open = 1;
  let i = at;
  for (; i < tokens.length && open > 0; i++) {
    if (isOpen(tokens[i])) open++;
    else if (isClose(tokens[i])) open--;
  }
  return i;
}

/** Reads the directives of a block from `tokens[at]` up to its `}` (or the end); returns them and the index after the `}`. */
function readDirectives(tokens: readonly CorefileToken[], at: number, problems: { line: number; message: string }[], depth: number): [CorefileDirective[], number] {
  const out: CorefileDirective[] = [];
  let i = at;
  while (i < tokens.length) {
    const head = tokens[i];
    if (isClose(head)) return [out, i + 1];
    const args: string[] = [];
    i++;
    let block: CorefileDirective[] | undefined;
    while (i < tokens.length && tokens[i].line === head.line && !isClose(tokens[i])) {
      if (isOpen(tokens[i])) {
        if (depth >= MAX_DEPTH) {
          problems.push({ line: tokens[i].line, message: 'blocks nested too deeply' });
          block = [];
          i = skipBlock(tokens, i + 1);
        } else {
          [block, i] = readDirectives(tokens, i + 1, problems, depth + 1);
        }
        break;
      }
      args.push(tokens[i++].text);
    }
    out.push({ name: head.text, args, line: head.line, ...(block && { block }) });
  }
  if (depth > 0) problems.push({ line: tokens[tokens.length - 1]?.line ?? 1, message: 'a block is not closed' });
  return [out, i];
}

/** Parses Corefile text into server blocks (see the module comment); never throws. */
export function parseCorefile(text: string): Corefile {
  const tokens = tokenizeCorefile(text);
  const blocks: CorefileServerBlock[] = [];
  const snippets: CorefileServerBlock[] = [];
  const problems: { line: number; message: string }[] = [];
  const imports: CorefileDirective[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!tokens[i].quoted && tokens[i].text === 'import') {
      const line = tokens[i++].line;
      const args: string[] = [];
      while (i < tokens.length && tokens[i].line === line) args.push(tokens[i++].text);
      imports.push({ name: 'import', args, line });
      continue;
    }
    if (isClose(tokens[i])) {
      problems.push({ line: tokens[i].line, message: 'unexpected "}"' });
      i++;
      continue;
    }
    const first = tokens[i];
    const keys: string[] = [];
    // Keys: the words of the first line, continued on the next line after a trailing comma.
    while (i < tokens.length && !isOpen(tokens[i]) && (tokens[i] === first || tokens[i].line === tokens[i - 1].line || tokens[i - 1].text.endsWith(','))) {
      keys.push(...tokens[i++].text.split(',').filter((k) => k !== ''));
    }
    const snippet = keys.length === 1 && /^\(.*\)$/.test(keys[0]);
    let directives: CorefileDirective[];
    if (isOpen(tokens[i])) {
      [directives, i] = readDirectives(tokens, i + 1, problems, 1);
    } else {
      // A single server block written without braces: the rest of the text.
      [directives, i] = readDirectives(tokens, i, problems, 0);
    }
    const block = { keys: snippet ? [] : keys.map(parseCorefileKey), line: first.line, directives, ...(snippet && { name: keys[0].slice(1, -1) }) };
    (snippet ? snippets : blocks).push(block);
  }
  return { blocks, snippets, imports, problems };
}
