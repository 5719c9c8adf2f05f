import type { Preset } from "./types.js";

export const OPT_PRESETS: readonly Preset[] = [];
