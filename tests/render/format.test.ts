import { expect, test } from "vitest";
import { compact, grouped, pct } from "../../src/render/format.js";

test("grouped digits", () => {
  expect([0, 7, 999, 1000, 4194304, 8030261248, 235093634560, -1234567].map(grouped)).toEqual([
    "0",
    "7",
    "999",
    "1,000",
    "4,194,304",
    "8,030,261,248",
    "235,093,634,560",
    "-1,234,567",
  ]);
  expect(grouped(Number.MAX_SAFE_INTEGER)).toBe("9,007,199,254,740,991");
});

test("compact and percentages", () => {
  expect([512, 4194304, 41943040, 8030261248, 1.2e12].map(compact)).toEqual(["512", "4.19M", "41.9M", "8.03B", "1.20T"]);
  expect(pct(100 * (3407872 / 8033669120))).toBe("0.0424");
});
