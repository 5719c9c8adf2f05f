/** Spectral, sparse and other per-module methods (FourierFT, WaveFT, SHiRA, ...) */
import { adamss } from "./adamss.js";
import { beft } from "./beft.js";
import { deft } from "./deft.js";
import { fourierft } from "./fourierft.js";
import { osf } from "./osf.js";
import { peanut } from "./peanut.js";
import { shadow } from "./shadow.js";
import { shira } from "./shira.js";
import { supertuning } from "./supertuning.js";
import { waveft } from "./waveft.js";

export const SPECTRAL_FAMILY = [fourierft, waveft, shira, peanut, osf, adamss, beft, deft, shadow, supertuning] as const;
