/** Orthogonal and rotation methods (OFT, BOFT, HRA, MiSS/Bone, RoAd, ...) */
export const ORTHOGONAL_FAMILY = [] as const;
