/**
 * Method options from the command line: `--method "lora r=64 target_modules=all-linear"` specs and
 * option flags (`-r 16`, `--target-modules q_proj,v_proj`, `--use-dora`). Text is coerced to what the
 * method's zod schema expects; unknown keys are usage errors with the nearest valid name.
 */
import type * as z from "zod/mini";
import { didYouMean, nearest, UsageError } from "../errors.js";
import { FORMULAS, findFormula } from "../../formulas/index.js";
import type { Formula } from "../../formulas/types.js";
import { firstUnsafeInteger } from "./exact.js";

export type RawOptions = Record<string, unknown>;

/** Words users reach for instead of PEFT's key names. */
const SYNONYMS: Readonly<Record<string, string>> = { rank: "r", alpha: "lora_alpha", dropout: "lora_dropout", targets: "target_modules", target: "target_modules", dora: "use_dora", rslora: "use_rslora", P: "parscale_n", T: "parscale_n_tokens" };

/** The option key a mistyped `key` most likely meant (synonyms first: "rank" is r, not rank_pattern). */
function suggestKey(key: string, known: readonly string[]): string | undefined {
  const synonym = SYNONYMS[key];
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  const hit = nearest(key, [...known, ...Object.keys(SYNONYMS).filter((k) => known.includes(SYNONYMS[k]!))]);
  return hit === undefined ? undefined : (SYNONYMS[hit] ?? hit);
}

/** `did you mean "r"? ` (or `"--r"` for flags), or "" */
function didYouMeanKey(key: string, known: readonly string[], asFlag = false): string {
  const k = suggestKey(key, known);
  return k === undefined ? "" : `did you mean "${asFlag ? `--${kebab(k)}` : k}"? `;
}

/** Base kinds a schema field accepts (defaults, nullables and unions unwrapped). */
function kindsOf(t: z.ZodMiniType): Set<string> {
  const def = (t as unknown as { _zod: { def: { type: string; innerType?: z.ZodMiniType; options?: z.ZodMiniType[]; element?: z.ZodMiniType } } })._zod.def;
  if (def.innerType) return kindsOf(def.innerType);
  if (def.type === "union") return new Set(def.options!.flatMap((o) => [...kindsOf(o)]));
  if (def.type === "array") return new Set([`array:${[...kindsOf(def.element!)].join("|")}`]);
  // a literal (DoRA's use_dora: true) takes the kind of its values, so "false" is read as a boolean
  if (def.type === "literal") return new Set((def as unknown as { values: unknown[] }).values.map((v) => typeof v));
  return new Set([def.type]);
}

function fieldOf(formula: Formula, key: string): z.ZodMiniType | undefined {
  const shape = (formula.schema as unknown as { shape?: Record<string, z.ZodMiniType> }).shape;
  return shape?.[key];
}

const NUMERIC = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

function scalar(text: string, kinds: Set<string>): unknown {
  if (text === "null") return null;
  if (kinds.has("boolean") && (text === "true" || text === "false")) return text === "true";
  if (kinds.has("number") && NUMERIC.test(text)) return Number(text);
  return text;
}

/** Text → value for `key`, by the kinds its schema accepts; integers must survive as typed. */
export function coerce(formula: Formula, key: string, text: string | true, origin: string): unknown {
  const value = coerceText(formula, key, text, origin);
  const bad = firstUnsafeInteger(value, key);
  if (bad) throw new UsageError("INVALID_FLAG", `${origin}: ${String(text)} is past 2^53 and cannot be counted exactly`, `${key} must be below 9007199254740992`);
  return value;
}

function coerceText(formula: Formula, key: string, text: string | true, origin: string): unknown {
  const field = fieldOf(formula, key);
  if (!field) throw new UsageError("UNKNOWN_OPTION", `${origin}: ${formula.id} has no option "${key}"`, `${didYouMeanKey(key, optionKeys(formula))}options of ${formula.id}: ${optionKeys(formula).join(", ")}`);
  const kinds = kindsOf(field);
  if (text === true) {
    if (kinds.has("boolean")) return true;
    throw new UsageError("INVALID_FLAG", `${origin}: ${key} needs a value`, `e.g. ${key}=...`);
  }
  if (/^[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      throw new UsageError("INVALID_FLAG", `${origin}: ${key} is not valid JSON (${text})`, 'e.g. layer_replication=[[0,12],[4,16]] or rank_pattern={"q_proj":16}');
    }
  }
  if (text.startsWith("re:")) return text.slice(3);
  const array = [...kinds].find((k) => k.startsWith("array:"));
  if (kinds.has("record")) {
    const out: Record<string, unknown> = {};
    for (const pair of text.split(",")) {
      const i = pair.lastIndexOf(":");
      if (i <= 0) throw new UsageError("INVALID_FLAG", `${origin}: ${key} takes name:value pairs (got "${pair}")`, `e.g. ${key}=q_proj:16,v_proj:4`);
      out[pair.slice(0, i)] = scalar(pair.slice(i + 1), new Set(["number"]));
    }
    return out;
  }
  if (array) {
    const elementKinds = new Set(array.slice(6).split("|"));
    // a single word for a "string or list" key is a module name, not a regex: all-linear stays as is
    const listWanted = text.includes(",") || !kinds.has("number") || !NUMERIC.test(text);
    if (listWanted && !(kinds.has("string") && text.toLowerCase() === "all-linear") && text !== "null")
      return text.split(",").map((t) => scalar(t.trim(), elementKinds));
  }
  return scalar(text, kinds);
}

