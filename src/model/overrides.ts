/**
 * `--set key=value`: config.json fields overridden on the command line, for any model source and every
 * command (design a variant before it exists: `--set num_local_experts=16 --set num_experts_per_tok=4`).
 *
 * - the value is JSON (`16`, `true`, `null`, `[0, 1]`, `{"a": 1}`); anything that is not JSON is a string;
 * - it must have the JSON type of the value the config already holds (a number stays a number, a list a list);
 *   a key the config does not hold is set as given, with a warning naming the nearest existing key (the
 *   config class's default applies to keys that are absent, so setting one is legitimate, a typo is not);
 * - `a.b` sets key `b` inside the object `a` (`text_config.num_local_experts`, `ffn_config.moe_top_k`); a bare
 *   key the top level lacks but `text_config` holds (Llama 4, multimodal configs) is set there;
 * - the result is validated like the file itself: the family reads it with the same checks.
 * Pure: returns the new config, the notes to show with the model, and warnings.
 */
import { nearest, UsageError } from "../errors.js";
import type { RawConfig } from "./config.js";

export interface Overridden {
  readonly config: RawConfig;
  /** one line naming every override, for the model's notes */
  readonly note?: string;
  readonly warnings: readonly string[];
}

type Json = unknown;
const kindOf = (v: Json) => (v === null ? "null" : Array.isArray(v) ? "list" : typeof v === "object" ? "object" : typeof v);
const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `key=value` → key and parsed value (JSON, else the text as a string). */
export function parseSet(spec: string): { key: string; value: Json; text: string } {
  const eq = spec.indexOf("=");
  const key = eq < 0 ? "" : spec.slice(0, eq).trim();
  if (eq < 0 || key === "" || !/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(key))
    throw new UsageError("INVALID_FLAG", `--set needs key=value (got "${spec}")`, 'e.g. --set num_local_experts=16 --set rope_scaling=null --set text_config.num_experts_per_tok=2');
  const text = spec.slice(eq + 1).trim();
  let value: Json;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return { key, value, text };
}

function allKeys(o: Record<string, Json>, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) => [`${prefix}${k}`, ...(isObject(v) ? allKeys(v, `${prefix}${k}.`) : [])]);
}

/** The config with every `--set` applied in order (later ones win). */
export function applyOverrides(config: RawConfig, specs: readonly string[]): Overridden {
  if (specs.length === 0) return { config, warnings: [] };
  const out: Record<string, Json> = structuredClone(config as Record<string, Json>);
  const warnings: string[] = [];
  const shown: string[] = [];
  for (const spec of specs) {
    const { key, value, text } = parseSet(spec);
    let path = key.split(".");
    if (path.length === 1 && !(key in out) && isObject(out["text_config"]) && key in (out["text_config"] as Record<string, Json>)) path = ["text_config", key];
    let at: Record<string, Json> = out;
    for (const p of path.slice(0, -1)) {
      const next = at[p];
      if (next === undefined) at[p] = {};
      else if (!isObject(next))
        throw new UsageError("INVALID_FLAG", `--set ${key}: "${p}" is a ${kindOf(next)} in this config, not an object`, `set "${p}" itself, e.g. --set ${p}=...`);
      at = at[p] as Record<string, Json>;
    }
    const last = path[path.length - 1]!;
    const old = at[last];
    // a value the config already holds keeps its JSON type; null / absent take anything
    let v = value;
    if (old !== undefined && old !== null && value !== null && kindOf(old) !== kindOf(value)) {
      if (typeof old === "string") v = text;
      else
        throw new UsageError(
          "INVALID_FLAG",
          `--set ${key}=${text}: "${path.join(".")}" is a ${kindOf(old)} in this config (${JSON.stringify(old).slice(0, 40)}), not a ${kindOf(value)}`,
          `give a ${kindOf(old)} (JSON), e.g. --set ${key}=${JSON.stringify(old).slice(0, 40)}`,
        );
    }
    if (old === undefined) {
      const near = nearest(path.join("."), allKeys(config as Record<string, Json>));
      warnings.push(
        `--set ${key}: the config has no "${path.join(".")}"; it is set as given (the config class reads it only if it is one of its keys)${near !== undefined ? `; did you mean "${near}"?` : ""}`,
      );
    }
    at[last] = v;
    shown.push(`--set ${path.join(".")}=${JSON.stringify(v)}`);
  }
  return { config: out, note: `config overridden on the command line: ${shown.join(" ")}`, warnings };
}
