/** `peftcount schema [report|methods|memory|check|budget|sweep|transforms]`: the JSON Schema of a --json payload. */
import * as z from "zod/mini";
import { UsageError } from "../../errors.js";
import { memoryReportSchema } from "../../report/memory.js";
import { methodsReportSchema } from "../../report/methods.js";
import { comparisonReportSchema } from "../../report/schema.js";
import { gatesReportSchema } from "../../report/gates-schema.js";
import { transformsReportSchema } from "../../report/transforms.js";
import type { Io } from "../io.js";

const SCHEMAS = { report: comparisonReportSchema, methods: methodsReportSchema, memory: memoryReportSchema, check: gatesReportSchema, budget: gatesReportSchema, sweep: gatesReportSchema, transforms: transformsReportSchema } as const;

export async function runSchema(_opts: Record<string, unknown>, rest: string[], io: Io): Promise<void> {
  const which = rest[0] ?? "report";
  if (!(which in SCHEMAS)) throw new UsageError("UNKNOWN_SCHEMA", `unknown schema "${which}"`, `schemas: ${Object.keys(SCHEMAS).join(", ")} (report is compare/count --json)`);
  io.stdout(`${JSON.stringify(z.toJSONSchema(SCHEMAS[which as keyof typeof SCHEMAS]), null, 2)}\n`);
}
