/** The library: inventories, formulas, reports. Pure; usable in a browser (no node:*, chalk or commander). */
export { FORMULAS, findFormula, formulaForPeftType, evaluate, OptionsError, type Formula, type MethodId, type ParamBreakdown, type Part } from "../formulas/index.js";
export { countLoraParams, loraOptionsSchema, type LoraOptions } from "../formulas/peft/lora.js";
export { buildInventory, supportedModelTypes, type InventoryOptions } from "./model/inventory.js";
export { MODEL_PRESETS, findPreset, DEFAULT_PRESET, type Preset } from "./model/presets/index.js";
export { TASKS, type Task } from "./model/tasks.js";
export { totalParams, groupName, type Inventory, type ParamModule, type ModelDims } from "./model/types.js";
export { buildReport, buildRow, type ModelRef, type RowRequest } from "./report/build.js";
export { comparisonReportSchema, type ComparisonReport, type Row } from "./report/schema.js";
export { buildInspectReport, inspectReportSchema, type InspectReport } from "./report/inspect.js";
export { InputError, UsageError, PeftcountError } from "./errors.js";

// The library evaluates every pattern in linear time with RE2; the CLI installs it only when needed.
import { RE2JS } from "re2js";
import { installRegexEngine } from "./peft/regex.js";

installRegexEngine(RE2JS);
export { installRegexEngine, RegexEngineNotLoaded } from "./peft/regex.js";
