/**
 * One chalk instance per run, passed down. Level 0 (no escapes) when NO_COLOR is set and non-empty,
 * with --no-color, when stdout is not a terminal, or with TERM=dumb; chalk itself ignores NO_COLOR.
 */
import { Chalk, supportsColor, type ChalkInstance } from "chalk";

export interface ColourContext {
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly noColor: boolean;
}

export function createColours(ctx: ColourContext): ChalkInstance {
  const off = ctx.noColor || !ctx.isTTY || (ctx.env["NO_COLOR"] ?? "") !== "" || ctx.env["TERM"] === "dumb";
  if (off) return new Chalk({ level: 0 });
  const level = supportsColor ? supportsColor.level : 1;
  return new Chalk({ level: level === 0 ? 1 : level });
}
