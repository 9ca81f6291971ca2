import { describe, expect, it } from "vitest";
import { matchShortcut, type KeyPress } from "./shortcuts";

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("matchShortcut", () => {
  it("maps single keys", () => {
    expect(matchShortcut(press("?"), null)).toBe("help");
    expect(matchShortcut(press("c"), null)).toBe("composer");
    expect(matchShortcut(press("N"), null)).toBe("new-chat");
    expect(matchShortcut(press("/"), null)).toBe("search");
  });

  it("reads g then a letter as one shortcut", () => {
    expect(matchShortcut(press("g"), null)).toBe("prefix");
    expect(matchShortcut(press("t"), "g")).toBe("go-tickets");
    expect(matchShortcut(press("c"), "g")).toBe("go-chat");
    expect(matchShortcut(press("x"), "g")).toBeNull();
  });

  it("leaves modified keys to the browser", () => {
    expect(matchShortcut(press("c", { ctrlKey: true }), null)).toBeNull();
    expect(matchShortcut(press("n", { metaKey: true }), null)).toBeNull();
    expect(matchShortcut(press("/", { altKey: true }), null)).toBeNull();
  });

  it("ignores other keys", () => {
    expect(matchShortcut(press("t"), null)).toBeNull();
    expect(matchShortcut(press("Enter"), null)).toBeNull();
  });
});
