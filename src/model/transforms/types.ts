/** The contract of a model transform: metadata for `methods` / `transforms`, and a pure inventory → inventory step. */
import type { Inventory } from "../types.js";
import type { TransformSpec } from "./spec.js";

export interface TransformOptionDoc {
  readonly key: string;
  readonly text: string;
  readonly default?: string;
}

export interface TransformDef {
  /** the NAME of `--transform "NAME key=value ..."` */
  readonly id: string;
  readonly title: string;
  /** papers (and the code whose rule is followed) */
  readonly paper: string;
  /** one line: what the transform does to the counts */
  readonly expression: string;
  readonly options: readonly TransformOptionDoc[];
  /** which numbers are exact and which are a bound or a convention of ours */
  readonly exactness: string;
  apply(inv: Inventory, spec: TransformSpec): { readonly inv: Inventory; readonly summary: string };
}
