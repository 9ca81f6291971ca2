import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_LOGIN, classifyHref, routes, safeNextPath } from "./urls";

const ORIGIN = "http://127.0.0.1:8000";

/** Values of `next` as the login page reads them (URLSearchParams has decoded them once). */
const HOSTILE: [string, string][] = [
  ["tab inside, the reported case", "/\t/evil.example/"],
  ["line feed inside", "/\n/evil.example/"],
  ["carriage return inside", "/\r/evil.example/"],
  ["tab then backslash", "/\t\\evil.example/"],
  ["CR LF inside", "/\r\n/evil.example"],
  ["tab between the slashes twice", "/\t/\t/evil.example"],
  ["protocol-relative", "//evil.example/"],
  ["slash backslash", "/\\evil.example"],
  ["backslash slash", "\\/evil.example"],
  ["two backslashes", "\\\\evil.example"],
  ["three slashes", "///evil.example"],
  ["absolute https", "https://evil.example/"],
  ["absolute http", "http://evil.example/dashboard/chat/"],
  ["scheme without slashes", "https:evil.example"],
  ["same host, other port", "http://127.0.0.1:8001/dashboard/chat/"],
  ["same host, other scheme", "https://127.0.0.1:8000/dashboard/chat/"],
  ["javascript:", "javascript:alert(document.cookie)"],
  ["javascript: with tab and case", "JaVa\tScRiPt:alert(1)"],
  ["javascript: after whitespace", " javascript:alert(1)"],
  ["data: URL", "data:text/html,<script>alert(1)</script>"],
  ["vbscript:", "vbscript:msgbox(1)"],
  ["userinfo with our host as the user", "http://127.0.0.1:8000@evil.example/"],
  ["userinfo, protocol-relative", "//127.0.0.1:8000@evil.example"],
  ["leading spaces before //", "  //evil.example"],
  ["leading tab before //", "\t//evil.example"],
  ["leading newline before https", "\nhttps://evil.example"],
  ["leading NUL and control characters", "\u0000\u001f//evil.example"],
  ["dot segment collapsing to //", "/.//evil.example"],
  ["dot-dot segment collapsing to //", "/a/../..//evil.example"],
  ["backslash dot segment", "/.\\/evil.example"],
  ["ideographic full stop host", "//evil\u3002example"],
];

/** The same attacks before URLSearchParams decodes them: these are what the link carries. */
const ENCODED_QUERIES = [
  "next=%2F%09%2Fevil.example%2F",
  "next=%2F%0A%2Fevil.example%2F",
  "next=%2F%0D%2Fevil.example%2F",
  "next=%2F%09%5Cevil.example%2F",
  "next=%2F%2Fevil.example",
  "next=%5C%5Cevil.example",
  "next=https%3A%2F%2Fevil.example",
  "next=%20%2F%2Fevil.example",
  "next=/%09/evil.example",
];

describe("safeNextPath", () => {
  it.each(HOSTILE)("refuses %s", (_name, next) => {
    expect(safeNextPath(next, ORIGIN)).toBe(DEFAULT_AFTER_LOGIN);
  });

  it.each(ENCODED_QUERIES)("refuses ?%s", (query) => {
    const next = new URLSearchParams(query).get("next");
    expect(safeNextPath(next, ORIGIN)).toBe(DEFAULT_AFTER_LOGIN);
  });

  it("never returns something that resolves off the origin", () => {
    for (const [, next] of HOSTILE) {
      const target = new URL(safeNextPath(next, ORIGIN), ORIGIN);
      expect(target.origin).toBe(ORIGIN);
    }
  });

  it("goes to the default page when there is no next", () => {
    expect(safeNextPath(null, ORIGIN)).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeNextPath(undefined, ORIGIN)).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeNextPath("", ORIGIN)).toBe(DEFAULT_AFTER_LOGIN);
  });

  it("does not loop back to the sign-in page", () => {
    expect(safeNextPath("/login/", ORIGIN)).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeNextPath("/login", ORIGIN)).toBe(DEFAULT_AFTER_LOGIN);
    expect(safeNextPath("/login/?next=/dashboard/", ORIGIN)).toBe(DEFAULT_AFTER_LOGIN);
  });

  it.each([
    ["/dashboard/chat/", "/dashboard/chat/"],
    ["/dashboard/tickets/view/?ref=12", "/dashboard/tickets/view/?ref=12"],
    ["/dashboard/chat/?session=4b1c#m-9", "/dashboard/chat/?session=4b1c#m-9"],
    ["/dashboard/tickets/?q=%2312&status=open", "/dashboard/tickets/?q=%2312&status=open"],
    [`${ORIGIN}/dashboard/tickets/`, "/dashboard/tickets/"],
    ["/loginhelp/", "/loginhelp/"],
    ["/dashboard/tickets/../chat/", "/dashboard/chat/"],
    // Only ASCII `/` and `\` separate; a lookalike stays a (percent-encoded) local path.
    ["/\uff0f/evil.example", "/%EF%BC%8F/evil.example"],
  ])("keeps the same-origin destination %s", (next, expected) => {
    expect(safeNextPath(next, ORIGIN)).toBe(expected);
  });
});

describe("classifyHref", () => {
  it.each([
    ["/dashboard/tickets/view/?ref=12", "internal"],
    ["/dashboard/chat/?session=1#m", "internal"],
    ["https://example.com/kb/42", "external"],
    ["mailto:help@example.com", "external"],
    ["/\t/evil.example/", null],
    ["/\n/evil.example/", null],
    ["/\t\\evil.example", null],
    ["//evil.example", null],
    ["/\\evil.example", null],
    ["/.//evil.example", null],
    ["javascript:alert(1)", null],
    ["data:text/html,x", null],
  ] as const)("%s is %s", (href, kind) => {
    expect(classifyHref(href)).toBe(kind);
  });
});

describe("callers' routes", () => {
  it("names a contact by its number, and a search in the URL", () => {
    expect(routes.contact(12)).toBe("/dashboard/contacts/?id=12");
    expect(routes.contacts()).toBe("/dashboard/contacts/");
    expect(routes.contacts("+1 (555) 010")).toBe("/dashboard/contacts/?q=%2B1%20(555)%20010");
  });

  it("opens a ticket with its note composer, the text carried along", () => {
    expect(routes.ticketNote(47)).toBe("/dashboard/tickets/view/?ref=47&compose=1");
    expect(routes.ticketNote(47, "Jams again & again")).toBe(
      "/dashboard/tickets/view/?ref=47&compose=1&note=Jams%20again%20%26%20again",
    );
  });
});

describe("ticketNumberOfHref", () => {
  it("reads the number of a ticket page link", async () => {
    const { routes, ticketNumberOfHref } = await import("./urls");
    expect(ticketNumberOfHref(routes.ticket(47))).toBe(47);
    expect(ticketNumberOfHref("/dashboard/tickets/view/?ref=47&x=1")).toBeNull();
    expect(ticketNumberOfHref("/dashboard/tickets/")).toBeNull();
    expect(ticketNumberOfHref("https://evil.example/dashboard/tickets/view/?ref=1")).toBeNull();
  });
});
