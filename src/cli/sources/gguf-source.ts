import type { Io } from "../io.js";
export async function prepareGguf(_io: Io, _name: string): Promise<void> {}
