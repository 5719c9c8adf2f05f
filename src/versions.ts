/**
 * Which release's behaviour to reproduce. PEFT and transformers change counts between releases; each
 * difference is a small named rule that asks `atLeast(ctx.peft, "0.18.0")`. The default is the newest
 * release of each (what `pip install peft transformers` gives today). A leaf: any layer may import it.
 */
import { InputError } from "./errors.js";

/** [major, minor, patch] */
export type Version = readonly [number, number, number];

export const NEWEST_PEFT = "0.21.0";
export const NEWEST_TRANSFORMERS = "5.18.0";

/** Releases whose behaviour peftcount models (older ones behave like the oldest listed). */
export const KNOWN_PEFT = ["0.17.0", "0.17.1", "0.18.0", "0.19.0", "0.20.0", "0.21.0"] as const;

export interface Versions {
  readonly peft: Version;
  readonly transformers: Version;
}

/** "0.17.1", "v0.17", "4.43.3.dev0" → [0, 17, 1] / [0, 17, 0] / [4, 43, 3]; anything else is refused. */
export function parseVersion(text: string, what: "peft" | "transformers"): Version {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[.+-]?(?:dev|rc|a|b|post)\d*)?$/i.exec(text.trim());
  if (!m)
    throw new InputError("INVALID_VERSION", `--${what}-version "${text}" is not a release number`, `e.g. --${what}-version ${what === "peft" ? "0.17.1" : "4.43.3"}`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** the release literals rules ask about, parsed once each (atLeast runs on every evaluation) */
const RELEASES = new Map<string, Version>();

/** `v` is `release` or newer, e.g. atLeast(ctx.peft, "0.18.0") */
export function atLeast(v: Version, release: string): boolean {
  let r = RELEASES.get(release);
  if (r === undefined) {
    r = parseVersion(release, "peft");
    if (RELEASES.size < 256) RELEASES.set(release, r);
  }
  return compareVersions(v, r) >= 0;
}

export function formatVersion(v: Version): string {
  return v.join(".");
}

export const DEFAULT_VERSIONS: Versions = Object.freeze({
  peft: parseVersion(NEWEST_PEFT, "peft"),
  transformers: parseVersion(NEWEST_TRANSFORMERS, "transformers"),
});
