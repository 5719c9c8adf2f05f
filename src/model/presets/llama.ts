import type { Preset } from "./types.js";

export const LLAMA_PRESETS: readonly Preset[] = [];
