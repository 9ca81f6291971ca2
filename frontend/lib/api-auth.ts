/** Signing in and out, who is signed in, and the desk's people. */

import { call, rememberCsrfToken } from "./api-client";
import type { AuthState, User } from "./api-types";

export async function login(email: string, password: string): Promise<AuthState> {
  const res = await call("post", "/api/auth/login", { body: { email, password }, redirectOn401: false });
  rememberCsrfToken(res.csrf_token);
  return res;
}

export async function logout(): Promise<void> {
  try {
    await call("post", "/api/auth/logout", { redirectOn401: false });
  } finally {
    rememberCsrfToken(null);
  }
}

export async function me(options: { redirectOn401?: boolean; signal?: AbortSignal } = {}): Promise<User> {
  const res = await call("get", "/api/auth/me", options);
  rememberCsrfToken(res.csrf_token);
  return res.user;
}

/** The desk's active people, for the assignee picker. */
export function listUsers(signal?: AbortSignal): Promise<User[]> {
  return call("get", "/api/users", { signal });
}
