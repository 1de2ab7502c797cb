import { z } from "zod";

/**
 * Human messages for every zod issue a schema does not word itself, installed once for the whole
 * process by importing this package (index.ts). Forms show these next to their fields and the API
 * returns them in its field errors, so none reads like "Too small: expected string to have >=1
 * characters". A schema's own message (`.min(1, "A name is required.")`) still wins.
 */
export function humanMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return "This field is required.";
      return TYPE_MESSAGES[issue.expected] ?? "This value has the wrong type.";
    case "too_small":
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case "too_big":
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case "invalid_format":
      return FORMAT_MESSAGES[issue.format] ?? "This value does not have the expected format.";
    case "invalid_value":
      return issue.values.length === 1 ? `Must be ${String(issue.values[0])}.` : `Choose one of: ${issue.values.map(String).join(", ")}.`;
    case "not_multiple_of":
      return `Enter a multiple of ${String(issue.divisor)}.`;
    case "unrecognized_keys":
      return `Unknown ${issue.keys.length === 1 ? "field" : "fields"}: ${issue.keys.join(", ")}.`;
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
      return "This value is not valid.";
    default:
      return undefined;
  }
}

const TYPE_MESSAGES: Partial<Record<string, string>> = {
  string: "Enter text.",
  number: "Enter a number.",
  int: "Enter a whole number.",
  boolean: "Choose yes or no.",
  array: "Must be a list.",
  object: "Must be an object.",
  date: "Enter a date.",
};

const FORMAT_MESSAGES: Partial<Record<string, string>> = {
  email: "Enter a valid email address.",
  url: "Enter a valid URL, e.g. https://example.com.",
  uuid: "Must be a valid id.",
  regex: "This value does not have the expected format.",
  datetime: "Enter a date and time.",
};

const count = (value: number) => value.toLocaleString("en");

function tooSmall(origin: string, minimum: number, inclusive: boolean): string {
  switch (origin) {
    case "string":
      return minimum <= 1 ? "This field is required." : `Enter at least ${count(minimum)} characters.`;
    case "array":
    case "set":
      return minimum <= 1 ? "Choose at least one." : `Choose at least ${count(minimum)}.`;
    case "number":
    case "int":
    case "bigint":
      return inclusive ? `Enter ${count(minimum)} or more.` : `Enter a number greater than ${count(minimum)}.`;
    default:
      return "This value is too small.";
  }
}

function tooBig(origin: string, maximum: number, inclusive: boolean): string {
  switch (origin) {
    case "string":
      return `Enter at most ${count(maximum)} characters.`;
    case "array":
    case "set":
      return `Choose at most ${count(maximum)}.`;
    case "number":
    case "int":
    case "bigint":
      return inclusive ? `Enter ${count(maximum)} or less.` : `Enter a number less than ${count(maximum)}.`;
    case "file":
      return "The file is too large.";
    default:
      return "This value is too large.";
  }
}

z.config({ customError: humanMessage });
