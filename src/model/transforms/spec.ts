/**
 * `--transform "NAME key=value ..."`: the text of one model transform, parsed. Values stay strings here; each
 * transform reads its own keys with the exact readers below (fractions are decimals read as integers over a
 * power of ten, so `0.3 · 10` is 3, never 2.9999…).
 */
import { InputError } from "../../errors.js";

export interface TransformSpec {
  readonly name: string;
  readonly options: Readonly<Record<string, string>>;
  /** canonical text: name, then key=value in the order given */
  readonly text: string;
}

/** A spec the user typed is malformed (the CLI reports it as a usage error, exit 2). */
export class TransformSpecError extends InputError {}

export function parseTransformSpec(text: string): TransformSpec {
  const [name = "", ...rest] = text.trim().split(/\s+/);
  if (name === "" || name.includes("="))
    throw new TransformSpecError("INVALID_TRANSFORM", `--transform "${text}" names no transform`, 'write the name first, e.g. --transform "prune heads=0.5 ffn=0.5"');
  const options: Record<string, string> = {};
  for (const tok of rest) {
    const eq = tok.indexOf("=");
    if (eq <= 0 || eq === tok.length - 1)
      throw new TransformSpecError("INVALID_TRANSFORM", `--transform "${text}": "${tok}" is not key=value`, `e.g. --transform "${name} key=value"`);
    const key = tok.slice(0, eq);
    if (key in options) throw new TransformSpecError("INVALID_TRANSFORM", `--transform "${text}": "${key}" is given twice`, "give each key once");
    options[key] = tok.slice(eq + 1);
  }
  return { name, options, text: [name, ...Object.entries(options).map(([k, v]) => `${k}=${v}`)].join(" ") };
}

/** An exact non-negative rational p/q read from `0.5`, `.25`, `50%`, `3`. */
export interface Ratio {
  readonly p: number;
  readonly q: number;
}

export function parseRatio(value: string, what: string): Ratio {
  const m = /^(\d*)(?:\.(\d*))?(%?)$/.exec(value);
  if (!m || (m[1] === "" && (m[2] ?? "") === "") || (m[2] ?? "").length > 9 || (m[1] ?? "").length > 12)
    throw new TransformSpecError("INVALID_TRANSFORM", `${what} must be a decimal number (got "${value}")`, `e.g. ${what.split(" ").pop()}=0.5`);
  const frac = m[2] ?? "";
  const p = Number(`${m[1] || "0"}${frac}`);
  const q = 10 ** frac.length * (m[3] === "%" ? 100 : 1);
  return { p, q };
}

export const ratioText = (r: Ratio): string => String(r.p / r.q);

/** ⌊n · p / q⌋ exactly. */
export function floorMul(n: number, r: Ratio): number {
  return Number((BigInt(n) * BigInt(r.p)) / BigInt(r.q));
}

/** ⌈n · p / q⌉ exactly. */
export function ceilMul(n: number, r: Ratio): number {
  const num = BigInt(n) * BigInt(r.p);
  const q = BigInt(r.q);
  return Number((num + q - 1n) / q);
}

/** a fraction means a decimal point or a percent sign; a plain integer is a count */
export type Amount = { readonly kind: "fraction"; readonly ratio: Ratio; readonly text: string } | { readonly kind: "count"; readonly count: number; readonly text: string };

export function parseAmount(value: string, what: string): Amount {
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    if (!Number.isSafeInteger(count)) throw new TransformSpecError("INVALID_TRANSFORM", `${what} is too large (got ${value})`, "give a fraction such as 0.5 or a count");
    return { kind: "count", count, text: value };
  }
  const ratio = parseRatio(value, what);
  if (ratio.p >= ratio.q)
    throw new TransformSpecError("INVALID_TRANSFORM", `${what}=${value} is out of range: a fraction must be at least 0 and below 1`, `a fraction of what to remove (e.g. ${what.split(" ").pop()}=0.5), or a count (an integer)`);
  return { kind: "fraction", ratio, text: value };
}

/** Comma-separated list. */
export const listOf = (value: string): string[] => value.split(",").map((s) => s.trim()).filter((s) => s !== "");

/** `4-29,31` → indices */
export function parseIndexRanges(value: string, what: string): number[] {
  const out: number[] = [];
  for (const part of listOf(value)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new TransformSpecError("INVALID_TRANSFORM", `${what}: "${part}" is not an index or a range a-b`, `e.g. ${what.split(" ").pop()}=4-29`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new TransformSpecError("INVALID_TRANSFORM", `${what}: range ${part} runs backwards`, `write it as ${b}-${a}`);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

/** Refuses keys a transform does not know, naming the nearest. */
export function checkKeys(spec: TransformSpec, known: readonly string[], nearest: (k: string) => string): void {
  for (const k of Object.keys(spec.options))
    if (!known.includes(k))
      throw new TransformSpecError("INVALID_TRANSFORM", `--transform ${spec.name}: unknown option "${k}"`, `${nearest(k)}options of ${spec.name}: ${known.join(", ")}`);
}
