/**
 * `--model file.gguf`: the header read with @huggingface/gguf (loaded on this path only) through a fetch that
 * serves HTTP range requests from the file with bounded reads (the parser asks for 2 MB chunks and stops at
 * 50 MB), so a multi-gigabyte GGUF is never read whole. The metadata becomes a config.json (model/sources/gguf.ts)
 * and the tensors, named as transformers names them, are kept for `verify`.
 */
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import { ggufTensorsToHf, ggufToConfig, type GgufTensor } from "../../model/sources/gguf.js";
import type { Io } from "../io.js";
import { prepareCheckpoint, prepareModel } from "./prepared.js";

/** A fetch over one local file: `Range: bytes=a-b` → 206 with those bytes and Content-Range. */
function rangeFetch(io: Io, file: string, size: number): typeof fetch {
  return async (_input, init) => {
    const range = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get("range") ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = Math.min(range ? Number(range[2]) : size - 1, size - 1, start + 8 * 1024 * 1024 - 1);
    const bytes = start < size ? io.readBytes!(file, start, end - start + 1) : new Uint8Array();
    return new Response(bytes, { status: 206, headers: { "Content-Range": `bytes ${start}-${start + bytes.length - 1}/${size}` } });
  };
}

export async function prepareGguf(io: Io, name: string): Promise<void> {
  const file = resolve(io.cwd, name);
  const st = io.stat?.(file);
  if (st?.kind !== "file" || !io.readBytes) throw new InputError("FILE_NOT_READABLE", `${file} is not a regular file`, "pass a .gguf file saved on disk");
  const magic = io.readBytes(file, 0, 4);
  if (new TextDecoder().decode(magic) !== "GGUF") throw new InputError("INVALID_GGUF", `${name} is not a GGUF file (it does not start with "GGUF")`, "pass a .gguf file written by llama.cpp");
  const { gguf } = await import("./hub-client.js");
  let parsed: Awaited<ReturnType<typeof gguf>>;
  try {
    parsed = await gguf("http://gguf.invalid/local.gguf", { fetch: rangeFetch(io, file, st.size) });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new InputError("INVALID_GGUF", `${name}: the GGUF header cannot be read (${msg.replace(/^not a valid gguf file: /, "")})`, "the file is truncated or corrupt: download it again");
  }
  // the parser reads past the end of a short file as zeros: a header that ends after the file is truncated
  if (Number(parsed.tensorDataOffset) > st.size)
    throw new InputError("INVALID_GGUF", `${name}: the GGUF header cannot be read (it ends at byte ${parsed.tensorDataOffset}, after the end of the ${st.size}-byte file)`, "the file is truncated or corrupt: download it again");
  const tensors: GgufTensor[] = parsed.tensorInfos.map((t) => ({ name: t.name, ne: t.shape.map((d) => Number(d)), type: typeName(t.dtype) }));
  const metadata = parsed.metadata as Record<string, unknown>;
  const config = ggufToConfig(metadata, tensors, name);
  const arch = String(metadata["general.architecture"]);
  const label = typeof metadata["general.name"] === "string" ? (metadata["general.name"] as string) : name;
  prepareModel(io, name, { ref: { id: label, source: file }, config });
  const { mapped, unmapped } = ggufTensorsToHf(arch, tensors);
  prepareCheckpoint(io, name, { files: [file], tensors: [...mapped, ...tensors.filter((t) => unmapped.includes(t.name)).map((t) => ({ name: t.name, dtype: t.type, shape: [...t.ne].reverse() }))], unmapped });
}

/** ggml type ids → names (ggml.h enum ggml_type), for the per-dtype report. */
const GGML_TYPES = ["F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0", "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16"];
const typeName = (t: number) => GGML_TYPES[t] ?? `type${t}`;
