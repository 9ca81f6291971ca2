export const MANIFEST: string;
export function inlineScripts(html: string): string[];
export function cspHash(text: string): string;
export function buildManifest(outDir: string): {
  version: number;
  algorithm: string;
  files: Record<string, string[]>;
};
