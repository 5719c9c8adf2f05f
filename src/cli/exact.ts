/** Counts are exact integers: inputs past 2^53 are rejected, never silently rounded. */

/** The first integer in `value` that a JS number cannot hold exactly (JSON.parse and Number() round it). */
export function firstUnsafeInteger(value: unknown, path = ""): { path: string; value: number } | undefined {
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value) ? { path, value } : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    const found = firstUnsafeInteger(v, path === "" ? k : `${path}.${k}`);
    if (found) return found;
  }
  return undefined;
}
