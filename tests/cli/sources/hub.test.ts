/**
 * Hub ids as --model / --adapter (issue 9), against a loopback server that answers as the Hub does (never the
 * real Hub), with the cache in a temporary folder: download into the Python hub's layout, reuse offline
 * (HF_HUB_OFFLINE=1 and an unreachable Hub), a branch through refs/<branch>, a cache written by Python,
 * gated 401, 404 with the nearest preset, a bounded timeout, derivative ids resolved to a preset offline.
 * Counts: LoRA r=8 on q_proj,v_proj of Llama-3.2-1B (16 layers, hidden 2048, k/v width 512):
 * 16 × (8·(2048+2048) + 8·(2048+512)) = 851,968.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { findPreset } from "../../../src/model/presets/index.js";
import { expectError } from "../fake-io.js";
import { gitBlobId, startHub, type HubServer } from "./hub-server.js";
import { runReal, tempDir } from "./real-io.js";
import { presetTensors, safetensorsHeader } from "./st-helpers.js";

const LLAMA_1B = JSON.stringify(findPreset("llama-3.2-1b")!.config, null, 2);
const COMMIT = "a".repeat(40);
const ADAPTER = JSON.stringify({ peft_type: "LORA", task_type: "CAUSAL_LM", r: 8, lora_alpha: 16, target_modules: ["q_proj", "v_proj"], base_model_name_or_path: "test-org/tiny-llama" });
const LORA_QV_R8 = 851_968;
const CKPT = safetensorsHeader(presetTensors("llama-3.2-1b")); // 2.5 GB announced, the header served

vi.setConfig({ testTimeout: 30_000 }); // the first run imports the CLI cold

let hub: HubServer;
let dir: string;
beforeAll(async () => {
  hub = await startHub({
    "test-org/tiny-llama": { files: { "config.json": LLAMA_1B, "model.safetensors": CKPT.bytes }, sizes: { "model.safetensors": CKPT.bytes.length + CKPT.dataSize }, commit: COMMIT },
    "test-org/lora-adapter": { files: { "adapter_config.json": ADAPTER }, commit: "b".repeat(40) },
    "test-org/gated": { files: { "config.json": LLAMA_1B }, commit: "c".repeat(40), gatedToken: "hf_granted" },
    "test-org/slow": { files: { "config.json": LLAMA_1B }, commit: "d".repeat(40), delayMs: 5_000 },
  });
  dir = tempDir("hub");
});
afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

const cacheOf = (name: string) => join(dir, name, "hub");
const envFor = (name: string, more: Record<string, string> = {}) => ({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: cacheOf(name), ...more });
const trainable = (stdout: string) => (JSON.parse(stdout) as { rows: { trainableParams: number }[] }).rows[0]!.trainableParams;

describe("--model org/name from the Hub", () => {
  test("downloads config.json into the Python hub's cache layout and counts exactly", async () => {
    const r = await runReal(["count", "--model", "test-org/tiny-llama", "--json"], { cwd: dir, env: envFor("a") });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(r.stdout).model.id).toBe("test-org/tiny-llama");
    expect(trainable(r.stdout)).toBe(LORA_QV_R8);
    const repo = join(cacheOf("a"), "models--test-org--tiny-llama");
    const etag = gitBlobId(LLAMA_1B);
    expect(readFileSync(join(repo, "refs", "main"), "utf8")).toBe(COMMIT);
    expect(readFileSync(join(repo, "blobs", etag), "utf8")).toBe(LLAMA_1B);
    const pointer = join(repo, "snapshots", COMMIT, "config.json");
    expect(lstatSync(pointer).isSymbolicLink()).toBe(true);
    expect(readlinkSync(pointer)).toBe(`../../blobs/${etag}`);
  });

  test("then offline (HF_HUB_OFFLINE=1) from the cache through refs/main, without a request", async () => {
    const before = hub.requests.length;
    const r = await runReal(["count", "--model", "test-org/tiny-llama", "--json"], { cwd: dir, env: envFor("a", { HF_HUB_OFFLINE: "1" }) });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(trainable(r.stdout)).toBe(LORA_QV_R8);
    expect(hub.requests.length).toBe(before);
  });

  test("an unreachable Hub falls back to the cache and says so", async () => {
    await runReal(["count", "--model", "test-org/tiny-llama", "--json"], { cwd: dir, env: envFor("a") });
    const closed = await startHub({});
    await closed.close(); // a port nothing listens on
    const r = await runReal(["count", "--model", "test-org/tiny-llama", "--json"], { cwd: dir, env: envFor("a", { HF_ENDPOINT: closed.url }) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`note: the Hub (${closed.url}) could not be reached: ECONNREFUSED; using the cached config.json of test-org/tiny-llama\n`);
    expect(trainable(r.stdout)).toBe(LORA_QV_R8);
  });

  test("a cache written by the Python hub (branch dev → refs/dev) is read offline with @dev", async () => {
    const repo = join(cacheOf("py"), "models--someone--py-model");
    const sha = "e".repeat(40);
    mkdirSync(join(repo, "snapshots", sha), { recursive: true });
    mkdirSync(join(repo, "refs"), { recursive: true });
    mkdirSync(join(repo, "blobs"), { recursive: true });
    writeFileSync(join(repo, "blobs", gitBlobId(LLAMA_1B)), LLAMA_1B);
    writeFileSync(join(repo, "refs", "dev"), sha);
    const { symlinkSync } = await import("node:fs");
    symlinkSync(`../../blobs/${gitBlobId(LLAMA_1B)}`, join(repo, "snapshots", sha, "config.json"));
    const r = await runReal(["count", "--model", "someone/py-model@dev", "--json"], { cwd: dir, env: envFor("py", { HF_HUB_OFFLINE: "1" }) });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(r.stdout).model.id).toBe("someone/py-model@dev");
    expect(trainable(r.stdout)).toBe(LORA_QV_R8);
    // HF_HOME/hub is the default cache when HF_HUB_CACHE is unset
    const viaHome = await runReal(["count", "--model", "someone/py-model@dev", "--json"], { cwd: dir, env: { HF_HOME: join(dir, "py"), HF_HUB_OFFLINE: "1" } });
    expect(viaHome.code).toBe(0);
  });

  test("offline with nothing cached: the exact file to save and where", async () => {
    const r = await runReal(["count", "--model", "test-org/never-seen"], { cwd: dir, env: envFor("empty", { HF_HUB_OFFLINE: "1" }) });
    expectError(
      r,
      1,
      `test-org/never-seen: config.json is not in the Hugging Face cache (${cacheOf("empty")}) and HF_HUB_OFFLINE is set`,
      `save ${hub.url}/test-org/never-seen/resolve/main/config.json as ${cacheOf("empty")}/models--test-org--never-seen/snapshots/manual/config.json, or pass --model <path to config.json>`,
    );
    // saved there by hand, it is found
    mkdirSync(join(cacheOf("empty"), "models--test-org--never-seen", "snapshots", "manual"), { recursive: true });
    writeFileSync(join(cacheOf("empty"), "models--test-org--never-seen", "snapshots", "manual", "config.json"), LLAMA_1B);
    const ok = await runReal(["count", "--model", "test-org/never-seen", "--json"], { cwd: dir, env: envFor("empty", { HF_HUB_OFFLINE: "1" }) });
    expect(trainable(ok.stdout)).toBe(LORA_QV_R8);
  });

  test("derivative ids resolve offline to the preset of the same architecture, with a note", async () => {
    for (const [id, preset] of [
      ["meta-llama/Meta-Llama-3-8B-Instruct", "llama-3-8b"],
      ["unsloth/llama-3-8b-bnb-4bit", "llama-3-8b"],
      ["NousResearch/Llama-2-7b-chat-hf", "llama-2-7b"],
      ["Qwen/Qwen2.5-7B-Instruct", "qwen2.5-7b"],
      ["google/gemma-2-9b-it", "gemma-2-9b"],
    ]) {
      const r = await runReal(["count", "--model", id!, "--json"], { cwd: dir, env: envFor("empty", { HF_HUB_OFFLINE: "1" }) });
      expect(r.code, id).toBe(0);
      expect(JSON.parse(r.stdout).model.id).toBe(preset);
      expect(r.stderr).toBe(`note: ${id} is counted as the preset ${preset} (same architecture): config.json is not in the Hugging Face cache (${cacheOf("empty")}) and HF_HUB_OFFLINE is set\n`);
    }
  });

  test("a preset never touches the network", async () => {
    const before = hub.requests.length;
    const r = await runReal(["count", "--model", "meta-llama/Llama-3.2-1B", "--json"], { cwd: dir, env: envFor("a") });
    expect(trainable(r.stdout)).toBe(LORA_QV_R8);
    expect(hub.requests.length).toBe(before);
  });
});

describe("Hub errors", () => {
  test("gated (401): accept the licence and set HF_TOKEN; with a granted token it downloads", async () => {
    const r = await runReal(["count", "--model", "test-org/gated"], { cwd: dir, env: envFor("g") });
    expectError(r, 1, "test-org/gated: this repo is gated: accept its licence on the Hub and set HF_TOKEN", /^hint: no token was found in HF_TOKEN, HF_TOKEN_PATH/);
    const ok = await runReal(["count", "--model", "test-org/gated", "--json"], { cwd: dir, env: envFor("g", { HF_TOKEN: "hf_granted" }) });
    expect(trainable(ok.stdout)).toBe(LORA_QV_R8);
  });

  test("the token is read from HF_TOKEN_PATH and from $HF_HOME/token (what huggingface-cli login writes)", async () => {
    writeFileSync(join(dir, "tok"), "hf_granted\n");
    const viaPath = await runReal(["count", "--model", "test-org/gated", "--json"], { cwd: dir, env: envFor("g2", { HF_TOKEN_PATH: join(dir, "tok") }) });
    expect(viaPath.code).toBe(0);
    mkdirSync(join(dir, "hfhome"), { recursive: true });
    writeFileSync(join(dir, "hfhome", "token"), "hf_granted");
    const viaHome = await runReal(["count", "--model", "test-org/gated", "--json"], { cwd: dir, env: { HF_ENDPOINT: hub.url, HF_HOME: join(dir, "hfhome") } });
    expect(viaHome.code).toBe(0);
    expect(existsSync(join(dir, "hfhome", "hub", "models--test-org--gated", "refs", "main"))).toBe(true);
  });

  test("an HF_TOKEN that is not a Hugging Face token is named", async () => {
    const r = await runReal(["count", "--model", "test-org/gated"], { cwd: dir, env: envFor("t", { HF_TOKEN: "not-a-token" }) });
    expectError(r, 1, /^error: HF_TOKEN is not a Hugging Face token \(.*\)$/, "tokens start with hf_");
  });

  test("404 names the repo and suggests the nearest preset", async () => {
    const r = await runReal(["count", "--model", "meta-llama/Meta-Llama-3-8B-Instrukt"], { cwd: dir, env: envFor("n", { HF_TOKEN: "hf_x" }) });
    expectError(r, 1, `meta-llama/Meta-Llama-3-8B-Instrukt was not found on the Hub (${hub.url})`, 'did you mean "meta-llama/Meta-Llama-3-8B"?');
  });

  test("a slow Hub times out after PEFTCOUNT_HUB_TIMEOUT seconds, never hangs", async () => {
    const t0 = Date.now();
    const r = await runReal(["count", "--model", "test-org/slow"], { cwd: dir, env: envFor("s", { PEFTCOUNT_HUB_TIMEOUT: "0.3" }) });
    expect(Date.now() - t0).toBeLessThan(4_000);
    expectError(r, 1, `test-org/slow: config.json is not in the Hugging Face cache (${cacheOf("s")}) and the Hub (${hub.url}) could not be reached: no answer within 0.3 s`, /^hint: save /);
  });
});

describe("--adapter org/adapter-repo", () => {
  test("adapter_config.json from the Hub, and its base model (a Hub id) too", async () => {
    const r = await runReal(["count", "--adapter", "test-org/lora-adapter", "--json"], { cwd: dir, env: envFor("ad") });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(r.stdout).model.id).toBe("test-org/tiny-llama");
    expect(trainable(r.stdout)).toBe(LORA_QV_R8);
    expect(existsSync(join(cacheOf("ad"), "models--test-org--lora-adapter", "refs", "main"))).toBe(true);
  });

  test("a base_model_name_or_path that is a local path of the training machine says so and suggests --model", async () => {
    mkdirSync(join(dir, "colab"), { recursive: true });
    writeFileSync(join(dir, "colab", "adapter_config.json"), JSON.stringify({ ...JSON.parse(ADAPTER), base_model_name_or_path: "/content/drive/MyDrive/llama-merged" }));
    const r = await runReal(["count", "--adapter", "colab"], { cwd: dir, env: envFor("ad") });
    expectError(r, 1, 'colab names its base model "/content/drive/MyDrive/llama-merged" (base_model_name_or_path), a path that does not exist here', "the path was written where the adapter was trained: pass --model");
  });
});

describe("verify --model org/name: the checkpoint's headers over HTTP range requests", () => {
  test("no difference from the Hub's config.json; only ranges were asked for", async () => {
    const r = await runReal(["verify", "--model", "test-org/tiny-llama", "--json"], { cwd: dir, env: envFor("w") });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const report = JSON.parse(r.stdout);
    // Llama-3.2-1B: 146 tensors (embeddings tied: lm_head not stored), 1,235,814,400 parameters
    expect(report.checkpoint).toMatchObject({ tensors: 146, params: 1_235_814_400, files: [`${hub.url}/test-org/tiny-llama/resolve/main/model.safetensors`] });
    expect({ missing: report.missing, extra: report.extra, shapeMismatch: report.shapeMismatch }).toEqual({ missing: [], extra: [], shapeMismatch: [] });
  });

  test("count --from-weights: the model inferred from the headers, checked against them, counts like the config", async () => {
    const fromWeights = await runReal(["count", "--model", "test-org/tiny-llama", "--from-weights", "--method", "lora r=8", "--json"], { cwd: dir, env: envFor("fw") });
    expect(fromWeights.code, fromWeights.stderr).toBe(0);
    expect(fromWeights.stderr).toMatch(/counted from its safetensors headers \(146 tensors read with HTTP range requests/);
    const fromConfig = await runReal(["count", "--model", "test-org/tiny-llama", "--method", "lora r=8", "--json"], { cwd: dir, env: envFor("fc") });
    const [a, b] = [JSON.parse(fromWeights.stdout), JSON.parse(fromConfig.stdout)];
    expect([a.model.baseParams, a.rows[0].trainableParams]).toEqual([1_235_814_400, b.rows[0].trainableParams]);
    const none = await runReal(["count", "--from-weights"], { cwd: dir, env: envFor("fn") });
    expectError(none, 1, "--from-weights needs --model org/name (the Hub repo whose safetensors headers to read)", "e.g. --model Qwen/Qwen2.5-0.5B --from-weights");
  });

  test("offline it says what it would read", async () => {
    const r = await runReal(["verify", "--model", "test-org/tiny-llama"], { cwd: dir, env: envFor("a", { HF_HUB_OFFLINE: "1" }) });
    expectError(r, 1, "verify test-org/tiny-llama reads test-org/tiny-llama's safetensors headers from the Hub, and HF_HUB_OFFLINE is set", "download the checkpoint");
  });
});
