/** Methods with tensors shared across modules, counted once (VeRA, VB-LoRA, RandLoRA, ...) */
import { frod } from "./frod.js";
import { lily } from "./lily.js";
import { pvera } from "./pvera.js";
import { randlora } from "./randlora.js";
import { tinylora } from "./tinylora.js";
import { unilora } from "./unilora.js";
import { vblora } from "./vblora.js";
import { vera } from "./vera.js";

export const SHARED_TENSOR_FAMILY = [vera, pvera, vblora, randlora, tinylora, unilora, lily, frod] as const;