export function optionKeys(formula: Formula): string[] {
  return Object.keys((formula.schema as unknown as { shape?: object }).shape ?? {});
}

const kebab = (k: string) => k.replace(/_/g, "-");
const snake = (k: string) => k.replace(/-/g, "_");

/** `lora r=64 target_modules=all-linear` → formula + raw options. */
export function parseSpec(spec: string): { formula: Formula; options: RawOptions } {
  const [id, ...pairs] = spec.trim().split(/\s+/);
  const formula = findFormula(id ?? "");
  if (!formula) {
    const ids = FORMULAS.map((f) => f.id);
    const hint = id?.includes("=") ? `quote the whole spec, method first: --method "lora ${id}"` : `${didYouMean(id ?? "", ids)}methods: ${ids.join(", ")}`;
    throw new UsageError("UNKNOWN_METHOD", `unknown method "${id ?? ""}"`, hint);
  }
  const options: RawOptions = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = snake(eq < 0 ? pair : pair.slice(0, eq));
    options[key] = coerce(formula, key, eq < 0 ? true : pair.slice(eq + 1), `--method "${spec}"`);
  }
  return { formula, options };
}

const COMMANDS = ["compare", "count", "inspect", "models", "methods", "schema", "check", "budget", "sweep"];

/** Unknown command-line tokens → option flags `{key: text | true}` (keys in PEFT's snake case). */
export function parseOptionFlags(tokens: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  let valueOf: string | undefined; // the flag whose value the previous token was
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (COMMANDS.includes(t)) throw new UsageError("MISPLACED_COMMAND", `"${t}" is a command, and a command comes first`, `e.g. peftcount ${t} --json, not peftcount --json ${t}`);
    if (!t.startsWith("-") || t === "-" || t === "--") {
      const hint = valueOf
        ? `${valueOf} takes one value: separate list items with commas, e.g. ${valueOf} ${tokens[i - 1]},${t}`
        : 'options are flags (--r 16) or go in --method "lora r=16"';
      throw new UsageError("UNEXPECTED_ARGUMENT", `unexpected argument "${t}"`, hint);
    }
    valueOf = undefined;
    const body = t.startsWith("--") ? t.slice(2) : t.slice(1);
    const eq = body.indexOf("=");
    const key = snake(eq < 0 ? body : body.slice(0, eq));
    if (eq >= 0) flags.set(key, body.slice(eq + 1));
    else if (i + 1 < tokens.length && !/^--?[a-zA-Z]/.test(tokens[i + 1]!)) {
      flags.set(key, tokens[++i]!);
      valueOf = t;
    }
    else flags.set(key, true);
  }
  return flags;
}

/** Applies option flags to a row's options (a spec's own key=value wins); returns the keys used. */
export function applyFlags(formula: Formula, options: RawOptions, flags: ReadonlyMap<string, string | true>, explicit: ReadonlySet<string>): Set<string> {
  const used = new Set<string>();
  const keys = optionKeys(formula);
  for (const [key, text] of flags) {
    if (!keys.includes(key) || explicit.has(key)) continue;
    options[key] = coerce(formula, key, text, `--${kebab(key)}`);
    used.add(key);
  }
  return used;
}

/** Flags that no row could use are typos or the wrong method: a usage error naming the nearest flag. */
export function rejectUnusedFlags(flags: ReadonlyMap<string, string | true>, used: ReadonlySet<string>, methods: readonly Formula[]): void {
  for (const key of flags.keys()) {
    if (used.has(key)) continue;
    const known = [...new Set([...methods.flatMap(optionKeys), ...FORMULAS.flatMap(optionKeys)])];
    const owners = FORMULAS.filter((f) => optionKeys(f).includes(key)).map((f) => f.id);
    const ids = [...new Set(methods.map((m) => m.id))];
    const hint = owners.some((o) => ids.includes(o))
      ? `every --method spec already sets ${key}, and a spec's own value wins: drop --${kebab(key)} or ${key}= in the spec`
      : owners.length
      ? `--${kebab(key)} is an option of ${owners.join(", ")}, not of ${ids.join(", ")}${didYouMeanKey(key, methods.flatMap(optionKeys), true).replace(/^did/, "; did").trimEnd()}`
      : `${didYouMeanKey(key, known, true)}run "peftcount methods --verbose" for the options`;
    throw new UsageError("UNKNOWN_OPTION", `unknown option --${kebab(key)}`, hint);
  }
}

/** zod issues on flag-given options are usage errors (exit 2) naming the flag. */
export function flagName(key: string): string {
  return key === "r" ? "-r/--r" : `--${kebab(key)}`;
}
