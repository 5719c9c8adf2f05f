/**
 * The asynchronous part of reading what the user points at, run before a command: Hub ids (config.json,
 * adapter_config.json), GGUF headers and training YAML. What it resolves is handed to the synchronous
 * loaders through prepared.ts; everything else (presets, local JSON, safetensors headers) is read there.
 */
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import type { Io } from "../io.js";
import { MAX_JSON_BYTES, parseJsonFile, readBoundedText } from "../read-json.js";
import { parseRepoRef, type RepoRef } from "./hub.js";
import { preparedAdapter } from "./prepared.js";

type Opts = Record<string, unknown>;

export async function prepareInputs(opts: Opts, io: Io): Promise<Opts> {
  const o = { ...opts };
  for (const [flag, kind] of [["axolotl", "axolotl"], ["llamaFactory", "llama-factory"]] as const) {
    if (typeof o[flag] !== "string") continue;
    const { prepareTrainingConfig } = await import("./training.js");
    o["adapter"] = await prepareTrainingConfig(io, o[flag] as string, kind, o);
  }
  let adapterFile: string | undefined;
  if (typeof o["adapter"] === "string") {
    adapterFile = o["adapter"];
    const ref = hubName(io, adapterFile);
    if (ref && !preparedAdapter(io, adapterFile)) await (await import("./hub-source.js")).prepareHubAdapter(io, adapterFile, ref);
  }
  if (o["fromWeights"] === true) {
    if (typeof o["model"] !== "string") throw new InputError("FROM_WEIGHTS_NEEDS_MODEL", "--from-weights needs --model org/name (the Hub repo whose safetensors headers to read)", "e.g. --model Qwen/Qwen2.5-0.5B --from-weights");
    await (await import("./from-weights.js")).prepareFromWeights(io, o["model"]);
  } else if (typeof o["model"] === "string") await prepareModelName(io, o["model"]);
  else if (adapterFile !== undefined) {
    const base = baseModelOf(io, adapterFile);
    if (base !== undefined) await prepareModelName(io, base, adapterFile);
  }
  return o;
}

/** Shaped like a Hub repo id and not something on disk (presets are told apart later, with the preset table). */
function hubName(io: Io, name: string): RepoRef | undefined {
  const ref = parseRepoRef(name);
  if (!ref || io.stat?.(resolve(io.cwd, name)) !== undefined || io.isDirectory(resolve(io.cwd, name))) return undefined;
  return ref;
}

/** The adapter's base_model_name_or_path, when it is a string; undefined if the adapter cannot be read here. */
function baseModelOf(io: Io, adapterFile: string): string | undefined {
  let adapter = preparedAdapter(io, adapterFile)?.adapter;
  if (!adapter) {
    const abs = resolve(io.cwd, adapterFile);
    const file = io.isDirectory(abs) ? resolve(abs, "adapter_config.json") : abs;
    try {
      adapter = parseJsonFile(readBoundedText(io, file, MAX_JSON_BYTES), adapterFile) as Record<string, unknown>;
    } catch {
      return undefined; // the command reports it
    }
  }
  const base = adapter?.["base_model_name_or_path"];
  return typeof base === "string" && base !== "" ? base : undefined;
}

async function prepareModelName(io: Io, name: string, fromAdapter?: string): Promise<void> {
  if (/\.gguf$/i.test(name) && io.stat?.(resolve(io.cwd, name))?.kind === "file") return (await import("./gguf-source.js")).prepareGguf(io, name);
  if (/\.safetensors$|\.safetensors\.index\.json$/i.test(name) || io.isDirectory(resolve(io.cwd, name))) return (await import("./checkpoint-config.js")).prepareCheckpointConfig(io, name);
  const ref = hubName(io, name);
  if (ref) return (await import("./hub-source.js")).prepareHubModel(io, name, ref, fromAdapter);
  if (fromAdapter !== undefined && /^([/~]|[A-Za-z]:\\|\.\.?\/)/.test(name) && io.stat?.(resolve(io.cwd, name)) === undefined)
    throw new InputError("BASE_MODEL_NOT_FOUND", `${fromAdapter} names its base model "${name}" (base_model_name_or_path), a path that does not exist here`, "the path was written where the adapter was trained: pass --model <preset | HF repo id | config.json>");
}
