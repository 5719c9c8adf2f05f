import type { Preset } from "./types.js";

export const GPT_NEOX_PRESETS: readonly Preset[] = [];
