/** `peftcount schema`: the JSON Schema of the --json report. */
import * as z from "zod/mini";
import { comparisonReportSchema } from "../../report/schema.js";
import type { Io } from "../io.js";

export async function runSchema(_opts: Record<string, unknown>, _rest: string[], io: Io): Promise<void> {
  io.stdout(`${JSON.stringify(z.toJSONSchema(comparisonReportSchema), null, 2)}\n`);
}
