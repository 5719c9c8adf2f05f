/**
 * Files of Hub repos (config.json, adapter_config.json) through @huggingface/hub, kept in the cache layout the
 * Python hub uses (huggingface_hub `file_download.py`), so either tool reuses what the other downloaded:
 *   <cache>/models--<org>--<name>/blobs/<etag>                 the bytes, named by the file's ETag
 *   <cache>/models--<org>--<name>/snapshots/<commit>/<file>    a relative symlink to ../../blobs/<etag>
 *   <cache>/models--<org>--<name>/refs/<branch>                the commit the branch pointed at
 * Offline (HF_HUB_OFFLINE=1, or the Hub unreachable) a branch is resolved through refs/<branch>, a commit id
 * directly. @huggingface/hub is loaded only on this path (dynamic import), so other runs do not pay for it.
 */
import { join, relative } from "node:path";
import { InputError } from "../../errors.js";
import type { Io } from "../io.js";
import type { HubSettings } from "./hf-env.js";

export interface RepoRef {
  readonly repo: string;
  /** branch, tag or commit id; "main" when none is given */
  readonly revision: string;
}

const SHA = /^[0-9a-f]{40}$/;

/** `org/name` or `org/name@revision` as on the Hub (no path segments beyond that). */
export function parseRepoRef(s: string): RepoRef | undefined {
  const m = /^([A-Za-z0-9][\w.-]*\/[\w.-]+?)(?:@([\w./-]+))?$/.exec(s);
  if (!m || m[1]!.includes("..") || /\.(json|safetensors|gguf|ya?ml)$/i.test(m[1]!)) return undefined;
  return { repo: m[1]!, revision: m[2] ?? "main" };
}

export const repoFolder = (s: HubSettings, repo: string) => join(s.cacheDir, `models--${repo.replace(/\//g, "--")}`);
export const resolveUrl = (s: HubSettings, ref: RepoRef, file: string) => `${s.endpoint}/${ref.repo}/resolve/${ref.revision}/${file}`;

/** The cached copy of `file` at `ref`, as the Python hub's try_to_load_from_cache finds it. */
export function cachedFile(io: Io, s: HubSettings, ref: RepoRef, file: string): string | undefined {
  const storage = repoFolder(s, ref.repo);
  let commit: string | undefined = SHA.test(ref.revision) ? ref.revision : undefined;
  if (!commit) {
    const refFile = join(storage, "refs", ref.revision);
    const st = io.stat?.(refFile);
    if (st?.kind === "file" && st.size <= 256) commit = io.readFile(refFile).trim();
  }
  if (commit) {
    const p = join(storage, "snapshots", commit, file);
    return io.stat?.(p)?.kind === "file" ? p : undefined;
  }
  // no ref for a branch: a folder saved by hand under snapshots/ (the one holding the file) still counts
  const holding = (io.listDir?.(join(storage, "snapshots")) ?? []).map((d) => join(storage, "snapshots", d, file)).filter((p) => io.stat?.(p)?.kind === "file");
  return ref.revision === "main" && holding.length === 1 ? holding[0] : undefined;
}

/** Why the Hub could not be used; `unreachable` lets the caller fall back to the cache or a preset. */
export class HubUnreachable extends Error {}

