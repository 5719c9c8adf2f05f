import type { Preset } from "./types.js";

export const BART_PRESETS: readonly Preset[] = [];
