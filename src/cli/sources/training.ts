import type { Io } from "../io.js";
export async function prepareTrainingConfig(_io: Io, file: string, _kind: "axolotl" | "llama-factory", _o: Record<string, unknown>): Promise<string> {
  return file;
}
