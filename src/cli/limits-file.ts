/**
 * Limits kept next to the training config, so a CI job is one line (`npx peftcount check`): `--limits FILE`,
 * else the first of `peftcount.json`, `peftcount.yaml`, `peftcount.yml` and the `"peftcount"` key of
 * `package.json` in the working folder. Keys are the flags' names in camelCase (kebab-case accepted):
 * maxTrainable, maxPercent, maxPercentOfFull, maxAdapterSize, dtype, failOnUnmatchedTargets, and the inputs
 * model, adapter, task. Flags given on the command line win. A malformed file is exit 2, naming the file.
 */
import { loadYaml } from "./yaml.js";
import { join, resolve } from "node:path";
import { InputError, UsageError } from "../errors.js";
import type { Io } from "./io.js";
import { parseJsonFile } from "./load.js";

export const LIMIT_FILE_KEYS = ["maxTrainable", "maxPercent", "maxPercentOfFull", "maxAdapterSize", "dtype", "failOnUnmatchedTargets", "model", "adapter", "task"] as const;
export type LimitFileKey = (typeof LIMIT_FILE_KEYS)[number];

export interface LimitsFile {
  readonly path: string;
  readonly values: Partial<Record<LimitFileKey, unknown>>;
}

const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function tryRead(io: Io, path: string): string | undefined {
  try {
    return io.readFile(path);
  } catch {
    return undefined;
  }
}

async function parseText(text: string, path: string): Promise<unknown> {
  if (/\.ya?ml$/i.test(path)) {
    const { parse } = await loadYaml();
    try {
      return parse(text) as unknown;
    } catch (e) {
      throw new UsageError("INVALID_LIMITS_FILE", `${path} is not valid YAML: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`, "fix the YAML syntax of the limits file");
    }
  }
  try {
    return parseJsonFile(text, path);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError("INVALID_LIMITS_FILE", e.message, e.hint);
    throw e;
  }
}

function validate(value: unknown, path: string): LimitsFile {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new UsageError("INVALID_LIMITS_FILE", `${path}: the limits must be an object`, `e.g. {"maxTrainable": "20M", "maxAdapterSize": "100MB", "dtype": "bf16"}`);
  const values: Partial<Record<LimitFileKey, unknown>> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = camel(k) as LimitFileKey;
    if (!LIMIT_FILE_KEYS.includes(key)) throw new UsageError("INVALID_LIMITS_FILE", `${path}: unknown key "${k}"`, `keys: ${LIMIT_FILE_KEYS.join(", ")}`);
    values[key] = v;
  }
  return { path, values };
}

/** The limits file to use, or undefined when there is none (an explicit --limits must exist). */
export async function findLimitsFile(io: Io, explicit: string | undefined): Promise<LimitsFile | undefined> {
  if (explicit !== undefined) {
    const path = resolve(io.cwd, explicit);
    const text = tryRead(io, path);
    if (text === undefined) throw new UsageError("INVALID_LIMITS_FILE", `cannot read the limits file ${explicit}`, "pass an existing peftcount.json / .yaml, or leave out --limits");
    return validate(await parseText(text, explicit), explicit);
  }
  for (const name of ["peftcount.json", "peftcount.yaml", "peftcount.yml"]) {
    const text = tryRead(io, join(io.cwd, name));
    if (text !== undefined) return validate(await parseText(text, name), name);
  }
  const pkg = tryRead(io, join(io.cwd, "package.json"));
  if (pkg !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(pkg);
    } catch {
      return undefined; // not ours to judge
    }
    const section = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>)["peftcount"] : undefined;
    if (section !== undefined) return validate(section, 'package.json "peftcount"');
  }
  return undefined;
}
