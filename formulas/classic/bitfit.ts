/**
 * BitFit (Ben Zaken et al. 2021): freeze the model, train every bias term in place. Nothing is added:
 * allParams is the base model. Which parameters are "biases": those whose own name is exactly `bias`
 * (the full name ends in `.bias`) — the biases of Linear / Conv1D layers, of LayerNorms, BERT's MLM
 * output bias; not T5's `relative_attention_bias` (an embedding table), nor any other parameter whose
 * name merely contains "bias". A tied bias counts once. Models without biases (Llama, Mistral, Qwen3, T5)
 * have nothing to train beyond the head. As in the paper, the freshly initialised task head of a
 * SEQ_CLS / TOKEN_CLS / QUESTION_ANS model trains too (`train_head`, whole, in place); an LM head never does.
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import type { Inventory } from "../../src/model/types.js";
import type { ParamBreakdown } from "../../src/breakdown.js";
import { moduleTree } from "../../src/peft/modules.js";
import { headModules, trainInPlace, type InPlace } from "../../src/peft/selection.js";
import { describe, type Formula } from "../types.js";

export const bitfitOptionsSchema = lazySchema(() => z.object({
  train_head: describe(z._default(z.boolean(), true), "also train the new task head of a SEQ_CLS / TOKEN_CLS / QUESTION_ANS model (as the paper does); never an LM head"),
}));
export type BitfitOptions = z.output<typeof bitfitOptionsSchema>;

const HEAD_TASKS = new Set(["SEQ_CLS", "TOKEN_CLS", "QUESTION_ANS"]);

export function countBitfitParams(inv: Inventory, o: BitfitOptions): ParamBreakdown {
  const tree = moduleTree(inv.modules);
  const warnings: string[] = [];
  const head = o.train_head && HEAD_TASKS.has(inv.task) ? headModules(inv, tree) : [];
  const inHead = new Set(head);
  const chosen: InPlace[] = [
    ...tree.leaves.filter((m) => !inHead.has(m) && m.params.some((p) => p.name === "bias")).map((m) => ({ m, params: ["bias"], kind: "bias" as const })),
    ...head.map((m) => ({ m, kind: "base" as const })),
  ];
  if (!chosen.some((c) => c.kind === "bias")) warnings.push("this model has no bias parameters: BitFit trains no bias here");
  return trainInPlace(inv, chosen, warnings);
}

export const bitfit = {
  id: "bitfit",
  title: "BitFit",
  paper: "arXiv:2106.10199",
  peftType: null,
  expression: "Σ bias parameters (named `bias`, tied once) [+ the task head]",
  schema: bitfitOptionsSchema,
  count: countBitfitParams,
  // biases and the head, module by module: weighted on a compact inventory (selection.ts trainInPlace)
  compact: () => true,
} as const satisfies Formula<typeof bitfitOptionsSchema>;
