"use client";

import { useEffect, useRef, useState, type ComponentProps } from "react";
import { cn } from "@/lib/cn";

/**
 * A bordered table that scrolls sideways inside its own box when it is wider than the page (on a
 * phone): the page itself never gets wider than the screen. Give it a `<TableCaption>` (may be
 * `sr-only`) for screen readers; while the table overflows, the box is a keyboard-focusable
 * region named by that caption, so the hidden columns (row actions) can be scrolled to without
 * a mouse. `relative`: visually hidden texts in cells (`sr-only`, absolutely positioned) stay
 * inside the box instead of widening the page.
 */
export function Table({ className, ...props }: ComponentProps<"table">) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollable, setScrollable] = useState<{ label: string } | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      const overflows = element.scrollWidth > element.clientWidth + 1;
      const label = element.querySelector("caption")?.textContent?.trim() || "Table";
      setScrollable((current) => (overflows ? (current?.label === label ? current : { label }) : null));
    });
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={box}
      tabIndex={scrollable ? 0 : undefined}
      role={scrollable ? "region" : undefined}
      aria-label={scrollable?.label}
      className="relative overflow-x-auto rounded-lg border border-gray-200 bg-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
    >
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  );
}
export function TableCaption({ className, ...props }: ComponentProps<"caption">) {
  return <caption className={cn("px-4 py-2 text-left text-sm text-gray-600", className)} {...props} />;
}
export function TableHeader({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("border-b border-gray-200 bg-gray-50", className)} {...props} />;
}
export function TableBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-gray-100", className)} {...props} />;
}
export function TableRow({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("hover:bg-gray-50/70", className)} {...props} />;
}
export function TableHead({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return <th scope={scope} className={cn("px-4 py-2.5 text-xs font-semibold tracking-wide text-gray-600 uppercase", className)} {...props} />;
}
export function TableCell({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("px-4 py-3 text-gray-800", className)} {...props} />;
}
