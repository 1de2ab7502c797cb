import { describe, expect, test } from "vitest";
import { KeyedSemaphore } from "./semaphore.ts";

describe("KeyedSemaphore", () => {
  test("at most `limit` holders per key; a release passes the place to the next waiter in order", async () => {
    const slots = new KeyedSemaphore();
    const first = await slots.acquire("t1:p", 2);
    const second = await slots.acquire("t1:p", 2);
    const order: string[] = [];
    const third = slots.acquire("t1:p", 2).then((release) => (order.push("third"), release));
    const fourth = slots.acquire("t1:p", 2).then((release) => (order.push("fourth"), release));
    // Another key is not held up.
    (await slots.acquire("t2:p", 2))();
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(slots.inUse("t1:p")).toBe(2);
    first();
    first(); // a second call does nothing
    const releaseThird = await third;
    expect(order).toEqual(["third"]);
    // A newcomer does not slip in before the queued fourth.
    const late = slots.acquire("t1:p", 2).then((release) => (order.push("late"), release));
    second();
    (await fourth)();
    releaseThird();
    (await late)();
    expect(order).toEqual(["third", "fourth", "late"]);
    expect(slots.inUse("t1:p")).toBe(0);
  });

  test("a waiter whose signal aborts leaves the queue", async () => {
    const slots = new KeyedSemaphore();
    const held = await slots.acquire("k", 1);
    const controller = new AbortController();
    const waiting = slots.acquire("k", 1, controller.signal);
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
    held();
    expect(slots.inUse("k")).toBe(0);
  });
});
