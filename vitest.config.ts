import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["tests/**/*.test.ts"], exclude: ["tests/**/*.prop.test.ts", "tests/**/*.e2e.test.ts"], setupFiles: ["tests/setup-regex.ts"] } },
      { test: { name: "prop", include: ["tests/**/*.prop.test.ts"], setupFiles: ["tests/setup-regex.ts"] } },
      { test: { name: "e2e", include: ["tests/**/*.e2e.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 } },
    ],
  },
});
