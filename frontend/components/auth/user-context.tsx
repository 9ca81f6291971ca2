"use client";

import { createContext, useContext } from "react";
import type { User } from "@/lib/api-types";

export const UserContext = createContext<User | null>(null);

/** The signed-in user; only valid under the dashboard layout. */
export function useUser(): User {
  const user = useContext(UserContext);
  if (!user) throw new Error("useUser() outside the signed-in area");
  return user;
}
