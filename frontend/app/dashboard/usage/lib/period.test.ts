import { describe, expect, it } from "vitest";
import { startOfPeriod } from "./period";

describe("startOfPeriod", () => {
  it("counts today as the period's last day, in UTC", () => {
    const now = new Date("2026-03-01T23:30:00-05:00"); // already March 2nd in UTC
    expect(startOfPeriod(1, now)).toBe("2026-03-02");
    expect(startOfPeriod(7, now)).toBe("2026-02-24");
    expect(startOfPeriod(30, now)).toBe("2026-02-01");
  });
});
