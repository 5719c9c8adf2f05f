/** `peftcount inspect`: the module inventory of a model. */
import { buildInspectReport } from "../../report/inspect.js";
import { createColours } from "../../render/colours.js";
import { renderInspectMarkdown, renderInspectTable } from "../../render/inspect.js";
import { formatOf, type Io, type OutputOptions } from "../io.js";
import { loadInventory, type ModelFlags } from "../load.js";
import { withRegexEngine } from "../regex-engine.js";

export async function runInspect(opts: Record<string, unknown>, _rest: string[], io: Io): Promise<void> {
  const o = opts as unknown as ModelFlags & OutputOptions;
  const { ref, inv } = loadInventory(io, o);
  const report = await withRegexEngine(() => buildInspectReport(ref, inv));
  const format = formatOf(o);
  if (format === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === "markdown") io.stdout(renderInspectMarkdown(report));
  else if (format === "csv")
    io.stdout(["name,className,modules,paramsTotal,defaultTarget,allLinear", ...report.groups.map((g) => `${g.name},${g.className},${g.modules},${g.paramsTotal},${g.defaultTarget},${g.allLinear}`)].join("\r\n") + "\r\n");
  else io.stdout(renderInspectTable(report, createColours({ isTTY: io.isTTY, env: io.env, noColor: !o.color }), io.columns));
}
