import type { Preset } from "./types.js";

export const T5_PRESETS: readonly Preset[] = [];
