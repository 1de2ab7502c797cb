import { describe, expect, it } from "vitest";
import { formatRelative } from "./relative-time";

describe("formatRelative", () => {
  const now = Date.parse("2025-06-15T12:00:00Z");
  const ago = (seconds: number) => new Date(now - seconds * 1000);

  it("says just now under a minute, either way", () => {
    expect(formatRelative(ago(5), now)).toBe("just now");
    expect(formatRelative(ago(-30), now)).toBe("just now");
  });

  it("uses the largest whole unit", () => {
    expect(formatRelative(ago(60), now)).toBe("1 minute ago");
    expect(formatRelative(ago(59 * 60), now)).toBe("59 minutes ago");
    expect(formatRelative(ago(2 * 3600 + 100), now)).toBe("2 hours ago");
    expect(formatRelative(ago(26 * 3600), now)).toBe("yesterday");
    expect(formatRelative(ago(3 * 86_400), now)).toBe("3 days ago");
    expect(formatRelative(ago(400 * 86_400), now)).toBe("last year");
    expect(formatRelative(ago(-7200), now)).toBe("in 2 hours");
  });
});
