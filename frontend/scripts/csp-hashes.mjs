// After `next build`: write out/csp-hashes.json, the sha256 of every inline <script> of each
// exported HTML page, so the server's Content-Security-Policy can allow exactly those scripts
// (never 'unsafe-inline'). Read once by backend/api/security_headers.py at start.
//
// Usage: node scripts/csp-hashes.mjs [out-dir]   (default: ./out)

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MANIFEST = "csp-hashes.json";

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const SCRIPT_OPEN = /<script\b/gi;
const HAS_SRC = /(?:^|\s)src\s*=/i;

/** The text of each inline (no `src`) script, as the browser hashes it. */
export function inlineScripts(html) {
  const found = [];
  let tags = 0;
  for (const match of html.matchAll(SCRIPT)) {
    tags += 1;
    if (HAS_SRC.test(match[1])) continue;
    // The HTML parser turns CR LF and lone CR into LF before the script sees its text.
    found.push(match[2].replace(/\r\n?/g, "\n"));
  }
  const opened = html.match(SCRIPT_OPEN)?.length ?? 0;
  if (opened !== tags) {
    throw new Error(`found ${opened} <script> tags but could read only ${tags}`);
  }
  return found;
}

/** A CSP source expression for this script text: 'sha256-<base64>' without the quotes. */
export function cspHash(text) {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}

function htmlFiles(dir, prefix = "") {
  const files = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...htmlFiles(dir, rel));
    else if (entry.isFile() && entry.name.endsWith(".html")) files.push(rel);
  }
  return files.sort();
}

/** { version, algorithm, files: { "login/index.html": ["sha256-…", …], … } } */
export function buildManifest(outDir) {
  const files = {};
  for (const rel of htmlFiles(outDir)) {
    const html = readFileSync(path.join(outDir, rel), "utf8");
    try {
      files[rel] = [...new Set(inlineScripts(html).map(cspHash))].sort();
    } catch (error) {
      throw new Error(`${rel}: ${error.message}`);
    }
  }
  return { version: 1, algorithm: "sha256", files };
}

function main() {
  const outDir = path.resolve(process.argv[2] ?? "out");
  const manifest = buildManifest(outDir);
  const count = Object.keys(manifest.files).length;
  if (count === 0) throw new Error(`no HTML files in ${outDir}: run next build first`);
  writeFileSync(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const scripts = Object.values(manifest.files).reduce((n, hashes) => n + hashes.length, 0);
  console.log(`CSP: ${scripts} inline script hashes for ${count} pages in ${path.join(outDir, MANIFEST)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