/** `fetch` bounded by the timeout, remembering the last response's headers (x-repo-commit, the error code). */
export function timedFetch(base: typeof fetch, timeoutMs: number): { fetch: typeof fetch; last: () => Headers | undefined } {
  let last: Headers | undefined;
  const timed: typeof fetch = async (input, init) => {
    const res = await base(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    last = res.headers;
    return res;
  };
  return { fetch: timed, last: () => last };
}

/** The bytes of `file` from the Hub, written into the cache; throws InputError for 401/403/404, HubUnreachable otherwise. */
export async function downloadToCache(io: Io, s: HubSettings, ref: RepoRef, file: string, maxBytes: number): Promise<{ path: string; bytes: Uint8Array }> {
  if (!io.fetch) throw new HubUnreachable("no network in this run");
  const { fetch: timed, last } = timedFetch(io.fetch, s.timeoutMs);
  const hub = await import("./hub-client.js");
  const params = { repo: { type: "model" as const, name: ref.repo }, path: file, revision: ref.revision, hubUrl: s.endpoint, fetch: timed, ...(s.token ? { accessToken: s.token } : {}) };
  try {
    const info = await hub.fileDownloadInfo(params);
    if (!info) throw new InputError("HUB_FILE_NOT_FOUND", `${ref.repo}@${ref.revision} has no ${file}`, `check the file list at ${s.endpoint}/${ref.repo}/tree/${ref.revision}`);
    const commit = last()?.get("x-repo-commit") ?? undefined;
    if (info.size > maxBytes) throw new InputError("FILE_TOO_LARGE", `${ref.repo}/${file} is ${info.size} bytes, past the ${maxBytes}-byte limit for this kind of file`, "");
    const blob = await hub.downloadFile({ ...params, downloadInfo: info, xet: false });
    const bytes = new Uint8Array(await blob!.arrayBuffer());
    if (bytes.length > maxBytes) throw new InputError("FILE_TOO_LARGE", `${ref.repo}/${file} is past the ${maxBytes}-byte limit for this kind of file`, "");
    return { path: writeCache(io, s, ref, file, bytes, info.etag, commit), bytes };
  } catch (e) {
    throw classify(e, last(), ref, file, s);
  }
}

/** Blob, snapshot symlink and ref, as the Python hub writes them; without a commit id nothing is cached. */
function writeCache(io: Io, s: HubSettings, ref: RepoRef, file: string, bytes: Uint8Array, rawEtag: string, commit: string | undefined): string {
  const storage = repoFolder(s, ref.repo);
  const etag = rawEtag.replace(/^W\//, "").replace(/^"|"$/g, "");
  if (!commit || !io.writeFile || !io.symlink || !/^[\w.-]+$/.test(etag)) return resolveUrl(s, ref, file);
  const blob = join(storage, "blobs", etag);
  const pointer = join(storage, "snapshots", commit, file);
  io.writeFile(blob, bytes);
  io.symlink(relative(join(pointer, ".."), blob), pointer);
  if (commit !== ref.revision) io.writeFile(join(storage, "refs", ref.revision), commit);
  return pointer;
}

export function classify(e: unknown, headers: Headers | undefined, ref: RepoRef, file: string, s: HubSettings): Error {
  if (e instanceof InputError) return e;
  const status = (e as { statusCode?: number }).statusCode;
  const code = headers?.get("x-error-code");
  if (status === 404 || code === "RepoNotFound" || code === "RevisionNotFound")
    return new InputError("HUB_NOT_FOUND", `${ref.repo}${ref.revision === "main" ? "" : `@${ref.revision}`} was not found on the Hub (${s.endpoint})`, "");
  if (status === 401 || status === 403)
    return new InputError("HUB_GATED", `${ref.repo}: this repo is gated: accept its licence on the Hub and set HF_TOKEN`, `${s.token ? "the token that was sent has no access yet" : "no token was found in HF_TOKEN, HF_TOKEN_PATH or the Hugging Face token file"}; or save ${resolveUrl(s, ref, file)} and pass its path`);
  if (typeof status === "number") return new InputError("HUB_ERROR", `the Hub answered ${status} for ${resolveUrl(s, ref, file)}`, "try again later, or pass a local file");
  const err = e as { name?: string; message?: string; cause?: { code?: string; name?: string; message?: string } };
  if (err.name === "TimeoutError" || err.cause?.name === "TimeoutError") return new HubUnreachable(`no answer within ${s.timeoutMs / 1000} s`);
  if (err.name === "TypeError" && /token/.test(err.message ?? "")) return new InputError("HUB_TOKEN", `HF_TOKEN is not a Hugging Face token (${err.message})`, "tokens start with hf_");
  return new HubUnreachable(err.cause?.code ?? err.cause?.message ?? err.message ?? String(e));
}
