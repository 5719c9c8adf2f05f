/**
 * The parts of @huggingface/hub and @huggingface/gguf the sources use, re-exported by name: loaded with one
 * dynamic import on the paths that need them, and named so the CLI bundle keeps only these (the packages'
 * ESM builds tree-shake; a dynamic import of the whole package would keep all of it).
 */
export { downloadFile, fileDownloadInfo, parseSafetensorsMetadata } from "@huggingface/hub";
export { gguf } from "@huggingface/gguf";
