/**
 * `verify --model org/name` (or a preset, through its Hub id): the checkpoint's safetensors headers read from
 * the Hub with HTTP range requests (@huggingface/hub parseSafetensorsMetadata: 8 bytes, then the header, of
 * model.safetensors or of every shard of model.safetensors.index.json), never the weights.
 */
import { InputError } from "../../errors.js";
import { findPreset } from "../../model/presets/index.js";
import type { TensorEntry } from "../../model/sources/safetensors.js";
import type { Io } from "../io.js";
import { hubSettings } from "./hf-env.js";
import { classify, parseRepoRef, resolveUrl, timedFetch, type RepoRef } from "./hub.js";

export async function remoteCheckpoint(io: Io, name: string): Promise<{ files: string[]; tensors: TensorEntry[] } | undefined> {
  const alias = findPreset(name)?.aliases[0];
  const ref: RepoRef | undefined = parseRepoRef(alias ?? name);
  if (!ref) return undefined;
  const s = hubSettings(io);
  if (s.offline || !io.fetch)
    throw new InputError("HUB_OFFLINE", `verify ${name} reads ${ref.repo}'s safetensors headers from the Hub, and ${s.offline ? "HF_HUB_OFFLINE is set" : "there is no network"}`, "download the checkpoint (or only its headers) and pass its folder");
  const { fetch: timed, last } = timedFetch(io.fetch, s.timeoutMs);
  const hub = await import("./hub-client.js");
  try {
    const meta = await hub.parseSafetensorsMetadata({ repo: { type: "model", name: ref.repo }, revision: ref.revision, hubUrl: s.endpoint, fetch: timed, ...(s.token ? { accessToken: s.token } : {}) });
    const headers = meta.sharded ? Object.values(meta.headers) : [meta.header];
    const tensors = headers.flatMap((h) => Object.entries(h).flatMap(([n, t]) => (n === "__metadata__" ? [] : [{ name: n, dtype: String((t as { dtype: string }).dtype), shape: (t as { shape: number[] }).shape }])));
    return { files: meta.filepaths?.map((f) => resolveUrl(s, ref, f)) ?? [resolveUrl(s, ref, "model.safetensors")], tensors };
  } catch (e) {
    const err = classify(e, last(), ref, "model.safetensors", s);
    if (err instanceof InputError) throw err;
    const msg = e instanceof Error ? e.message : String(e);
    if (/Failed to parse|safetensor/i.test(msg)) throw new InputError("INVALID_SAFETENSORS", `${ref.repo}: ${msg.replace(/\. URL: .*$/, "")}`, "");
    throw new InputError("HUB_UNREACHABLE", `${ref.repo}: the Hub (${s.endpoint}) could not be reached: ${err.message}`, "try again, or download the checkpoint and pass its folder");
  }
}
