/**
 * Typed errors. The CLI maps them to exit codes: `UsageError` → 2 (malformed command line),
 * `InputError` → 1 (well-formed request that cannot be answered). Anything else is a bug.
 * Every error carries a stable SCREAMING_SNAKE `code` and, where we can give one, a `hint`
 * that says how to fix it.
 */
export class PeftcountError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

/** The request is well formed but cannot be answered (exit 1). */
export class InputError extends PeftcountError {}

/** The command line itself is malformed (exit 2). */
export class UsageError extends PeftcountError {}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `input` (case-insensitive), if it is plausibly a typo of it. */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const hay = c.toLowerCase();
    // containment counts only for names of 3+ characters: "r" is inside almost every word
    const contained = Math.min(needle.length, hay.length) >= 3 && (hay.includes(needle) || needle.includes(hay));
    const score = hay === needle ? 0 : contained ? 0.5 : editDistance(needle, hay);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return bestScore <= Math.max(2, Math.floor(needle.length / 3)) ? best : undefined;
}

/** "did you mean X?" or "" */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const n = nearest(input, candidates);
  return n === undefined ? "" : `did you mean "${n}"? `;
}
