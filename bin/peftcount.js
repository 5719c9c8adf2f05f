#!/usr/bin/env node
import module from "node:module";

const m = /** @type {{ enableCompileCache?: () => void }} */ (/** @type {unknown} */ (module));
if (typeof m.enableCompileCache === "function") m.enableCompileCache();
await import(new URL("../dist/cli.js", import.meta.url).href);
