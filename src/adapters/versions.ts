/**
 * Which AdapterHub (`adapters`) release to reproduce, and the transformers release it runs on. Each release pins
 * one transformers minor (setup.py `transformers~=`): 1.0.0 → 4.43, 1.0.1 → 4.45, 1.1.0 → 4.47, 1.1.1 → 4.48,
 * 1.2.0 → 4.51 (its main branch, which the 1.2.0 vectors were made with, → 4.57). AdapterHub does not run on
 * transformers 5. Chosen by `--adapters-version`, else the adapter file's own `"version": "adapters.1.2.0"`, else
 * the transformers release, else the newest (1.2.0 on transformers 4.57.6).
 */
import { InputError } from "../errors.js";
import { compareVersions, formatVersion, parseVersion, type Version } from "../versions.js";
import type { AdapterHubContext } from "./types.js";

export const NEWEST_ADAPTERS = "1.2.0";
/** the transformers release the newest AdapterHub runs on (its main branch pins transformers~=4.57) */
export const ADAPTERS_TRANSFORMERS = "4.57.6";

/** AdapterHub releases and the transformers release each one pins (setup.py `transformers~=X.Y.Z`: that minor) */
const RELEASES: readonly (readonly [string, string])[] = [
  ["1.0.0", "4.43.3"],
  ["1.0.1", "4.45.2"],
  ["1.1.0", "4.47.1"],
  ["1.1.1", "4.48.3"],
  ["1.2.0", "4.51.3"],
];

/** the x.y.0 of a pin: any patch of that minor runs the release */
const minorOf = (pin: string): Version => {
  const v = parseVersion(pin, "transformers");
  return [v[0], v[1], 0];
};

/** "1.2.0", "v1.2", "adapters.1.2.0" → [1, 2, 0] */
export function parseAdaptersVersion(text: string): Version {
  const bare = text.trim().replace(/^adapters\./i, "");
  try {
    return parseVersion(bare, "peft");
  } catch {
    throw new InputError("INVALID_VERSION", `--adapters-version "${text}" is not a release number`, `e.g. --adapters-version ${NEWEST_ADAPTERS}`);
  }
}

/** The `version` field AdapterHub writes into a saved adapter_config.json (`adapters.1.0.0`), if it names an `adapters` release. */
export function versionOfAdapterFile(file: unknown): Version | undefined {
  if (file === null || typeof file !== "object" || Array.isArray(file)) return undefined;
  const v = (file as Record<string, unknown>)["version"];
  if (typeof v !== "string" || !/^adapters\.\d/i.test(v)) return undefined;
  return parseAdaptersVersion(v);
}

/** The newest AdapterHub release that runs on this transformers release. */
export function adaptersForTransformers(transformers: Version): Version {
  if (transformers[0] >= 5)
    throw new InputError(
      "UNSUPPORTED_RELEASE",
      `AdapterHub does not run on transformers ${formatVersion(transformers)} (adapters ${NEWEST_ADAPTERS} pins transformers 4.x)`,
      `pass --transformers-version ${ADAPTERS_TRANSFORMERS} (or leave it out: AdapterHub counts use ${ADAPTERS_TRANSFORMERS} by default)`,
    );
  let best = RELEASES[0]![0];
  for (const [release, pinned] of RELEASES) if (compareVersions(transformers, minorOf(pinned)) >= 0) best = release;
  return parseVersion(best, "peft");
}

/** The transformers release an AdapterHub release runs on when none is given. */
export function transformersForAdapters(adapters: Version): Version {
  if (compareVersions(adapters, parseVersion(NEWEST_ADAPTERS, "peft")) >= 0) return parseVersion(ADAPTERS_TRANSFORMERS, "transformers");
  let pinned = RELEASES[0]![1];
  for (const [release, t] of RELEASES) if (compareVersions(adapters, parseVersion(release, "peft")) >= 0) pinned = t;
  return parseVersion(pinned, "transformers");
}

export interface VersionChoice {
  /** `--adapters-version` */
  readonly adapters?: string | undefined;
  /** `--transformers-version` */
  readonly transformers?: string | undefined;
  /** the adapter file (its `version` field) */
  readonly file?: unknown;
}

/** The releases to reproduce, and a sentence saying how they were chosen. */
export function chooseAdapterHubContext(c: VersionChoice): AdapterHubContext & { readonly why: string } {
  const r = chooseRelease(c);
  // adapters 0.x (2023, before 1.0.0) is not modelled: its saved files are counted with 1.0.0's rules, and said so
  const oldest = parseVersion(RELEASES[0]![0], "peft");
  if (compareVersions(r.adapters, oldest) >= 0) return r;
  return { adapters: oldest, transformers: r.transformers, why: `${r.why} (adapters ${formatVersion(r.adapters)} predates ${RELEASES[0]![0]}, the oldest release modelled: counted with its rules)` };
}

function chooseRelease(c: VersionChoice): AdapterHubContext & { readonly why: string } {
  const transformers = c.transformers !== undefined ? parseVersion(c.transformers, "transformers") : undefined;
  if (transformers && transformers[0] >= 5) adaptersForTransformers(transformers);
  if (c.adapters !== undefined) {
    const adapters = parseAdaptersVersion(c.adapters);
    return { adapters, transformers: transformers ?? transformersForAdapters(adapters), why: "--adapters-version" };
  }
  const fromFile = versionOfAdapterFile(c.file);
  if (fromFile) return { adapters: fromFile, transformers: transformers ?? transformersForAdapters(fromFile), why: "the adapter file's version" };
  if (transformers) return { adapters: adaptersForTransformers(transformers), transformers, why: "the transformers release" };
  const adapters = parseVersion(NEWEST_ADAPTERS, "peft");
  return { adapters, transformers: parseVersion(ADAPTERS_TRANSFORMERS, "transformers"), why: `newest AdapterHub (${NEWEST_ADAPTERS}) on the transformers it supports (${ADAPTERS_TRANSFORMERS})` };
}
