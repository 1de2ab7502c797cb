import { expect, test } from "vitest";
import { metricsRegistry, observeRequest, registerGauge } from "./metrics.ts";

async function lines(prefix: string): Promise<string[]> {
  return (await metricsRegistry.metrics()).split("\n").filter((line) => line.startsWith(prefix));
}

test("the duration histogram puts a value equal to a bound in that bucket and counts cumulatively, per procedure and status", async () => {
  for (const seconds of [0.001, 0.0011, 0.5, 20]) observeRequest("prompts.list", "200", seconds);
  observeRequest("prompts.list", "500", 0.002);
  const bucket = (le: string, status = "200") => `sigil_http_request_duration_seconds_bucket{le="${le}",procedure="prompts.list",status="${status}"}`;
  const histogram = await lines("sigil_http_request_duration_seconds");
  expect(histogram).toContain(`${bucket("0.0005")} 0`);
  expect(histogram).toContain(`${bucket("0.001")} 1`);
  expect(histogram).toContain(`${bucket("0.0025")} 2`);
  expect(histogram).toContain(`${bucket("0.5")} 3`);
  expect(histogram).toContain(`${bucket("10")} 3`);
  expect(histogram).toContain(`${bucket("+Inf")} 4`);
  expect(histogram).toContain('sigil_http_request_duration_seconds_count{procedure="prompts.list",status="200"} 4');
  expect(histogram).toContain('sigil_http_request_duration_seconds_sum{procedure="prompts.list",status="200"} 20.5021');
  expect(histogram).toContain(`${bucket("0.0025", "500")} 1`);
  expect(await lines("sigil_http_requests_total")).toEqual([
    'sigil_http_requests_total{procedure="prompts.list",status="200"} 4',
    'sigil_http_requests_total{procedure="prompts.list",status="500"} 1',
  ]);
});

test("another module registers a gauge whose value is read when scraped; names outside sigil_ are refused", async () => {
  let age = 42;
  registerGauge({
    name: "sigil_test_backup_age_seconds",
    help: "Seconds since the last backup (test).",
    collect() {
      this.set(age);
    },
  });
  expect(await lines("sigil_test_backup_age_seconds")).toEqual(["sigil_test_backup_age_seconds 42"]);
  age = 7;
  expect(await lines("sigil_test_backup_age_seconds")).toEqual(["sigil_test_backup_age_seconds 7"]);
  expect(() => registerGauge({ name: "backup_age", help: "x" })).toThrow(/start with sigil_/);
});
