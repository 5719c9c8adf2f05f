/** Orthogonal and rotation methods (OFT, BOFT, HRA, MiSS / Bone, RoAd, PSOFT, C3A) */
import { boft } from "./boft.js";
import { bone } from "./bone.js";
import { c3a } from "./c3a.js";
import { hra } from "./hra.js";
import { miss } from "./miss.js";
import { oft } from "./oft.js";
import { psoft } from "./psoft.js";
import { road } from "./road.js";

export const ORTHOGONAL_FAMILY = [oft, boft, hra, miss, bone, road, psoft, c3a] as const;
