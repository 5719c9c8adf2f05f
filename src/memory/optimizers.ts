/**
 * Optimizer state bytes per trainable tensor, as each implementation allocates it.
 *
 * - torch AdamW (torch/optim/adam.py `_init_group`): exp_avg, exp_avg_sq = zeros_like(p) (the parameter's
 *   dtype); `step` is a 0-d float32 on the CPU unless fused or capturable, then on the device.
 * - SGD (torch/optim/sgd.py): no state without momentum; momentum_buffer = clone(grad) (the parameter's dtype).
 * - bitsandbytes Optimizer2State / Optimizer1State `init_state` (bitsandbytes/optim/optimizer.py): optim_bits=32
 *   → float32 state1 (+ state2) whatever the parameter's dtype; optim_bits=8 → uint8 state1 (+ state2) plus
 *   float32 absmax1 (+ absmax2) of ceil(n / 256) blocks, except a tensor under min_8bit_size = 4096 elements,
 *   which gets float32 states; the signed / unsigned dynamic maps (256 float32 each) are shared by all tensors.
 *   transformers' Trainer (trainer.py `create_optimizer`) registers `optim_bits=32` for every nn.Embedding
 *   weight when the bitsandbytes optimizer is 8-bit. AdamW keeps two states, Lion one.
 *   Paged variants allocate the same bytes in unified memory (tensors of 1e5 elements and more).
 * - Adafactor (transformers optimization.py): float32 states (`grad.float()`); a tensor of 2+ dims keeps
 *   exp_avg_sq_row (shape[:-1]) and exp_avg_sq_col (shape[:-2] + shape[-1:]), others exp_avg_sq (n); beta1=None
 *   (the Trainer's default) keeps no exp_avg; `state["RMS"]` is a 0-d float32 tensor per parameter.
 * - Muon (Jordan et al. 2024, github.com/KellerJordan/Muon `MuonWithAuxAdam`): hidden matrices (2+ dims, not an
 *   embedding, not the output head) keep one momentum_buffer = zeros_like(p); everything else goes to the auxiliary
 *   AdamW (exp_avg, exp_avg_sq = zeros_like(p), step a Python int). NorMuon (Li et al. 2025) adds a neuron-wise
 *   second moment, zeros_like(p[..., 0:1]): numel / shape[-1] values. Both from the seed papers' code, not a library.
 * With master weights the optimizer works on fp32 copies, so torch states are fp32.
 */
import { InputError } from "../errors.js";
import { groupNumel, type TensorGroup } from "./tensors.js";
import { ceilDiv, DTYPE_BYTES, type OptimizerId } from "./types.js";

export const BNB_MIN_8BIT_SIZE = 4096n;
export const BNB_STATE_BLOCKSIZE = 256n;
const QMAP_BYTES = 1024n;

export interface OptimizerBytes {
  /** on the device (before sharding) */
  readonly states: bigint;
  /** host memory that exists anyway (torch's CPU `step` scalars) */
  readonly cpu: bigint;
}

interface Spec {
  /** bitsandbytes: how many states, at which bit width */
  readonly bnb?: { readonly states: bigint; readonly bits: 8 | 32 };
  /** torch: states per element in the parameter's (or master's) dtype */
  readonly torchStates?: bigint;
  readonly fusedStep?: boolean;
  readonly cpuStep?: boolean;
  readonly adafactor?: boolean;
  /** Muon: matrices get a momentum buffer (+ NorMuon's per-neuron second moment), the rest AdamW */
  readonly muon?: { readonly neuronwise: boolean };
}

const SPECS: Readonly<Record<OptimizerId, Spec>> = {
  adamw: { torchStates: 2n, cpuStep: true },
  "adamw-fused": { torchStates: 2n, fusedStep: true },
  "adamw-8bit": { bnb: { states: 2n, bits: 8 } },
  "paged-adamw-8bit": { bnb: { states: 2n, bits: 8 } },
  "adamw-bnb-32bit": { bnb: { states: 2n, bits: 32 } },
  lion: { bnb: { states: 1n, bits: 32 } },
  "lion-8bit": { bnb: { states: 1n, bits: 8 } },
  sgd: { torchStates: 0n },
  "sgd-momentum": { torchStates: 1n },
  adafactor: { adafactor: true },
  muon: { muon: { neuronwise: false } },
  normuon: { muon: { neuronwise: true } },
  // handled by galore.ts (needs the setup's targets and rank)
  "galore-adamw": {},
};

