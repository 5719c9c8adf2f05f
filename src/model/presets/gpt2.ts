import type { Preset } from "./types.js";

export const GPT2_PRESETS: readonly Preset[] = [];
