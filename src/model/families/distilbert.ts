import type { Family } from "../family.js";

/** Not built yet: lists no model_type. */
export const distilbertFamily: Family = {
  modelTypes: [],
  tasks: [],
  defaultTask: "CAUSAL_LM",
  build: () => {
    throw new Error("not implemented");
  },
};
