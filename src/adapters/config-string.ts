/**
 * AdapterHub config strings as users write them (adapters src/adapters/utils.py parse_adapter_config_string):
 * `name[key=value, ...]` chunks joined by `|` (`double_seq_bn[reduction_factor=8]`,
 * `prefix_tuning[bottleneck_size=800]|par_bn`); values are Python literals. Several chunks make a
 * ConfigUnion. A mistake is reported with the string and a caret under the offending part.
 */
import { InputError } from "../errors.js";
import { LiteralError, LiteralReader } from "./python-literal.js";

export interface ConfigChunk {
  /** the named config (`double_seq_bn`) */
  readonly name: string;
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** the chunk as written, for messages */
  readonly text: string;
  /** offset of the name in the whole string */
  readonly offset: number;
}

/** The string, and a caret under `offset`. */
export function pointAt(text: string, offset: number): string {
  return `  ${text}\n  ${" ".repeat(Math.max(0, Math.min(offset, text.length)))}^`;
}

export function configStringError(text: string, offset: number, problem: string, hint: string): InputError {
  return new InputError("INVALID_ADAPTER_CONFIG", `AdapterHub config string: ${problem}\n${pointAt(text, offset)}`, hint);
}

const NAME = /^[^[\]|\n]+$/;

/** Splits and parses a config string; `knows(name)` says whether a name is a named config. */
export function parseConfigString(text: string, knows: (name: string) => boolean, hintFor: (name: string) => string): ConfigChunk[] {
  const whole = text.trim();
  if (knows(whole)) return [{ name: whole, kwargs: {}, text: whole, offset: text.indexOf(whole) }];
  const chunks: ConfigChunk[] = [];
  let start = 0;
  for (const raw of splitTopLevel(text)) {
    const lead = raw.length - raw.trimStart().length;
    const chunk = raw.trim();
    const at = start + lead;
    start += raw.length + 1;
    if (chunk === "") throw configStringError(text, at, "an empty part (two \"|\" in a row, or one at an end)", 'join configs with a single "|": prefix_tuning|par_bn');
    const open = chunk.indexOf("[");
    const name = (open < 0 ? chunk : chunk.slice(0, open)).trim();
    if (name === "" || !NAME.test(name)) throw configStringError(text, at, `"${chunk}" has no config name before "["`, 'write name[key=value], e.g. double_seq_bn[reduction_factor=8]');
    if (open >= 0 && !chunk.endsWith("]")) throw configStringError(text, at + chunk.length, `"${chunk}" does not end with "]"`, "close the options with ]");
    if (!knows(name)) throw configStringError(text, at, `"${name}" is not an AdapterHub config`, hintFor(name));
    const kwargs = open < 0 ? {} : parseKwargs(text, at + open + 1, at + chunk.length - 1);
    chunks.push({ name, kwargs, text: chunk, offset: at });
  }
  return chunks;
}

/** `|` outside brackets and quotes */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "(" || c === "{") depth++;
    else if (c === "]" || c === ")" || c === "}") depth--;
    else if (c === "|" && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** `key=value, key=value` between `from` and `to` (exclusive) */
function parseKwargs(text: string, from: number, to: number): Record<string, unknown> {
  const r = new LiteralReader(text.slice(0, to), from);
  const out: Record<string, unknown> = {};
  try {
    while (r.peek() !== undefined) {
      const keyAt = r.pos;
      const key = /^\w+/.exec(text.slice(r.pos, to))?.[0];
      if (!key) throw new LiteralError("expected key=value", keyAt);
      r.pos += key.length;
      if (r.peek() !== "=" && r.peek() !== ":") throw new LiteralError(`expected "=" after "${key}"`, r.pos);
      r.pos++;
      if (key in out) throw new LiteralError(`"${key}" is given twice`, keyAt);
      r.peek();
      const valueAt = r.pos;
      out[key] = r.value();
      // methods/modeling.py Adapter: a constant scaling must be a float (isinstance(scaling, float)); an int is
      // "Unknown scaling type" there
      if (key === "scaling" && typeof out[key] === "number" && /^[+-]?\d[\d_]*$/.test(text.slice(valueAt, r.pos).trim()))
        throw new LiteralError(`scaling=${text.slice(valueAt, r.pos).trim()} is an int: AdapterHub's Adapter takes a float, "learned" or "channel" (ValueError: Unknown scaling type); write scaling=${text.slice(valueAt, r.pos).trim()}.0`, valueAt);
      if (r.peek() === ",") r.pos++;
      else if (r.peek() !== undefined) throw new LiteralError('expected "," between options', r.pos);
    }
  } catch (e) {
    if (e instanceof LiteralError) throw configStringError(text, e.offset, e.message, "options are key=value with Python literals: reduction_factor=8, leave_out=[0, 1], inv_adapter='nice', use_gating=True");
    throw e;
  }
  return out;
}