/** What each optimizer id is, for help text and the report. */
export const OPTIMIZER_TITLES: Readonly<Record<OptimizerId, string>> = {
  adamw: "torch AdamW (adamw_torch)",
  "adamw-fused": "torch AdamW, fused (adamw_torch_fused)",
  "adamw-8bit": "bitsandbytes 8-bit AdamW (adamw_bnb_8bit)",
  "paged-adamw-8bit": "bitsandbytes paged 8-bit AdamW (paged_adamw_8bit)",
  "adamw-bnb-32bit": "bitsandbytes 32-bit AdamW (paged_adamw_32bit without paging)",
  lion: "bitsandbytes 32-bit Lion (lion_32bit)",
  "lion-8bit": "bitsandbytes 8-bit Lion (lion_8bit)",
  sgd: "torch SGD, no momentum",
  "sgd-momentum": "torch SGD with momentum",
  adafactor: "transformers Adafactor (adafactor)",
  muon: "Muon, AdamW for embeddings, head, gains and biases (paper code)",
  normuon: "NorMuon, AdamW for embeddings, head, gains and biases (paper code)",
  "galore-adamw": "GaLore AdamW (galore_adamw)",
};

function bnbBytes(g: TensorGroup, states: bigint, bits: 8 | 32): { bytes: bigint; eightBit: boolean } {
  const n = g.numelEach;
  if (bits === 32 || g.embedding || n < BNB_MIN_8BIT_SIZE) return { bytes: g.tensors * states * n * 4n, eightBit: false };
  return { bytes: g.tensors * states * (n + ceilDiv(n, BNB_STATE_BLOCKSIZE) * 4n), eightBit: true };
}

function adafactorBytes(g: TensorGroup): bigint {
  return adafactorStates(g) + g.tensors * 4n;
}

function adafactorStates(g: TensorGroup): bigint {
  const s = g.shape;
  if (s === undefined) {
    if (g.numelEach === 1n) return g.tensors * 4n;
    throw new InputError("SHAPE_UNKNOWN", `adafactor: the shape of ${g.name} is not known, and Adafactor's factored state depends on it`, "use another --optimizer for this method (adamw, adamw-8bit, lion, sgd)");
  }
  if (s.length < 2) return groupNumel(g) * 4n;
  const rows = s.slice(0, -1).reduce((a, b) => a * BigInt(b), 1n);
  const cols = s.slice(0, -2).reduce((a, b) => a * BigInt(b), 1n) * BigInt(s[s.length - 1]!);
  return g.tensors * (rows + cols) * 4n;
}

function muonBytes(g: TensorGroup, neuronwise: boolean, per: bigint): bigint {
  const s = g.shape;
  if (s === undefined && g.numelEach > 1n)
    throw new InputError("SHAPE_UNKNOWN", `muon: whether ${g.name} is a matrix is not known, and Muon treats matrices and the rest differently`, "use another --optimizer for this method (adamw, adamw-8bit, lion, sgd)");
  const matrix = s !== undefined && s.length >= 2 && !g.embedding && !g.head;
  if (!matrix) return 2n * groupNumel(g) * per;
  const rows = neuronwise ? g.numelEach / BigInt(s[s.length - 1]!) : 0n;
  return g.tensors * (g.numelEach + rows) * per;
}

/** Optimizer states of the trainable groups. */
export function optimizerBytes(optimizer: OptimizerId, groups: readonly TensorGroup[], masterWeights: boolean): OptimizerBytes {
  const spec = SPECS[optimizer];
  let states = 0n;
  let cpu = 0n;
  let qmaps = false;
  for (const g of groups) {
    if (!g.trainable) continue;
    if (spec.bnb) {
      const b = bnbBytes(g, spec.bnb.states, spec.bnb.bits);
      states += b.bytes;
      qmaps ||= b.eightBit;
    } else if (spec.adafactor) states += adafactorBytes(g);
    else if (spec.muon) states += muonBytes(g, spec.muon.neuronwise, masterWeights ? 4n : DTYPE_BYTES[g.dtype]);
    else {
      const per = masterWeights ? 4n : DTYPE_BYTES[g.dtype];
      states += (spec.torchStates ?? 0n) * groupNumel(g) * per;
      if (spec.fusedStep) states += g.tensors * 4n;
      if (spec.cpuStep) cpu += g.tensors * 4n;
    }
  }
  if (qmaps) states += spec.bnb!.states * QMAP_BYTES;
  return { states, cpu };
}

/** fp32 master copies of the trainable tensors stored in 16 bits. */
export function masterBytes(groups: readonly TensorGroup[]): bigint {
  let n = 0n;
  for (const g of groups) if (g.trainable && g.dtype !== "fp32") n += groupNumel(g) * 4n;
  return n;
}
