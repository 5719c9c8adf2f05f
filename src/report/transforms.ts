/** The `transforms --json` contract: every model transform with its papers, count, exactness and options. */
import * as z from "zod/mini";
import { describe } from "../../formulas/types.js";

export const transformsReportSchema = z.object({
  schemaVersion: z.literal(1),
  transforms: z.array(
    z.object({
      id: describe(z.string(), 'the NAME of --transform "NAME key=value ..."'),
      title: z.string(),
      paper: z.string(),
      expression: describe(z.string(), "what the transform does to the counts, in one line"),
      exactness: describe(z.string(), "which numbers are exact and which are a bound or a convention"),
      options: z.array(z.object({ key: z.string(), text: z.string(), default: z.optional(describe(z.string(), "absent: the option is required")) })),
    }),
  ),
});
