import type { Preset } from "./types.js";

export const DISTILBERT_PRESETS: readonly Preset[] = [];
