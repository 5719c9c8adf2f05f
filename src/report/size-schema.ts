/**
 * The `adapterSize` of a row (issue 8): the size of the `adapter_model.safetensors` PEFT saves for the row, for a
 * base model loaded in a dtype (src/size/). Shared by compare --size (schema.ts rows) and check / budget / sweep
 * (gates-schema.ts). Adding fields keeps schemaVersion 1.
 */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";

const count = z.int().check(z.nonnegative());
const dtype = z.enum(["fp32", "fp16", "bf16"]);

export const adapterSizeSchema = z.object({
  dtype: describe(dtype, "the base model's load dtype (torch_dtype): modules_to_save copies, biases and embedding layers are saved in it"),
  adapterDtype: describe(dtype, "dtype of the adapter weights: fp32 when PEFT autocasts (autocast_adapter_dtype=True, its default), else the load dtype"),
  autocastAdapterDtype: describe(z.boolean(), "PEFT's autocast_adapter_dtype the size assumes"),
  bytes: describe(count, "size of adapter_model.safetensors: header + data"),
  headerBytes: describe(count, "8-byte length + JSON header, padded to 8 bytes as the safetensors library writes it"),
  dataBytes: count,
  tensors: describe(count, "tensors in the file"),
  embeddingCopyBytes: describe(count, "bytes of whole embedding / LM-head matrices (modules_to_save copies, targeted embedding layers)"),
  headerExact: describe(z.boolean(), "false when a tensor's shape or module names were inferred (the data bytes are exact)"),
  complete: describe(z.boolean(), "false when the file also holds frozen tensors peftcount does not size yet"),
});
