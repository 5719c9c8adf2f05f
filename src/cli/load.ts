/** Reading what the user points at: presets, config.json files or folders, adapter_config.json. */
import { dirname, join, resolve } from "node:path";
import { didYouMean, InputError, UsageError } from "../errors.js";
import type { RawConfig } from "../model/config.js";
import { buildInventory } from "../model/inventory.js";
import { DEFAULT_PRESET, findPreset, MODEL_PRESETS } from "../model/presets/index.js";
import { isTask, TASKS, type Task } from "../model/tasks.js";
import type { Inventory } from "../model/types.js";
import type { ModelRef } from "../report/build.js";
import { DEFAULT_VERSIONS, parseVersion, type Version, type Versions } from "../versions.js";
import { firstUnsafeInteger } from "./exact.js";
import type { Io } from "./io.js";
import { parseJsonFile, readBoundedText } from "./read-json.js";
import { modelVariant } from "./model-variant.js";
import { isCheckpointName } from "./sources/checkpoint.js";
import { preparedAdapter, preparedModel } from "./sources/prepared.js";
import { transformed } from "./transform-flag.js";

export { MAX_JSON_BYTES, parseJsonFile, readBoundedText } from "./read-json.js";

function readJson(io: Io, path: string, defaultName: string): { path: string; value: unknown } {
  const abs = resolve(io.cwd, path);
  const file = io.isDirectory(abs) ? join(abs, defaultName) : abs;
  let text: string;
  try {
    text = readBoundedText(io, file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError("FILE_NOT_READABLE", `cannot read ${file}${code ? ` (${code})` : ""}`, `pass an existing ${defaultName} or a folder holding one`);
  }
  return { path: file, value: parseJsonFile(text, path) };
}

const looksLikePath = (s: string) => /[\\/]|\.json$/i.test(s) || s === "." || s === "..";
/** `org/name` as on the Hugging Face hub (and not an existing relative path) */
const looksLikeRepoId = (s: string) => /^[\w.-]+\/[\w.-]+$/.test(s) && !s.startsWith(".") && !/\.json$/i.test(s);

export function loadModelConfig(io: Io, model: string | undefined): { ref: ModelRef; config: RawConfig } {
  const name = model ?? DEFAULT_PRESET;
  const prepared = preparedModel(io, name);
  if (prepared) return prepared;
  const preset = findPreset(name);
  if (preset) return { ref: { id: preset.id, source: `preset:${preset.id}` }, config: preset.config };
  if (isCheckpointName(name)) {
    // a checkpoint is counted from the config.json saved beside it (the header is what `verify` compares)
    const config = join(dirname(resolve(io.cwd, name)), "config.json");
    if (io.stat?.(config)?.kind !== "file") throw noConfigBeside(name);
    return loadModelConfig(io, config);
  }
  if (!looksLikePath(name) && !io.isDirectory(resolve(io.cwd, name))) {
    const ids = MODEL_PRESETS.map((p) => p.id);
    throw new InputError("UNKNOWN_MODEL", `unknown model "${name}"`, `${didYouMean(name, ids)}run "peftcount models" for the presets, or pass a config.json path or folder`);
  }
  let read: { path: string; value: unknown };
  try {
    read = readJson(io, name, "config.json");
  } catch (e) {
    const dir = resolve(io.cwd, name);
    if (e instanceof InputError && e.code === "FILE_NOT_READABLE" && io.isDirectory(dir) && (io.listDir?.(dir) ?? []).some((f) => isCheckpointName(f))) throw noConfigBeside(name);
    if (!(e instanceof InputError && e.code === "FILE_NOT_READABLE" && looksLikeRepoId(name))) throw e;
    const aliases = MODEL_PRESETS.flatMap((p) => p.aliases);
    throw new InputError(
      "UNKNOWN_MODEL",
      `unknown model "${name}": not a preset, and no such file or folder`,
      `${didYouMean(name, aliases)}peftcount works offline: save https://huggingface.co/${name}/blob/main/config.json and pass its path`,
    );
  }
  const { path, value } = read;
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InputError("INVALID_CONFIG", `${name} must hold a JSON object (a Hugging Face config.json)`, "pass the model's config.json");
  const cfg = value as RawConfig;
  const id = typeof cfg["_name_or_path"] === "string" && cfg["_name_or_path"] !== "" ? (cfg["_name_or_path"] as string) : path;
  return { ref: { id, source: path }, config: cfg };
}

const noConfigBeside = (name: string) =>
  new InputError("NO_CONFIG", `${name} is a safetensors checkpoint with no config.json beside it`, `peftcount builds the model from config.json: save it next to the checkpoint; "peftcount verify --model ${name}" reports what the checkpoint holds`);

export function loadAdapter(io: Io, path: string): { path: string; adapter: Record<string, unknown> } {
  const prepared = preparedAdapter(io, path);
  if (prepared) return prepared;
  const { path: file, value } = readJson(io, path, "adapter_config.json");
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InputError("INVALID_ADAPTER", `${path} must hold a JSON object (a PEFT adapter_config.json)`, 'it looks like {"peft_type": "LORA", "r": 8, ...}');
  return { path: file, adapter: value as Record<string, unknown> };
}

/** Options read from a file must be exact: an integer past 2^53 was already rounded by JSON.parse. */
export function assertExactOptions(options: Record<string, unknown>, keys: readonly string[], file: string): void {
  for (const key of keys) {
    const bad = firstUnsafeInteger(options[key], key);
    if (bad)
      throw new InputError("INVALID_ADAPTER", `${file}: "${bad.path}" is past 2^53 and cannot be counted exactly (read as ${bad.value})`, `fix "${bad.path}" in ${file}`);
  }
}

export function parseNumLabels(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(String(v)) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError("INVALID_FLAG", `--num-labels must be a positive integer (got "${String(v)}")`, "e.g. --num-labels 3");
  return n;
}

export interface ModelFlags {
  model?: string;
  task?: string;
  numLabels?: string;
  expertLayout?: "per-expert" | "fused";
  peftVersion?: string;
  transformersVersion?: string;
  /** --set key=value (repeatable) and --upcycle experts=E,top_k=K,...: src/cli/model-variant.ts */
  set?: string[];
  upcycle?: string;
  /** --transform "NAME key=value ..." (repeatable): model transforms applied in order (src/model/transforms) */
  transform?: string[];
}

/** The releases to reproduce: --peft-version / --transformers-version, else the newest. */
export function versionsOf(flags: ModelFlags): Versions {
  const parse = (text: string | undefined, what: "peft" | "transformers", fallback: Version) => {
    if (text === undefined) return fallback;
    try {
      return parseVersion(text, what);
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.code, e.message, e.hint);
      throw e;
    }
  };
  return { peft: parse(flags.peftVersion, "peft", DEFAULT_VERSIONS.peft), transformers: parse(flags.transformersVersion, "transformers", DEFAULT_VERSIONS.transformers) };
}

export function loadInventory(io: Io, flags: ModelFlags, adapterTask?: unknown): { ref: ModelRef; inv: Inventory; ctx: Versions } {
  const { ref, config: loaded } = loadModelConfig(io, flags.model);
  const { config, finish } = modelVariant(io, loaded, flags);
  let task: Task | undefined = flags.task as Task | undefined;
  if (task === undefined && adapterTask !== undefined && adapterTask !== null) {
    if (!isTask(adapterTask))
      throw new InputError("INVALID_ADAPTER", `adapter task_type ${JSON.stringify(adapterTask)} is not a PEFT task type`, `use one of ${TASKS.join(", ")}`);
    task = adapterTask;
  }
  const ctx = versionsOf(flags);
  const inv = transformed(buildInventory(config, { task, numLabels: parseNumLabels(flags.numLabels), expertLayout: flags.expertLayout, transformers: ctx.transformers }), flags.transform);
  return { ref, inv: finish(inv, ctx), ctx };
}
