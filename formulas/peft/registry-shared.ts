/** Methods with tensors shared across modules, counted once (VeRA, VB-LoRA, RandLoRA, ...) */
export const SHARED_TENSOR_FAMILY = [] as const;
