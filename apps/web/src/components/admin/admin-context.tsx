"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { RouterOutputs } from "@/trpc/types";

export type SystemAdmin = RouterOutputs["admin"]["me"]["admin"];

const AdminContext = createContext<SystemAdmin | null>(null);

export function AdminProvider({ admin, children }: { admin: SystemAdmin | null; children: ReactNode }) {
  return <AdminContext.Provider value={admin}>{children}</AdminContext.Provider>;
}

/** The signed-in system administrator (only inside the signed-in admin console). */
export function useSystemAdmin(): SystemAdmin {
  const admin = useContext(AdminContext);
  if (!admin) throw new Error("useSystemAdmin is only available to signed-in admin pages.");
  return admin;
}
