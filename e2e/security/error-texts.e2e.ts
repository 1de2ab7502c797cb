import { expect, test } from "@playwright/test";
import { send } from "./support";

const SENTENCE = "The request could not be read: it is not valid JSON in the shape the API expects, or it is nested too deeply.";

const bodies: [name: string, body: string, leaked: RegExp][] = [
  ["deeply nested JSON", `{"json":${"[".repeat(20_000)}${"]".repeat(20_000)}}`, /Maximum call stack/],
  ["a null body", "null", /Cannot destructure/],
  ["malformed JSON", '{"json":', /Unexpected end/],
  ["nested superjson meta", `{"json":1,"meta":{"values":${"[".repeat(5_000)}${"]".repeat(5_000)}}}`, /Maximum call stack/],
];

for (const [name, body, leaked] of bodies) {
  test(`${name} answers 400 with a sentence, not the JavaScript exception`, async () => {
    const answer = await send({ method: "POST", path: "/api/trpc/auth.login", host: "acme.localhost", headers: { "content-type": "application/json" }, body });
    expect(answer.status).toBe(400);
    expect(answer.text).not.toMatch(leaked);
    expect(answer.text).toContain(SENTENCE);
  });
}
