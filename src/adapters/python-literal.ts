/**
 * The Python literals AdapterHub's config strings hold (`ast.literal_eval` of `{'key': value, ...}`): ints,
 * floats, True / False / None, quoted strings, lists, tuples and dicts. Errors carry the offset they occur at.
 */

export class LiteralError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export class LiteralReader {
  pos: number;
  constructor(
    readonly text: string,
    start = 0,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  expect(ch: string): void {
    if (this.peek() !== ch) throw new LiteralError(`expected "${ch}"${this.pos < this.text.length ? ` but found "${this.text[this.pos]}"` : " but the string ends"}`, this.pos);
    this.pos++;
  }

  value(): unknown {
    const c = this.peek();
    if (c === undefined) throw new LiteralError("a value is missing", this.pos);
    if (c === "[" || c === "(") return this.sequence(c === "[" ? "]" : ")");
    if (c === "{") return this.dict();
    if (c === "'" || c === '"') return this.string();
    const m = /^(?:[+-]?(?:\d[\d_]*\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf)|True|False|None)/.exec(this.text.slice(this.pos));
    if (!m) {
      const word = /^[^\s,\])}]+/.exec(this.text.slice(this.pos))?.[0] ?? c;
      throw new LiteralError(`${JSON.stringify(word)} is not a Python literal (quote strings: '${word}')`, this.pos);
    }
    this.pos += m[0].length;
    const t = m[0];
    if (t === "True") return true;
    if (t === "False") return false;
    if (t === "None") return null;
    return Number(t.replace(/_/g, ""));
  }

  private string(): string {
    const q = this.text[this.pos]!;
    const start = this.pos++;
    let out = "";
    while (this.pos < this.text.length && this.text[this.pos] !== q) {
      if (this.text[this.pos] === "\\" && this.pos + 1 < this.text.length) this.pos++;
      out += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) throw new LiteralError("unterminated string", start);
    this.pos++;
    return out;
  }

  private sequence(close: string): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    while (this.peek() !== close) {
      out.push(this.value());
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== close) throw new LiteralError(`expected "," or "${close}"`, this.pos);
    }
    this.pos++;
    return out;
  }

  private dict(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    while (this.peek() !== "}") {
      const key = this.value();
      if (typeof key !== "string" && typeof key !== "number") throw new LiteralError("dict keys must be strings or numbers", this.pos);
      this.expect(":");
      out[String(key)] = this.value();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== "}") throw new LiteralError('expected "," or "}"', this.pos);
    }
    this.pos++;
    return out;
  }
}
