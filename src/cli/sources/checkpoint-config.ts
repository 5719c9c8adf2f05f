/**
 * A safetensors checkpoint with no config.json beside it: the config inferred from its tensor names and shapes
 * (model/sources/infer-config.ts), checked against the checkpoint itself before use, with a note saying so.
 * With a config.json beside it, nothing is done here (load.ts reads that config).
 */
import { dirname, join, resolve } from "node:path";
import { buildInventory } from "../../model/inventory.js";
import { inferConfig } from "../../model/sources/infer-config.js";
import { verifyCheckpoint } from "../../model/sources/verify.js";
import type { Io } from "../io.js";
import { findCheckpoint } from "./checkpoint.js";
import { prepareModel } from "./prepared.js";

export async function prepareCheckpointConfig(io: Io, name: string): Promise<void> {
  const abs = resolve(io.cwd, name);
  const dir = io.isDirectory(abs) ? abs : dirname(abs);
  if (io.stat?.(join(dir, "config.json"))?.kind === "file") return; // counted from it (load.ts); no header read
  const ck = findCheckpoint(io, name);
  if (!ck || ck.configPath !== undefined) return;
  const inferred = inferConfig(ck.tensors);
  if (!inferred) return; // load.ts says to save config.json beside it
  const diff = verifyCheckpoint(buildInventory(inferred.config, {}), ck.tensors);
  if (diff.missing.length + diff.extra.length + diff.shapeMismatch.length > 0) return;
  io.stderr(`note: no config.json beside ${name}: the config is inferred from its ${ck.tensors.length} tensors (${inferred.assumed})\n`);
  prepareModel(io, name, { ref: { id: name, source: ck.files[0] ?? name }, config: inferred.config });
}
