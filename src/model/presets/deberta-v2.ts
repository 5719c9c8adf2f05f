import type { Preset } from "./types.js";

export const DEBERTA_V2_PRESETS: readonly Preset[] = [];
