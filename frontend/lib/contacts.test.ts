import { describe, expect, it } from "vitest";
import { callerLine, contactHandle, contactPatch, formatDuration, formatPhone, minutesToSeconds, phoneDigits, worthChecking, type ContactFormValues } from "./contacts";

const shown: ContactFormValues = {
  name: "Maria Lopez",
  phone: "+1 555-010-2030",
  email: "maria@acme.example",
  organization: "Acme",
  notes: "",
};

describe("contactPatch", () => {
  it("sends nothing when nothing changed", () => {
    expect(contactPatch(shown, { ...shown })).toEqual({});
  });

  it("sends only the changed fields, trimmed", () => {
    expect(contactPatch(shown, { ...shown, name: "  Maria López ", notes: " VIP " })).toEqual({ name: "Maria López", notes: "VIP" });
  });

  it("clears an emptied phone, e-mail or organisation with null", () => {
    expect(contactPatch(shown, { ...shown, phone: " ", email: "", organization: "" })).toEqual({
      phone: null,
      email: null,
      organization: null,
    });
  });

  it("does not resend a phone whose formatting alone changed", () => {
    expect(contactPatch(shown, { ...shown, phone: "+1 (555) 010 2030" })).toEqual({});
    expect(contactPatch(shown, { ...shown, phone: "555 010 2031" })).toEqual({ phone: "555 010 2031" });
  });

  it("sends a phone given where there was none", () => {
    expect(contactPatch({ ...shown, phone: "" }, { ...shown, phone: "555.010.2030" })).toEqual({ phone: "555.010.2030" });
  });
});

describe("phoneDigits", () => {
  it.each([
    ["+1 (555) 010-2030", "+15550102030"],
    ["555.010.2030", "5550102030"],
    [" 5550102030 ", "5550102030"],
    ["", ""],
  ])("%s → %s", (text, digits) => expect(phoneDigits(text)).toBe(digits));
});

describe("worthChecking", () => {
  it("waits for two words or eight letters", () => {
    expect(worthChecking("", "")).toBe(false);
    expect(worthChecking("VPN", "")).toBe(false);
    expect(worthChecking("Printer jams", "")).toBe(true);
    expect(worthChecking("", "paper jam")).toBe(true);
    expect(worthChecking("Thunderbird", "")).toBe(true);
  });
});

describe("names", () => {
  it("writes the handle and the one-line caller", () => {
    expect(contactHandle(12)).toBe("C-12");
    expect(callerLine({ name: "Maria Lopez", organization: "Acme" })).toBe("Maria Lopez · Acme");
    expect(callerLine({ name: "Maria Lopez", organization: null })).toBe("Maria Lopez");
  });
});

describe("durations", () => {
  it.each([
    [null, ""],
    [45, "45 s"],
    [240, "4 min"],
    [3900, "1 h 5 min"],
    [7200, "2 h"],
  ])("%s s → %s", (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it("reads minutes as typed", () => {
    expect(minutesToSeconds("")).toBeNull();
    expect(minutesToSeconds("4")).toBe(240);
    expect(minutesToSeconds("2,5")).toBe(150);
    expect(minutesToSeconds("abc")).toBeNull();
    expect(minutesToSeconds("-1")).toBeNull();
  });
});

describe("formatPhone", () => {
  it("writes North American numbers as the API's phone_display does, others as stored", () => {
    expect(formatPhone("+15550102030")).toBe("+1 555-010-2030");
    expect(formatPhone("+442071838750")).toBe("+442071838750");
    expect(formatPhone(null)).toBe("");
  });
});
