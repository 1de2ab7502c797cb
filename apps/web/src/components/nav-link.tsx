"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";
import { Icon, type IconName } from "./icons";

export interface NavItem {
  href: string;
  label: string;
  icon: IconName;
}

/** A sidebar link; `aria-current="page"` on the section the user is in (also for its sub-pages). */
export function NavLink({ item, exact = false }: { item: NavItem; exact?: boolean }) {
  const pathname = usePathname();
  const home = item.href.endsWith("/") ? item.href.slice(0, -1) : item.href;
  const active = exact ? pathname === item.href || pathname === home : pathname === home || pathname.startsWith(`${home}/`);
  return (
    <Link
      href={item.href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors",
        active ? "bg-brand-50 text-brand-700" : "text-gray-700 hover:bg-gray-100 hover:text-gray-900",
      )}
    >
      <Icon name={item.icon} className={cn("size-4 shrink-0", active ? "text-brand-600" : "text-gray-400")} />
      {item.label}
    </Link>
  );
}
