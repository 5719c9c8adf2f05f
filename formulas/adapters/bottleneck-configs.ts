/**
 * AdapterHub's named bottleneck configs (adapters src/adapters/configuration/adapter_config.py: SeqBnConfig,
 * DoubleSeqBnConfig, ParBnConfig, the *InvConfig and Compacter classes, ADAPTER_CONFIG_MAP with its deprecated
 * names): each class's defaults over BnConfig's.
 */
import type { AdapterHubNamedConfig } from "../../src/adapters/types.js";

const SEQ_BN = { original_ln_before: true, original_ln_after: true, residual_before_ln: true, adapter_residual_before_ln: false, ln_before: false, ln_after: false, mh_adapter: false, output_adapter: true, non_linearity: "relu", reduction_factor: 16 };
const DOUBLE_SEQ_BN = { original_ln_before: false, original_ln_after: true, residual_before_ln: true, adapter_residual_before_ln: false, ln_before: false, ln_after: false, mh_adapter: true, output_adapter: true, non_linearity: "swish", reduction_factor: 16 };
const PAR_BN = { original_ln_before: false, original_ln_after: true, ln_before: false, ln_after: false, mh_adapter: false, output_adapter: true, non_linearity: "relu", reduction_factor: 2, init_weights: "mam_adapter", is_parallel: true, scaling: 4.0 };
const INV = { inv_adapter: "nice", inv_adapter_reduction_factor: 2 };
const COMPACTER = { phm_layer: true, reduction_factor: 32, non_linearity: "gelu" };

const PFEIFFER = "https://arxiv.org/abs/2005.00247";
const HOULSBY = "https://arxiv.org/abs/1902.00751";
const HE = "https://arxiv.org/abs/2110.04366";
const COMPACTER_PAPER = "https://arxiv.org/abs/2106.04647";

/** the plain bottleneck count (the method's expression) */
export const BN = "Σ positions (2·H·d + d + H [+ 2H ln_before] [+ 2H ln_after] [+ 1 | H scaling] [+ H + 1 gate]), d = max(1, H // reduction_factor)";
const INV_COUNT = " + once on the input embeddings (width E): NICE, two subnets E/2 → E/2 // inv_adapter_reduction_factor → E/2";
/** Compacter's PHM layers with its defaults (factorized W of rank k, shared rule, bias): src formulas/adapters/phm.ts */
const PHM = "Σ positions 2 PHM layers (in·k + k·out + out each: 2·k·(H + d) + d + H) + phm_dim³ once (shared phm_rule), k = phm_rank, d = max(1, H // reduction_factor)";

const bn = (name: string, className: string, defaults: Record<string, unknown>, title: string, paper: string, aliasOf?: string): AdapterHubNamedConfig => ({
  name,
  className,
  architecture: null,
  defaults,
  title,
  paper,
  expression: defaults["phm_layer"] === true ? PHM : defaults["inv_adapter"] ? `${BN}${INV_COUNT}` : BN,
  ...(aliasOf ? { aliasOf } : {}),
});

export const BOTTLENECK_CONFIGS: readonly AdapterHubNamedConfig[] = [
  bn("seq_bn", "SeqBnConfig", SEQ_BN, "Sequential bottleneck adapter after the FFN (Pfeiffer)", PFEIFFER),
  bn("double_seq_bn", "DoubleSeqBnConfig", DOUBLE_SEQ_BN, "Two sequential bottleneck adapters per layer (Houlsby)", HOULSBY),
  bn("par_bn", "ParBnConfig", PAR_BN, "Parallel bottleneck adapter, scaled ×4 (He et al.)", HE),
  bn("scaled_par_bn", "ParBnConfig", { ...PAR_BN, scaling: "learned" }, "Parallel bottleneck adapter with a learned scale", HE),
  bn("seq_bn_inv", "SeqBnInvConfig", { ...SEQ_BN, ...INV }, "Pfeiffer adapter + NICE invertible adapter on the embeddings", PFEIFFER),
  bn("double_seq_bn_inv", "DoubleSeqBnInvConfig", { ...DOUBLE_SEQ_BN, ...INV }, "Houlsby adapters + NICE invertible adapter on the embeddings", HOULSBY),
  bn("compacter", "CompacterConfig", { ...DOUBLE_SEQ_BN, ...COMPACTER }, "Compacter: Houlsby placement with PHM layers (n = 4, rank 1)", COMPACTER_PAPER),
  bn("compacter++", "CompacterPlusPlusConfig", { ...SEQ_BN, ...COMPACTER }, "Compacter++: one PHM adapter per layer after the FFN", COMPACTER_PAPER),
  bn("pfeiffer", "SeqBnConfig", SEQ_BN, "Pfeiffer adapter (= seq_bn)", PFEIFFER, "seq_bn"),
  bn("houlsby", "DoubleSeqBnConfig", DOUBLE_SEQ_BN, "Houlsby adapters (= double_seq_bn)", HOULSBY, "double_seq_bn"),
  bn("parallel", "ParBnConfig", PAR_BN, "Parallel adapter (= par_bn)", HE, "par_bn"),
  bn("scaled_parallel", "ParBnConfig", { ...PAR_BN, scaling: "learned" }, "Parallel adapter, learned scale (= scaled_par_bn)", HE, "scaled_par_bn"),
  bn("pfeiffer+inv", "SeqBnInvConfig", { ...SEQ_BN, ...INV }, "Pfeiffer + invertible adapter (= seq_bn_inv)", PFEIFFER, "seq_bn_inv"),
  bn("houlsby+inv", "DoubleSeqBnInvConfig", { ...DOUBLE_SEQ_BN, ...INV }, "Houlsby + invertible adapter (= double_seq_bn_inv)", HOULSBY, "double_seq_bn_inv"),
];
