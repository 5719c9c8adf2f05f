/**
 * minimalTargetModules (src/peft/minimal-targets.ts: each target's shortest suffix that no other name has,
 * no sort) against PEFT's `_find_minimal_target_modules` as written (peft tuners_utils.py: targets sorted by
 * their suffix lists, then the first uncovered suffix of each), ported here as the reference: the same set
 * for random dotted names over a small alphabet (many shared suffixes), nested names and leading dots.
 */
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { minimalTargetModules } from "../../src/peft/minimal-targets.js";

function suffixes(name: string): string[] {
  const out: string[] = [];
  for (let i = name.lastIndexOf("."); i !== -1; i = name.lastIndexOf(".", i - 1)) {
    out.push(name.slice(i + 1));
    if (i === 0) break;
  }
  out.push(name);
  return out;
}
function compareLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}
function reference(targets: ReadonlySet<string>, others: Iterable<string>): Set<string> {
  const otherSuffixes = new Set<string>();
  for (const o of others) for (const s of suffixes(o)) otherSuffixes.add(s);
  const items = [...targets].map((t) => [t, suffixes(t)] as const).sort((a, b) => compareLists(a[1], b[1]));
  const required = new Set<string>();
  for (const [, sfx] of items) {
    const covered = () => sfx.some((s, i) => i < sfx.length - 1 && required.has(s));
    for (const s of sfx) {
      if (required.has(s) || otherSuffixes.has(s)) continue;
      if (!covered()) {
        required.add(s);
        break;
      }
    }
  }
  return required.size === 0 ? new Set(targets) : required;
}

const part = fc.constantFrom("a", "b", "q", "q_proj", "0", "1", "10", "2", "mlp", "x-y", "");
const name = fc.array(part, { minLength: 1, maxLength: 5 }).map((ps) => ps.join("."));

describe("minimalTargetModules", () => {
  test.prop([fc.uniqueArray(name, { minLength: 1, maxLength: 30 }), fc.array(name, { maxLength: 30 })], { numRuns: 500 })("equals PEFT's sorted algorithm", (targets, others) => {
    const set = new Set(targets);
    const rest = others.filter((o) => !set.has(o));
    expect([...minimalTargetModules(set, rest)].sort()).toEqual([...reference(set, rest)].sort());
  });
});
