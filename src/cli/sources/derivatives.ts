/**
 * Hub ids that are re-uploads or fine-tunes of a preset with the same shapes: Instruct / Chat / -it variants,
 * `unsloth/` and `NousResearch/` mirrors, bnb-4bit / GPTQ / AWQ uploads (quantized storage, same logical
 * parameters). Used only when the Hub cannot be asked (offline, unreachable) and nothing is cached; the CLI
 * says so on stderr. Versions are kept (Mistral-7B v0.3 has a larger vocabulary than v0.1).
 */
import { MODEL_PRESETS, type Preset } from "../../model/presets/index.js";

const VARIANT = /(?:^|[-_])(?:instruct|chat|it|hf|base|pt|bnb|4bit|8bit|gptq|awq|int4|int8|unsloth)(?=[-_]|$)/g;

export function derivativeKey(id: string): string {
  let name = (id.split("/").pop() ?? id).toLowerCase().replace(/^meta-/, "");
  for (let prev = ""; prev !== name; ) [prev, name] = [name, name.replace(VARIANT, "")];
  return name.replace(/^[-_]+|[-_]+$/g, "");
}

/** The preset sharing `id`'s architecture by name, or undefined. */
export function derivativePreset(id: string): Preset | undefined {
  const key = derivativeKey(id);
  if (key === "") return undefined;
  return MODEL_PRESETS.find((p) => derivativeKey(p.id) === key || p.aliases.some((a) => derivativeKey(a) === key));
}
