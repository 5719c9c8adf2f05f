import type { Preset } from "./types.js";

export const MOE_PRESETS: readonly Preset[] = [];
