import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildManifest, cspHash, inlineScripts } from "./csp-hashes.mjs";

describe("inlineScripts", () => {
  it("reads inline scripts and skips external ones", () => {
    const html =
      '<head><script src="/_next/a.js" async=""></script><script id="_R_">a()</script></head>' +
      '<body><script>(self.__next_f=self.__next_f||[]).push([0])</script>' +
      '<SCRIPT type="module">b()</SCRIPT ><script src=/x.js></script><script></script></body>';
    expect(inlineScripts(html)).toEqual(["a()", "(self.__next_f=self.__next_f||[]).push([0])", "b()", ""]);
  });

  it("hashes the text the way the HTML parser hands it over (CR LF as LF)", () => {
    expect(inlineScripts("<script>a()\r\nb()\rc()</script>")).toEqual(["a()\nb()\nc()"]);
  });

  it("refuses markup it cannot read rather than leave a script out", () => {
    expect(() => inlineScripts("<script>never closed")).toThrow(/script/);
  });
});

describe("cspHash", () => {
  it("is the base64 sha256 of the UTF-8 text", () => {
    const text = 'self.__next_f.push([1,"é"])';
    const expected = createHash("sha256").update(Buffer.from(text, "utf8")).digest("base64");
    expect(cspHash(text)).toBe(`sha256-${expected}`);
    // A value published in the CSP spec's examples.
    expect(cspHash("alert('Hello, world.');")).toBe("sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=");
  });
});

describe("buildManifest", () => {
  it("lists each HTML file with its own hashes", () => {
    const out = mkdtempSync(path.join(tmpdir(), "csp-"));
    mkdirSync(path.join(out, "login"));
    writeFileSync(path.join(out, "index.html"), "<script>one()</script><script>one()</script>");
    writeFileSync(path.join(out, "login", "index.html"), "<script>two()</script>");
    writeFileSync(path.join(out, "app.js"), "<script>not html</script>");
    expect(buildManifest(out)).toEqual({
      version: 1,
      algorithm: "sha256",
      files: { "index.html": [cspHash("one()")], "login/index.html": [cspHash("two()")] },
    });
  });
});
