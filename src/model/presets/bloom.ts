import type { Preset } from "./types.js";

export const BLOOM_PRESETS: readonly Preset[] = [];
