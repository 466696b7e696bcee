/**
 * Where a key is in a JSON text: a config error names the key's path (`data.fromat`), and with its line
 * the user finds it at once in a long file. JSON.parse keeps no positions, so the text is scanned again,
 * descending only along the path: everything else is skipped by counting brackets, without recursion (a
 * value nested 100,000 deep is skipped in one loop).
 */

/**
 * The 1-based line of the member at `path` in the JSON `text`: of its key in an object, of its value in
 * an array (a number in `path`). The last one when a key repeats, as JSON.parse keeps the last. Undefined
 * when the path is not in the text, or the text is not the JSON it was parsed from.
 */
export function jsonKeyLine(text: string, path: readonly PropertyKey[]): number | undefined {
  if (path.length === 0) return undefined;
  try {
    const at = new Scanner(text).find(path);
    return at === undefined ? undefined : lineOf(text, at);
  } catch {
    return undefined; // not JSON after all: no line rather than a wrong one
  }
}

function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

class Scanner {
  private i = 0;
  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  /** The offset of the member at `path` (its key, or an array element's value). */
  find(path: readonly PropertyKey[]): number | undefined {
    let found: { key: number; value: number } | undefined;
    for (const step of path) {
      this.space();
      found = this.member(step);
      if (found === undefined) return undefined;
      this.i = found.value;
    }
    return found?.key;
  }

  /** The last member named `step` of the object or array at the cursor. */
  private member(step: PropertyKey): { key: number; value: number } | undefined {
    const open = this.text[this.i];
    if (open !== '{' && open !== '[') return undefined;
    const close = open === '{' ? '}' : ']';
    let found: { key: number; value: number } | undefined;
    this.i++;
    this.space();
    for (let index = 0; this.text[this.i] !== close; index++) {
      const key = this.i;
      let name: PropertyKey = index;
      if (open === '{') {
        name = JSON.parse(this.text.slice(key, this.skipString())) as string;
        this.space();
        this.expect(':');
        this.space();
      }
      const value = this.i;
      if (String(name) === String(step)) found = { key, value };
      this.skipValue();
      this.space();
      if (this.text[this.i] === ',') {
        this.i++;
        this.space();
      } else if (this.text[this.i] !== close) throw new Error('not JSON');
    }
    return found;
  }

  /** Past the string at the cursor; returns the offset after its closing quote. */
  private skipString(): number {
    this.expect('"');
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) throw new Error('unterminated string');
      this.i += c === '\\' ? 2 : 1;
      if (c === '"') return this.i;
    }
  }

  /** Past the value at the cursor: a string, a scalar, or a whole object or array. */
  private skipValue(): void {
    const c = this.text[this.i];
    if (c === '"') {
      this.skipString();
      return;
    }
    if (c !== '{' && c !== '[') {
      while (this.i < this.text.length && !',]} \t\r\n'.includes(this.text[this.i])) this.i++;
      return;
    }
    let depth = 0;
    do {
      const d = this.text[this.i];
      if (d === undefined) throw new Error('unterminated value');
      if (d === '"') {
        this.skipString();
        continue;
      }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') depth--;
      this.i++;
    } while (depth > 0);
  }

  private space(): void {
    while (' \t\r\n'.includes(this.text[this.i] ?? 'x')) this.i++;
  }

  private expect(c: string): void {
    if (this.text[this.i] !== c) throw new Error(`expected ${c}`);
    this.i++;
  }
}
