/** Number formatting shared by the renderers. Counts stay exact until here. */
import { findFormula } from "../../formulas/index.js";
import type { Row } from "../report/schema.js";

/** 4194304 → "4,194,304" (by hand: toLocaleString initialises ICU, ~20 ms of start-up) */
export function grouped(n: number): string {
  const sign = n < 0 ? "-" : "";
  const [int, frac] = String(Math.abs(n)).split(".");
  return `${sign}${int!.replace(/\B(?=(\d{3})+$)/g, ",")}${frac === undefined ? "" : `.${frac}`}`;
}

/** 4194304 → "4.19M" (three significant digits) */
export function compact(n: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${(n / v).toPrecision(3)}${u}`;
  return String(n);
}

/** peft prints trainable% with 4 decimals */
export function pct(x: number): string {
  return x.toFixed(4);
}

function show(v: unknown): string {
  if (Array.isArray(v)) return v.map(show).join(",");
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** The options that differ from the method's defaults, as `key=value` (r always first for LoRA-likes). */
const DEFAULTS = new Map<string, Record<string, unknown>>();

/** A method's options with every default filled in, parsed once per method. */
function defaultsOf(method: string): Record<string, unknown> {
  let d = DEFAULTS.get(method);
  if (!d) {
    // per field: a required option (no default, e.g. num_virtual_tokens) must not hide the others' defaults
    const shape = (findFormula(method)?.schema as unknown as { shape?: Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }> } | undefined)?.shape ?? {};
    d = {};
    for (const [k, t] of Object.entries(shape)) {
      const r = t.safeParse(undefined);
      if (r.success) d[k] = r.data;
    }
    DEFAULTS.set(method, d);
  }
  return d;
}

export function optionSummary(row: Row): string {
  const defaults = defaultsOf(row.method);
  const out: string[] = [];
  for (const [k, v] of Object.entries(row.options)) {
    const isDefault = JSON.stringify(v) === JSON.stringify(defaults[k]);
    // LoRA-likes show their rank even at the default; a method whose r defaults to 0 (OFT: r is derived) does not
    if (!isDefault || (k === "r" && typeof v === "number" && v > 0)) out.push(`${k}=${show(v)}`);
  }
  return out.join(" ");
}
