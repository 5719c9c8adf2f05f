/** The library: inventories, formulas, reports. Pure; usable in a browser (no node:*, chalk or commander). */
import { RE2JS } from "re2js";
import { evaluate as evaluateRaw, planMethod as planMethodRaw, sweep as sweepRaw } from "../formulas/index.js";
import { countLoraParams as countLoraRaw } from "../formulas/peft/lora.js";
import { installRegexEngine, RegexEngineNotLoaded } from "./peft/regex.js";
import { buildReport as buildReportRaw, buildRow as buildRowRaw } from "./report/build.js";
import { buildInspectReport as buildInspectRaw } from "./report/inspect.js";
import { solveBudget as solveBudgetRaw } from "./budget/budget.js";
import { rowAdapterSize as rowAdapterSizeRaw } from "./size/row-size.js";

export { FORMULAS, findFormula, formulaForPeftType, OptionsError, type Formula, type MethodId, type ParamBreakdown, type Part } from "../formulas/index.js";
export { loraOptionsSchema, type LoraOptions } from "../formulas/peft/lora.js";
export { buildInventory, supportedModelTypes, type InventoryOptions } from "./model/inventory.js";
export { MODEL_PRESETS, findPreset, DEFAULT_PRESET, type Preset } from "./model/presets/index.js";
export { TASKS, type Task } from "./model/tasks.js";
export { applyTransforms, findTransform, parseTransformSpec, TRANSFORMS, transformListings, type TransformDef, type TransformListing, type TransformSpec } from "./model/transforms/index.js";
export { totalParams, groupName, type Inventory, type ParamModule, type ModelDims } from "./model/types.js";
/** Parameters of a model: `totalParams(inv.modules)`, read from the compact form of an MoE (repeated experts listed once) without expanding it. */
export { modelParams } from "./model/compact.js";
export { type ModelRef, type RowRequest } from "./report/build.js";
export { comparisonReportSchema, type ComparisonReport, type Row } from "./report/schema.js";
export { inspectReportSchema, type InspectReport } from "./report/inspect.js";
export { InputError, UsageError, PeftcountError } from "./errors.js";
export { installRegexEngine, RegexEngineNotLoaded, type RegexEngine } from "./peft/regex.js";

/**
 * Every pattern is evaluated in linear time. Importing the library changes nothing: a pattern that needs a
 * regex engine (plain module names never do) installs RE2 (re2js) on first use, unless the caller injected
 * its own with `installRegexEngine`, and the computation runs again.
 */
function withRe2<F extends (...args: never[]) => unknown>(f: F): F {
  return ((...args: Parameters<F>) => {
    try {
      return f(...args);
    } catch (e) {
      if (!(e instanceof RegexEngineNotLoaded)) throw e;
      installRegexEngine(RE2JS);
      return f(...args);
    }
  }) as F;
}

export const evaluate = /* @__PURE__ */ withRe2(evaluateRaw);
export const countLoraParams = /* @__PURE__ */ withRe2(countLoraRaw);
/** A method planned once on a model, counted as a function of one option (formulas/sweep.ts). */
export const planMethod = /* @__PURE__ */ withRe2(planMethodRaw);
export const sweep = /* @__PURE__ */ withRe2(sweepRaw);
export { type PointCount } from "../formulas/index.js";
export const buildRow = /* @__PURE__ */ withRe2(buildRowRaw);
export const buildReport = /* @__PURE__ */ withRe2(buildReportRaw);
export const buildInspectReport = /* @__PURE__ */ withRe2(buildInspectRaw);
/** check / budget / sweep (issue 8): exact knob search, adapter file sizes, limits. */
export const solveBudget = /* @__PURE__ */ withRe2(solveBudgetRaw);
export const rowAdapterSize = /* @__PURE__ */ withRe2(rowAdapterSizeRaw);
export { type BudgetRequest, type BudgetAnswer, type BudgetTarget } from "./budget/budget.js";
export { SIZE_KNOBS, sizeKnobOf, ADAPTERHUB_SIZE_KNOBS, adapterHubKnobsOf, type SizeKnob } from "./budget/knobs.js";
export { solveBudgetFor, type BudgetSource } from "./budget/budget.js";
export { searchDirected, type DirectedSpec, type DirectedResult } from "./budget/directed.js";
export { parseParamCount, parseByteSize, parsePercent } from "./budget/units.js";
export { checkLimits, unmatchedTargets, type Limits } from "./report/check.js";
export { gatesReportSchema, type GatesReport } from "./report/gates-schema.js";
export { savedTensors, type SavedTensor } from "./size/saved-tensors.js";
export { headerBytes, headerJson, DTYPES, type Dtype, type TensorEntry } from "./size/safetensors-header.js";
export { type AdapterSize } from "./size/adapter-size.js";
export { countAdapterHub, type AdapterHubBreakdown, type AdapterHubCountOptions } from "./adapters/count.js";
export { resolveAdapterHub } from "./adapters/resolve.js";
export { chooseAdapterHubContext, NEWEST_ADAPTERS, ADAPTERS_TRANSFORMERS } from "./adapters/versions.js";
export { type AdapterHubContext, type AdapterHubMethod, type AdapterHubNamedConfig } from "./adapters/types.js";
export { ADAPTERHUB_CONFIGS, ADAPTERHUB_METHODS } from "../formulas/adapters/registry.js";
export { estimateMemory, adapterDtype, type MemoryEstimate, type MethodCount } from "./memory/estimate.js";
export { OPTIMIZERS, STRATEGIES, SINGLE_GPU, type MemorySetup, type Sharding, type OptimizerId, type Strategy, type Quantization } from "./memory/types.js";
export { fourBitBytes, eightBitBytes } from "./memory/bnb.js";
export { GPUS, findGpu, parseSize, formatBytes, type Gpu } from "./memory/gpus.js";
export { buildMemoryReport, memoryReportSchema, type MemoryReport, type MemoryRow } from "./report/memory.js";
