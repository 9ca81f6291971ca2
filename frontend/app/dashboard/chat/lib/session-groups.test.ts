import { describe, expect, it } from "vitest";
import { groupByDate, groupLabel } from "./session-groups";

const now = new Date(2026, 11, 7, 15, 30); // 7 Dec 2026, 15:30 local
const at = (days: number, hours = 12) => new Date(2026, 11, 7 - days, hours).toISOString();

describe("groupLabel", () => {
  it("names the day the chat was last active", () => {
    expect(groupLabel(at(0, 0), now)).toBe("Today");
    expect(groupLabel(at(1, 23), now)).toBe("Yesterday");
    expect(groupLabel(at(1, 0), now)).toBe("Yesterday");
    expect(groupLabel(at(2), now)).toBe("Previous 7 days");
    expect(groupLabel(at(7, 0), now)).toBe("Previous 7 days");
    expect(groupLabel(at(8), now)).toBe("Previous 30 days");
    expect(groupLabel(at(31), now)).toBe("Older");
  });
});

describe("groupByDate", () => {
  it("keeps the order and cuts it into groups", () => {
    const items = [at(0), at(0, 9), at(1), at(3), at(40)].map((updated_at, id) => ({ id, updated_at }));
    const groups = groupByDate(items, now);
    expect(groups.map((g) => [g.label, g.items.map((i) => i.id)])).toEqual([
      ["Today", [0, 1]],
      ["Yesterday", [2]],
      ["Previous 7 days", [3]],
      ["Older", [4]],
    ]);
  });

  it("gives nothing for no chats", () => {
    expect(groupByDate([], now)).toEqual([]);
  });
});
