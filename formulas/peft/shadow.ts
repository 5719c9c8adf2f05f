/**
 * ShadowPEFT (arXiv:2604.19254): a small trainable "shadow" network rides the frozen decoder. Per wrapped
 * module (by default every decoder block; hidden size d of the base model, u = update_hidden_size ?? r):
 * `shadow_down` d×r and `shadow_up` r×d (no bias), and two update MLPs `shadow_update_transform` /
 * `shadow_update_gate`, each Linear(d, u) + Linear(u, d) with biases: 2·d·r + 2·(2·d·u + u + d).
 * Once per adapter: the mirror shadow backbone (the base backbone class rebuilt with shadow_num_hidden_layers
 * (default 1) layers and the other shadow_* sizes; its embed_tokens dropped when share_embeddings and the
 * width is the base's), a Linear(shadow d, d) projection when the widths differ, and for task_type SEQ_CLS a
 * copy of the classifier head — all trainable. A non-"mirror" shadow_model is a checkpoint to download:
 * refused, as its size is not in the config.
 * @see peft 0.21.0 src/peft/tuners/shadow/layers.py `ShadowLayer.update_layer`, model.py `_init_shadow_backbone`
 */
import { lazySchema } from "../lazy-schema.js";
import * as z from "zod/mini";
import { InputError } from "../../src/errors.js";
import type { Inventory } from "../../src/model/types.js";
import { settle, type AddedParam, type SharedParam } from "../../src/peft/apply.js";
import { leavesUnder, moduleTree } from "../../src/peft/modules.js";
import { mirrorBackbone, paramsOf, shadowAnatomy } from "../../src/peft/shadow-backbone.js";
import { resolveTargets, targetableNames, targetState } from "../../src/peft/targets.js";
import { checkLayerKeys, FULL_TARGETING } from "../../src/peft/targeting-schema.js";
import { biasMatchesSuffix, effectiveModulesToSave, headTaskWarning } from "../../src/peft/tuner.js";
import { DEFAULT_CONTEXT, describe, type EvalContext, type Formula, type ParamBreakdown } from "../types.js";

const positive = z.int().check(z.positive());
const size = z._default(z.nullable(positive), null);

export const shadowOptionsSchema = lazySchema(() => z.object({
  r: describe(z._default(positive, 8), "rank of the injection bottleneck"),
  update_hidden_size: describe(size, "width of the update MLPs (null: r)"),
  shadow_model: describe(z._default(z.string(), "mirror"), '"mirror" builds a smaller copy of the base backbone; anything else is a checkpoint (not counted)'),
  shadow_num_hidden_layers: describe(size, "mirror depth (null: 1)"),
  shadow_hidden_size: describe(size, "mirror width (null: the base's; otherwise a projection is added)"),
  shadow_intermediate_size: describe(size, "mirror FFN width (null: the base's)"),
  shadow_num_attention_heads: describe(size, "mirror attention heads (null: the base's)"),
  share_embeddings: describe(z._default(z.boolean(), true), "feed the mirror the base's frozen input embeddings instead of its own table"),
  shadow_alpha: describe(z._default(z.number(), 0.1), "injection strength (no effect on the count)"),
  shadow_dropout: describe(z._default(z.number().check(z.gte(0), z.lte(1)), 0.2), "dropout (no effect on the count)"),
  auxiliary_loss_weight: describe(z._default(z.number(), 0.05), "weight of the shadow loss (no effect on the count)"),
  init_weights: describe(z._default(z.boolean(), true), "zero-initialise shadow_up (no effect on the count)"),
  ...FULL_TARGETING,
}));
export type ShadowOptions = z.output<typeof shadowOptionsSchema>;

export function countShadow(inv: Inventory, o: ShadowOptions, ctx: EvalContext = DEFAULT_CONTEXT): ParamBreakdown {
  checkLayerKeys("shadow", o, ctx);
  if (o.shadow_model !== "mirror")
    throw new InputError("UNSUPPORTED_OPTION", `shadow: shadow_model "${o.shadow_model}" is a pretrained checkpoint whose size the config does not give`, 'count with shadow_model "mirror" and the shadow_* sizes of that checkpoint');
  const tree = moduleTree(inv.modules);
  const anatomy = shadowAnatomy(inv, tree);
  const modulesToSave = effectiveModulesToSave(o.modules_to_save, o.task_type);
  const cfg = { ...o, modules_to_save: modulesToSave, task_type: o.task_type };
  let targets: string | readonly string[] | ReadonlySet<string>;
  if (o.target_modules !== null) targets = resolveTargets(inv, tree, cfg, "shadow");
  else if (anatomy.blocks !== undefined) targets = new Set(anatomy.blocks);
  else throw new InputError("NO_DEFAULT_TARGETS", `shadow: PEFT cannot find the decoder blocks of this ${inv.modelType} model`, "set target_modules to the blocks to wrap, e.g. a regex like '.*\\.layers\\.\\d+$'");
  const wrapped = tree.names.filter((n) => targetState(n, targets, cfg) === true);
  if (wrapped.length === 0)
    throw new InputError(Array.isArray(o.target_modules) ? "UNKNOWN_TARGET_MODULE" : "NO_TARGET_MATCHED", `shadow: target_modules=${JSON.stringify(o.target_modules)} matches no module`, `wrap decoder blocks, e.g. ${anatomy.blocks?.slice(0, 2).join(", ") ?? targetableNames(tree).slice(0, 3).join(", ")}`);

  const d = inv.dims.hiddenSize;
  const u = o.update_hidden_size ?? o.r;
  const added: AddedParam[] = [];
  for (const module of wrapped) {
    added.push({ module, param: "shadow_down", count: d * o.r }, { module, param: "shadow_up", count: o.r * d });
    for (const param of ["shadow_update_transform", "shadow_update_gate"]) added.push({ module, param, count: d * u + u + u * d + d });
  }

  const mirror = mirrorBackbone(inv, anatomy.backbone, o, ctx);
  const share = o.share_embeddings && mirror.hiddenSize === d;
  const dropped = share ? `${anatomy.backbone === "" ? "" : `${anatomy.backbone}.`}embed_tokens` : undefined;
  const shared: SharedParam[] = [{ name: "shadow_backbone", count: paramsOf(mirror.modules.filter((m) => m.name !== dropped)) }];
  if (mirror.hiddenSize !== d) shared.push({ name: "shadow_projection", count: mirror.hiddenSize * d });
  if (o.task_type === "SEQ_CLS") {
    const head = ["score", "classifier"].find((n) => tree.names.includes(n));
    if (head !== undefined) shared.push({ name: "shadow_head", count: paramsOf(leavesUnder(tree, head)) });
  }

  const warnings: string[] = [];
  const headWarning = headTaskWarning(inv, o.task_type);
  if (headWarning) warnings.push(headWarning);
  return settle({ inv, tree, added, wrapped: [], bias: "none", biasEndsWith: biasMatchesSuffix(ctx), shared, modulesToSave, trainableTokenIndices: null, warnings });
}

export const shadow = {
  id: "shadow",
  title: "ShadowPEFT",
  paper: "arXiv:2604.19254",
  peftType: "SHADOW",
  expression: "Σ_blocks 2·d·r + 2·(2·d·u + u + d)  + mirror backbone (shadow_num_hidden_layers layers) [+ projection, + SEQ_CLS head copy]",
  schema: shadowOptionsSchema,
  peftVersions: { since: "0.21.0" },
  count: countShadow,
} as const satisfies Formula<typeof shadowOptionsSchema>;
