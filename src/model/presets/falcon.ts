import type { Preset } from "./types.js";

export const FALCON_PRESETS: readonly Preset[] = [];
