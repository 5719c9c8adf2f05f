/**
 * Knob values for `sweep`: a comma list of numbers and ranges — `1,2,4,8..256` (a..b: every integer from a to
 * b), `pow2:1..256` (the powers of two from 1 to 256), `16..128:16` (a step). Strict; at most 10,000 values. Pure.
 */
import { UsageError } from "../errors.js";

export const VALUE_FORMS = "a list of whole numbers and ranges: 8,16,32 or 1..64 (every value) or 16..256:16 (a step) or pow2:1..256 (powers of two), combined with commas";
export const MAX_SWEEP_VALUES = 10_000;

/** Whether a flag's text is a sweep (more than one value), not a single option value. */
export function isSweepSpec(text: string): boolean {
  return /,|\.\.|^pow2:/.test(text);
}

export function parseValues(text: string, label: string): number[] {
  const bad = (why: string) => new UsageError("INVALID_SWEEP", `${label}: ${why}`, `use ${VALUE_FORMS}`);
  const out: number[] = [];
  const push = (v: number) => {
    if (!out.includes(v)) out.push(v);
    if (out.length > MAX_SWEEP_VALUES) throw bad(`more than ${MAX_SWEEP_VALUES} values`);
  };
  const int = (s: string) => {
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw bad(`"${s}" is not a whole number (in "${text}")`);
    return Number(s);
  };
  for (const raw of text.split(",")) {
    const item = raw.trim();
    if (item === "") throw bad(`empty item in "${text}"`);
    const pow2 = /^pow2:(\d+)\.\.(\d+)$/.exec(item);
    const range = /^(\d+)\.\.(\d+)(?::(\d+))?$/.exec(item);
    if (pow2) {
      const [a, b] = [int(pow2[1]!), int(pow2[2]!)];
      if (a > b) throw bad(`range ${item} runs backwards`);
      for (let v = 1; v <= b; v *= 2) if (v >= a) push(v);
    } else if (range) {
      const [a, b, step] = [int(range[1]!), int(range[2]!), range[3] === undefined ? 1 : int(range[3])];
      if (a > b) throw bad(`range ${item} runs backwards`);
      if (step < 1) throw bad(`step of ${item} must be positive`);
      if ((b - a) / step + 1 > MAX_SWEEP_VALUES) throw bad(`more than ${MAX_SWEEP_VALUES} values`);
      for (let v = a; v <= b; v += step) push(v);
    } else push(int(item));
  }
  return out;
}
