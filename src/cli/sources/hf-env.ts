/**
 * The Hugging Face settings the Python hub reads from the environment, read the same way (huggingface_hub
 * `constants.py`): HF_ENDPOINT, HF_HOME (default $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface),
 * HF_HUB_CACHE (default $HF_HOME/hub; the older HUGGINGFACE_HUB_CACHE too), HF_TOKEN (else the file at
 * HF_TOKEN_PATH, default $HF_HOME/token, which `huggingface-cli login` writes), HF_HUB_OFFLINE (1/ON/YES/TRUE).
 * Ours: PEFTCOUNT_HUB_TIMEOUT, seconds per Hub request (default 10, as HF_HUB_ETAG_TIMEOUT, which is honoured too).
 */
import { join } from "node:path";
import type { Io } from "../io.js";

export interface HubSettings {
  readonly endpoint: string;
  readonly cacheDir: string;
  readonly token?: string;
  readonly offline: boolean;
  readonly timeoutMs: number;
}

const isTrue = (v: string | undefined) => v !== undefined && ["1", "ON", "YES", "TRUE"].includes(v.trim().toUpperCase());

export function hubSettings(io: Io): HubSettings {
  const env = io.env;
  const home = io.homedir ?? env["HOME"] ?? "/";
  const hfHome = env["HF_HOME"] || join(env["XDG_CACHE_HOME"] || join(home, ".cache"), "huggingface");
  const cacheDir = env["HF_HUB_CACHE"] || env["HUGGINGFACE_HUB_CACHE"] || join(hfHome, "hub");
  const token = env["HF_TOKEN"] || env["HUGGING_FACE_HUB_TOKEN"] || tokenFile(io, env["HF_TOKEN_PATH"] || join(hfHome, "token"));
  const seconds = Number(env["PEFTCOUNT_HUB_TIMEOUT"] || env["HF_HUB_ETAG_TIMEOUT"] || 10);
  return {
    endpoint: (env["HF_ENDPOINT"] || "https://huggingface.co").replace(/\/+$/, ""),
    cacheDir,
    ...(token ? { token: token.trim() } : {}),
    offline: isTrue(env["HF_HUB_OFFLINE"]),
    timeoutMs: Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 10_000,
  };
}

function tokenFile(io: Io, path: string): string | undefined {
  const st = io.stat?.(path);
  if (st?.kind !== "file" || st.size > 4096) return undefined;
  try {
    return io.readFile(path).trim() || undefined;
  } catch {
    return undefined;
  }
}
