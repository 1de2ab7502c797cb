import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { isoString, serializeOutput } from "./transformer.ts";

/** A deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ["id", "name", "createdAt", "a.b", "back\\slash", "x\\.y", "0", "12", "", "data", "ünï", "__proto"];

/** Plain data of the kinds API answers hold: the fast writer's whole domain. */
function plainValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 7 : 9));
  switch (pick) {
    case 0:
      return `text ${Math.floor(next() * 100)}`;
    case 1:
      return next() < 0.5;
    case 2:
      return next() < 0.5 ? Math.floor(next() * 1e6) : next() * 1e6 - 5e5;
    case 3:
      return null;
    case 4:
      return undefined;
    case 5:
      return new Date(Math.floor(next() * 4e12));
    case 6:
      return next() < 0.1 ? new Date(-62_198_755_200_000) : new Date(Math.floor(next() * 2e12));
    case 7:
      return Array.from({ length: Math.floor(next() * 4) }, () => plainValue(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 5); i > 0; i -= 1) object[KEYS[Math.floor(next() * KEYS.length)] ?? "k"] = plainValue(next, depth + 1);
      return object;
    }
  }
}

function plainRoot(next: () => number): unknown {
  for (;;) {
    const value = plainValue(next, 0);
    if (value !== undefined && !(value instanceof Date)) return value;
  }
}

describe("isoString", () => {
  it("formats as Date.prototype.toISOString does, across and beyond four-digit years", () => {
    const next = random(42);
    const edges = [
      Date.UTC(1000, 0, 1),
      Date.UTC(1000, 0, 1) - 1,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10_000, 0, 1),
      0,
      -1,
      Date.UTC(1900, 1, 28, 23, 59, 59, 999),
      Date.UTC(1900, 2, 1),
      Date.UTC(2000, 1, 29, 12, 30, 45, 7),
      Date.UTC(2100, 1, 28),
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      -62_198_755_200_000,
      8.64e15,
      -8.64e15,
    ];
    const span = Date.UTC(10_500, 0, 1) - Date.UTC(500, 0, 1);
    const sampled = Array.from({ length: 200_000 }, () => Math.floor(Date.UTC(500, 0, 1) + next() * span));
    for (const ms of [...edges, ...sampled]) {
      const date = new Date(ms);
      if (isoString(date) !== date.toISOString()) expect(isoString(date), String(ms)).toBe(date.toISOString());
    }
  });
});

describe("serializeOutput", () => {
  it("writes what superjson writes for a page of rows with dates, nulls and undefined", () => {
    const page = {
      data: Array.from({ length: 3 }, (_, i) => ({
        id: `p${i}`,
        description: i === 1 ? undefined : "",
        responseSchema: i === 2 ? { type: "object", properties: { "a.b": { type: "string" } } } : null,
        createdAt: new Date(1_700_000_000_000 + i),
      })),
      total: 3,
    };
    expect(serializeOutput(page)).toEqual(superjson.serialize(page));
    expect(serializeOutput(page).meta?.values).toMatchObject({ "data.0.createdAt": ["Date"], "data.1.description": ["undefined"] });
  });

  it("writes what superjson writes for 2,000 generated values, which read back the same", () => {
    for (let seed = 1; seed <= 2_000; seed += 1) {
      const value = plainRoot(random(seed));
      const fast = serializeOutput(value);
      expect(fast, `seed ${seed}`).toEqual(superjson.serialize(value));
      expect(superjson.deserialize(JSON.parse(JSON.stringify(fast)) as typeof fast), `seed ${seed}`).toEqual(value);
    }
  });

  it("escapes dots and backslashes in keys as superjson's paths do", () => {
    const value = { "a.b": { "c\\d": new Date(0) }, "x\\.y": [undefined] };
    expect(serializeOutput(value)).toEqual(superjson.serialize(value));
    expect(Object.keys(serializeOutput(value).meta?.values ?? {}).sort()).toEqual(["a\\.b.c\\\\d", "x\\\\\\.y.0"]);
  });

  it.each([
    ["a Map", { m: new Map([[1, 2]]) }],
    ["a Set", [new Set(["a"])]],
    ["a bigint", { n: 10n }],
    ["NaN", { a: Number.NaN }],
    ["Infinity", { b: [Number.NEGATIVE_INFINITY] }],
    ["-0", { c: -0 }],
    ["an invalid Date", { d: new Date(Number.NaN) }],
    ["a RegExp", { r: /x/g }],
    ["an Error", { e: new Error("boom") }],
    ["a class instance", { u: new URL("http://127.0.0.1/") }],
    ["an array with a hole", { a: Object.assign(new Array<number>(3), { 0: 1, 2: 3 }) }],
    ["an array with a named property", { a: Object.assign([1], { extra: new Date(0) }) }],
    ["a root Date", new Date(5)],
    ["a root undefined", undefined],
  ])("leaves %s to superjson, with the same result", (_, value) => {
    expect(serializeOutput(value)).toEqual(superjson.serialize(value));
  });

  it("leaves shared references and cycles to superjson, which records them", () => {
    const shared = { k: 1 };
    const date = new Date(0);
    const sharedValue = { p: shared, q: shared, d1: date, d2: date };
    expect(serializeOutput(sharedValue)).toEqual(superjson.serialize(sharedValue));
    expect(serializeOutput(sharedValue).meta?.referentialEqualities).toBeDefined();
    const cycle: Record<string, unknown> = { name: "loop" };
    cycle.self = cycle;
    expect(serializeOutput(cycle)).toEqual(superjson.serialize(cycle));
  });

  it("refuses the keys superjson refuses, with superjson's error", () => {
    const value = JSON.parse('{"ok":{"constructor":1}}') as unknown;
    expect(() => superjson.serialize(value)).toThrow(/prototype pollution/);
    expect(() => serializeOutput(value)).toThrow(/prototype pollution/);
  });
});
