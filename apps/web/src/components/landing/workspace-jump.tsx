"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;

/** "Go to my workspace": builds `<slug>.<root>` from a name; the server decides whether it exists. */
export function WorkspaceJump({ workspaceUrlTemplate }: { workspaceUrlTemplate: string }) {
  const [slug, setSlug] = useState("");
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = slug.trim().toLowerCase();
    if (!SLUG.test(value)) {
      setError("Use the workspace's short name: lowercase letters, digits and dashes.");
      return;
    }
    window.location.assign(workspaceUrlTemplate.replace("__slug__", value));
  };
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start">
      <Field label="Workspace name" error={error} className="flex-1">
        {(props) => (
          <Input
            {...props}
            name="workspace"
            placeholder="acme"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={slug}
            onChange={(event) => {
              setSlug(event.target.value);
              setError(null);
            }}
          />
        )}
      </Field>
      <Button type="submit" className="sm:mt-7">
        Open workspace
      </Button>
    </form>
  );
}
