/**
 * A trained adapter's `adapter_model.safetensors` beside its adapter_config.json: the tensors PEFT actually
 * saved (`get_peft_model_state_dict`: lora_A / lora_B / magnitudes, modules_to_save copies, biases when
 * bias != "none"), counted from the header alone and compared with what the config implies. A mismatch is
 * explained when the file says why: module widths that are not the base model's (a wrong base model), saved
 * copies of whole modules (modules_to_save / embeddings), else a different PEFT version or options.
 */
import { dirname, join, resolve } from "node:path";
import { countByDtype } from "../../model/sources/safetensors.js";
import { grouped } from "../../render/format.js";
import type { Inventory } from "../../model/types.js";
import type { Io } from "../io.js";
import { readSafetensorsHeader } from "./checkpoint.js";

const ADAPTER_PART = /\.(lora_[AB]|lora_magnitude_vector|lora_embedding_[AB]|hada_w\d_[ab]|lokr_w\d(_[ab])?|oft_r|ia3_l|vera_lambda_[bd])(\.weight)?$/;

export function checkSavedAdapter(io: Io, adapterArg: string, trainable: number, inv: Inventory): void {
  const abs = resolve(io.cwd, adapterArg);
  const dir = io.isDirectory(abs) ? abs : dirname(abs);
  const file = join(dir, "adapter_model.safetensors");
  if (io.stat?.(file)?.kind !== "file") return;
  const { tensors } = readSafetensorsHeader(io, file);
  const { total } = countByDtype(tensors);
  const label = `${adapterArg.replace(/\/$/, "")}/adapter_model.safetensors`.replace(/^\.\//, "");
  if (total === trainable) {
    io.stderr(`note: ${label} holds ${grouped(total)} parameters in ${tensors.length} tensors, as the config implies\n`);
    return;
  }
  const modules = new Map(inv.modules.map((m) => [m.name, m]));
  let why = "a different PEFT version or options than the config says";
  for (const t of tensors) {
    const m = /^(?:base_model\.model\.)?(.+)\.lora_A(?:\.[\w-]+)?\.weight$/.exec(t.name);
    const mod = m ? modules.get(m[1]!) : undefined;
    if (mod && (mod.kind === "linear" || mod.kind === "conv1d") && t.shape.length === 2 && t.shape[1] !== mod.inFeatures) {
      why = `a different base model: ${m![1]} takes ${t.shape[1]} inputs in the file, ${mod.inFeatures} in ${inv.modelClass}`;
      break;
    }
  }
  if (why.startsWith("a different PEFT") && tensors.some((t) => !ADAPTER_PART.test(t.name) && !/\.bias$/.test(t.name))) why = "modules_to_save or saved embedding copies that the config does not account for";
  io.stderr(`warning: ${label} holds ${grouped(total)} parameters in ${tensors.length} tensors; the config implies ${grouped(trainable)}: ${why}\n`);
}
