"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import { Icon } from "./icons";

export interface UserMenuProps {
  name: string;
  email: string;
  /** e.g. the role, or "System administrator". */
  detail: string;
  onSignOut: () => void;
  signingOut: boolean;
  /** The account's own page (name, password), when there is one. */
  profileHref?: string;
}

/** The account button at the bottom of a sidebar: who is signed in, and sign-out. Escape and outside clicks close it. */
export function UserMenu({ name, email, detail, onSignOut, signingOut, profileHref }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const initials = (name || email)
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join("");

  return (
    <div ref={root} className="relative">
      {open ? (
        <div id={panelId} className="absolute right-0 bottom-full left-0 mb-2 rounded-lg border border-gray-200 bg-white p-1 shadow-lg">
          <div className="border-b border-gray-100 px-3 py-2">
            <p className="truncate text-sm font-medium text-gray-900">{email}</p>
            <p className="text-xs text-gray-500">{detail}</p>
          </div>
          {profileHref ? (
            <Link
              href={profileHref}
              onClick={() => setOpen(false)}
              className="mt-1 flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-gray-700 hover:bg-gray-100 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <Icon name="user" />
              Profile
            </Link>
          ) : null}
          <button
            type="button"
            onClick={onSignOut}
            disabled={signingOut}
            className="mt-1 flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-gray-700 hover:bg-gray-100 focus-visible:outline-2 focus-visible:outline-brand-600 disabled:text-gray-400"
          >
            {signingOut ? <Spinner /> : <Icon name="signOut" />}
            Sign out
          </button>
        </div>
      ) : null}
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((value) => !value)}
        className={cn(
          "flex w-full items-center gap-2.5 rounded-md px-2 py-2 text-left hover:bg-gray-100 focus-visible:outline-2 focus-visible:outline-brand-600",
          open && "bg-gray-100",
        )}
      >
        <span aria-hidden="true" className="flex size-8 shrink-0 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-800">
          {initials || "?"}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium text-gray-900">{name || email}</span>
          <span className="block truncate text-xs text-gray-500">{detail}</span>
        </span>
        <span className="sr-only">Account menu</span>
      </button>
    </div>
  );
}
