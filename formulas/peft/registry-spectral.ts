/** Spectral, sparse and other per-module methods (FourierFT, WaveFT, SHiRA, ...) */
export const SPECTRAL_FAMILY = [] as const;
