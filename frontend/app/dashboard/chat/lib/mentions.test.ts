import { describe, expect, it } from "vitest";
import { applyMention, extractTicketNumbers, findActiveMention } from "./mentions";

describe("findActiveMention", () => {
  it("finds a numeric mention at the caret", () => {
    expect(findActiveMention("see #4")).toEqual({ start: 4, end: 6, query: "4", numeric: true });
    expect(findActiveMention("#47")).toEqual({ start: 0, end: 3, query: "47", numeric: true });
  });

  it("finds a word mention", () => {
    expect(findActiveMention("about #printer")).toEqual({ start: 6, end: 14, query: "printer", numeric: false });
    expect(findActiveMention("(#vpn")?.query).toBe("vpn");
    expect(findActiveMention("#Grüße")?.query).toBe("Grüße");
  });

  it("uses the caret position, not the end of the text", () => {
    const text = "ask #12 about it";
    expect(findActiveMention(text, 7)).toEqual({ start: 4, end: 7, query: "12", numeric: true });
    expect(findActiveMention(text, 16)).toBeNull();
  });

  it("ignores a bare #, a # inside a word, and a caret in the middle of a token", () => {
    expect(findActiveMention("#")).toBeNull();
    expect(findActiveMention("hello #")).toBeNull();
    expect(findActiveMention("abc#12")).toBeNull();
    expect(findActiveMention("C#")).toBeNull();
    expect(findActiveMention("#1234", 2)).toBeNull();
  });

  it("ends at whitespace", () => {
    expect(findActiveMention("#12 ")).toBeNull();
    expect(findActiveMention("#vpn berlin")).toBeNull();
  });

  it("drops trailing periods and refuses overlong queries", () => {
    expect(findActiveMention("#12.")?.query).toBe("12");
    expect(findActiveMention("#" + "a".repeat(41))).toBeNull();
  });
});

describe("applyMention", () => {
  it("replaces the query with #N and a space, caret after it", () => {
    const text = "look at #prin";
    const m = findActiveMention(text)!;
    expect(applyMention(text, m, 61)).toEqual({ text: "look at #61 ", caret: 12 });
  });

  it("keeps the text after the caret and does not double spaces", () => {
    const text = "see #4 please";
    const m = findActiveMention(text, 6)!;
    const out = applyMention(text, m, 47);
    expect(out.text).toBe("see #47 please");
    expect(out.caret).toBe(8);
  });
});

describe("extractTicketNumbers", () => {
  it("lists #N references once, in order", () => {
    expect(extractTicketNumbers("#12 and #7, again #12 (#3)")).toEqual([12, 7, 3]);
  });

  it("ignores # inside words, HTML entities and #N followed by letters", () => {
    expect(extractTicketNumbers("C#9 &#39; #12abc")).toEqual([]);
  });
});
