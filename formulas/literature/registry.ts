/** Methods from the parameter-efficiency literature that no library ships (issue 11): each with its paper. */
import { llamaAdapterV2 } from "./llama-adapter-v2.js";
import { moeUpcycle } from "./moe-upcycle.js";
import { parscale } from "./parscale.js";
import { said } from "./said.js";
import { stateTuning } from "./state-tuning.js";
import { triadaptlora } from "./triadaptlora.js";

export const LITERATURE_FORMULAS = [llamaAdapterV2, triadaptlora, said, parscale, stateTuning, moeUpcycle] as const;
