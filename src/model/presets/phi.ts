import type { Preset } from "./types.js";

export const PHI_PRESETS: readonly Preset[] = [];
