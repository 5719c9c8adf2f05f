/**
 * Hub ids as models and adapters: config.json / adapter_config.json downloaded into the shared cache (hub.ts),
 * else the cached copy, else, for a model, the preset of the same architecture (derivatives.ts) with a note
 * on stderr, else an error naming the file to save and where. Loaded only when a name looks like a repo id.
 */
import { didYouMean, InputError } from "../../errors.js";
import { findPreset, MODEL_PRESETS } from "../../model/presets/index.js";
import type { Io } from "../io.js";
import { parseJsonFile, readBoundedText } from "../read-json.js";
import { derivativePreset } from "./derivatives.js";
import { hubSettings, type HubSettings } from "./hf-env.js";
import { cachedFile, downloadToCache, HubUnreachable, repoFolder, resolveUrl, type RepoRef } from "./hub.js";
import { prepareAdapter, prepareModel } from "./prepared.js";

/** config.json and adapter_config.json are small; anything past this is not one */
const MAX_HUB_JSON = 16 * 1024 * 1024;

export async function prepareHubAdapter(io: Io, name: string, ref: RepoRef): Promise<void> {
  const { path, value } = await hubJson(io, hubSettings(io), ref, "adapter_config.json");
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InputError("INVALID_ADAPTER", `${path} must hold a JSON object (a PEFT adapter_config.json)`, "");
  prepareAdapter(io, name, { path, adapter: value as Record<string, unknown> });
}

export async function prepareHubModel(io: Io, name: string, ref: RepoRef, fromAdapter?: string): Promise<void> {
  if (findPreset(name)) return; // presets never touch the network
  const s = hubSettings(io);
  try {
    const { path, value } = await hubJson(io, s, ref, "config.json");
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InputError("INVALID_CONFIG", `${path} must hold a JSON object (a Hugging Face config.json)`, "");
    prepareModel(io, name, { ref: { id: ref.revision === "main" ? ref.repo : `${ref.repo}@${ref.revision}`, source: path }, config: value as Record<string, unknown> });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (e.code === "HUB_NOT_CACHED") {
      const preset = derivativePreset(ref.repo);
      if (preset) {
        io.stderr(`note: ${ref.repo} is counted as the preset ${preset.id} (same architecture): ${e.message.replace(/^.*?: /, "")}\n`);
        prepareModel(io, name, { ref: { id: preset.id, source: `preset:${preset.id}` }, config: preset.config });
        return;
      }
    }
    if (e.code === "HUB_NOT_FOUND") {
      const aliases = MODEL_PRESETS.flatMap((p) => p.aliases);
      const near = derivativePreset(ref.repo)?.aliases[0];
      const from = fromAdapter ? ` (base_model_name_or_path of ${fromAdapter})` : "";
      throw new InputError(e.code, `${e.message}${from}`, `${near ? `did you mean "${near}"? ` : didYouMean(ref.repo, aliases)}run "peftcount models" for the presets, or pass a config.json path`);
    }
    throw e;
  }
}


/** A JSON file of a Hub repo: downloaded into the cache, else the cached copy, else an error naming the file to save. */
async function hubJson(io: Io, s: HubSettings, ref: RepoRef, file: string): Promise<{ path: string; value: unknown }> {
  let why = "HF_HUB_OFFLINE is set";
  if (!s.offline) {
    try {
      const { path, bytes } = await downloadToCache(io, s, ref, file, MAX_HUB_JSON);
      return { path, value: parseJsonFile(new TextDecoder().decode(bytes), `${ref.repo}/${file}`) };
    } catch (e) {
      if (!(e instanceof HubUnreachable)) throw e;
      why = `the Hub (${s.endpoint}) could not be reached: ${e.message}`;
    }
  }
  const cached = cachedFile(io, s, ref, file);
  if (cached) {
    if (!s.offline) io.stderr(`note: ${why}; using the cached ${file} of ${ref.repo}\n`);
    return { path: cached, value: parseJsonFile(readBoundedText(io, cached, MAX_HUB_JSON), cached) };
  }
  const where = ref.revision === "main" ? `${repoFolder(s, ref.repo)}/snapshots/manual/${file}` : `a file`;
  throw new InputError(
    "HUB_NOT_CACHED",
    `${ref.repo}: ${file} is not in the Hugging Face cache (${s.cacheDir}) and ${why}`,
    `save ${resolveUrl(s, ref, file)} as ${where}${ref.revision === "main" ? "" : " and pass its path"}${file === "config.json" ? ", or pass --model <path to config.json>" : ""}`,
  );
}
