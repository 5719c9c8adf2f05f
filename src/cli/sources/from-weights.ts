/**
 * `--from-weights` with a Hub id (or a preset, through its Hub id): the model is what the repo's safetensors headers
 * hold, read with HTTP range requests (remote-weights.ts; never the weights), instead of its config.json. The config
 * is inferred from the tensor names and shapes and checked against every tensor before it is used.
 */
import { InputError } from "../../errors.js";
import { buildInventory } from "../../model/inventory.js";
import { inferConfig } from "../../model/sources/infer-config.js";
import { verifyCheckpoint } from "../../model/sources/verify.js";
import type { Io } from "../io.js";
import { prepareModel } from "./prepared.js";
import { remoteCheckpoint } from "./remote-weights.js";

export async function prepareFromWeights(io: Io, name: string): Promise<void> {
  const ck = await remoteCheckpoint(io, name);
  if (!ck) throw new InputError("FROM_WEIGHTS_NOT_HUB", `--from-weights reads a Hub repo's safetensors headers, and "${name}" is no Hub id or preset`, "give --model org/name, or drop --from-weights (a local checkpoint is read from its headers anyway)");
  const inferred = inferConfig(ck.tensors);
  if (!inferred)
    throw new InputError("UNSUPPORTED_CHECKPOINT", `${name}: no config can be inferred from its ${ck.tensors.length} tensors (peftcount infers Llama, Qwen2 and Qwen3 checkpoints)`, "drop --from-weights to count from the repo's config.json");
  const diff = verifyCheckpoint(buildInventory(inferred.config, {}), ck.tensors);
  const differences = diff.missing.length + diff.extra.length + diff.shapeMismatch.length;
  if (differences > 0)
    throw new InputError("CHECKPOINT_MISMATCH", `${name}: the config inferred from its safetensors headers does not rebuild them (${differences} difference(s))`, `run "peftcount verify --model ${name}" to see them, or drop --from-weights`);
  io.stderr(`note: ${name}: counted from its safetensors headers (${ck.tensors.length} tensors read with HTTP range requests; ${inferred.assumed})\n`);
  prepareModel(io, name, { ref: { id: name, source: ck.files[0] ?? name }, config: inferred.config });
}
