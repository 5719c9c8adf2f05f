/**
 * Limits as users write them, parsed strictly and exactly (no float rounding): parameter counts `20M`, `1.5B`,
 * `250K`, `39976960`; byte sizes `100MB`, `1.5GiB`, `500KiB`, `2048`; percentages `0.5`, `0.5%`. Anything else
 * is refused with the accepted forms (the CLI makes that exit 2). Pure.
 */
import { UsageError } from "../errors.js";

export const PARAM_FORMS = "a whole number of parameters (39976960) or a number with K, M, B or T (250K, 20M, 1.5B)";
export const BYTE_FORMS = "bytes (52428800) or a number with B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 100MB, 1.5GiB, 500KiB";
export const PERCENT_FORMS = "a percentage such as 0.5 or 0.5% (of the model)";

const PARAM_SUFFIX: Readonly<Record<string, bigint>> = { "": 1n, K: 1000n, M: 1000_000n, B: 1000_000_000n, T: 1000_000_000_000n };
const BYTE_SUFFIX: Readonly<Record<string, bigint>> = {
  "": 1n, B: 1n, KB: 1000n, MB: 1000n ** 2n, GB: 1000n ** 3n, TB: 1000n ** 4n,
  KIB: 1024n, MIB: 1024n ** 2n, GIB: 1024n ** 3n, TIB: 1024n ** 4n,
};

/** An exact decimal: digits / 10^scale. */
export interface Decimal {
  readonly num: bigint;
  readonly den: bigint;
}

function decimal(text: string): Decimal | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const frac = m[2] ?? "";
  return { num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length) };
}

function scaled(text: string, suffixes: Readonly<Record<string, bigint>>, pattern: RegExp): bigint | undefined {
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  const d = decimal(m[1]!);
  const mult = suffixes[(m[2] ?? "").toUpperCase()];
  if (!d || mult === undefined) return undefined;
  const n = d.num * mult;
  return n % d.den === 0n ? n / d.den : undefined;
}

function safe(n: bigint | undefined): number | undefined {
  return n !== undefined && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
}

/** `20M` → 20000000; `label` names the flag or key in the error. */
export function parseParamCount(text: string, label: string): number {
  const n = safe(scaled(text, PARAM_SUFFIX, /^(\d+(?:\.\d+)?)([KMBT])?$/));
  if (n === undefined) throw new UsageError("INVALID_LIMIT", `${label}: "${text}" is not a parameter count`, `use ${PARAM_FORMS}`);
  return n;
}

export function parseByteSize(text: string, label: string): number {
  const n = safe(scaled(text, BYTE_SUFFIX, /^(\d+(?:\.\d+)?)\s?([KMGT]i?B|B)?$/i));
  if (n === undefined || !/^(\d+(\.\d+)?)\s?([KMGT]iB|[KMGT]B|B)?$/.test(text.trim()))
    throw new UsageError("INVALID_LIMIT", `${label}: "${text}" is not a byte size`, `use ${BYTE_FORMS}`);
  return n;
}

export function parsePercent(text: string, label: string): Decimal {
  const d = /^\d+(\.\d+)?%?$/.test(text.trim()) ? decimal(text.trim().replace(/%$/, "")) : undefined;
  if (!d || d.num > 100n * d.den) throw new UsageError("INVALID_LIMIT", `${label}: "${text}" is not a percentage`, `use ${PERCENT_FORMS}, at most 100`);
  return d;
}

/** A limit value from a limits file: numbers are taken as written, strings parsed as on the command line. */
export function limitText(value: unknown, label: string, forms: string): string {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return String(value);
  if (typeof value === "string") return value;
  throw new UsageError("INVALID_LIMIT", `${label}: ${JSON.stringify(value)} is not a limit`, `use ${forms}`);
}

/** trainable / all ≤ p % exactly (integers, no division). */
export function percentAtMost(part: number, whole: number, p: Decimal): boolean {
  return BigInt(part) * 100n * p.den <= p.num * BigInt(whole);
}

export function formatDecimal(p: Decimal): string {
  const s = p.num.toString().padStart(p.den.toString().length, "0");
  const k = p.den.toString().length - 1;
  return k === 0 ? s : `${s.slice(0, s.length - k)}.${s.slice(s.length - k)}`.replace(/^\./, "0.");
}

/** A human size: 1,000-based units with 3 significant digits (`52.4 MB`), bytes below 1 kB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB", "PB"];
  let v = n / 1000;
  let i = 0;
  while (v >= 999.95 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}
