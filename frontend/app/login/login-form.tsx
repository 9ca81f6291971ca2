"use client";

import { AlertCircle } from "lucide-react";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ApiError, errorMessage } from "@/lib/api";
import { cn } from "@/lib/cn";
import { meQuery, useSignIn } from "@/lib/queries/users";
import { safeNextPath } from "@/lib/urls";

const INPUT =
  "block h-10 w-full rounded-lg border-0 bg-white px-3 text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:ring-2 focus:ring-accent-500";

function loginErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return errorMessage(error);
  if (error.code === "invalid_credentials") return error.message || "Incorrect email or password.";
  if (error.code === "rate_limited") {
    return error.retryAfter
      ? `Too many attempts. Try again in ${error.retryAfter} seconds.`
      : "Too many attempts. Try again in a moment.";
  }
  return error.message;
}

const noSubscription = () => () => undefined;
const isClient = () => true;
const isServer = () => false;

/** Where to go after signing in (read when needed: the page itself is static). */
function nextPath(): string {
  return safeNextPath(new URLSearchParams(window.location.search).get("next"), window.location.origin);
}

export function LoginForm() {
  const router = useRouter();
  // Uncontrolled inputs: whatever is typed or autofilled before hydration stays in the DOM
  // and is read at submit. The button waits for hydration, so an early Enter cannot make
  // the browser submit the form natively.
  const hydrated = useSyncExternalStore(noSubscription, isClient, isServer);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const emailRef = useRef<HTMLInputElement>(null);

  const signIn = useSignIn();

  // Already signed in? Go straight on (asked afresh: this tab may have signed out since).
  const signedIn = useQuery({ ...meQuery(), refetchOnMount: "always" });
  const alreadyIn = signedIn.isSuccess && signedIn.isFetchedAfterMount;
  useEffect(() => {
    if (alreadyIn) router.replace(nextPath());
  }, [alreadyIn, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      return;
    }
    setSubmitting(true);
    setError(null);
    setFieldErrors({});
    try {
      await signIn.mutateAsync({ email: email.trim(), password });
      router.replace(nextPath());
    } catch (e) {
      setError(loginErrorMessage(e));
      if (e instanceof ApiError) setFieldErrors(e.fieldErrors());
      setSubmitting(false);
      emailRef.current?.focus();
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      method="post"
      className="mt-6 space-y-4"
      noValidate
      data-testid="login-form"
    >
      {error ? (
        <div
          role="alert"
          data-testid="login-error"
          className="flex items-start gap-2 rounded-lg bg-red-50 px-3 py-2.5 text-sm text-red-700 ring-1 ring-red-600/10"
        >
          <AlertCircle aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>{error}</span>
        </div>
      ) : null}
      <div>
        <label htmlFor="email" className="mb-1.5 block text-sm font-medium text-zinc-700">
          Email
        </label>
        <input
          ref={emailRef}
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          aria-invalid={fieldErrors.email ? true : undefined}
          aria-describedby={fieldErrors.email ? "email-error" : undefined}
          className={cn(INPUT, fieldErrors.email && "ring-red-400")}
          placeholder="you@company.com"
        />
        {fieldErrors.email ? (
          <p id="email-error" className="mt-1 text-xs text-red-600">
            {fieldErrors.email}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor="password" className="mb-1.5 block text-sm font-medium text-zinc-700">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={fieldErrors.password ? true : undefined}
          aria-describedby={fieldErrors.password ? "password-error" : undefined}
          className={cn(INPUT, fieldErrors.password && "ring-red-400")}
        />
        {fieldErrors.password ? (
          <p id="password-error" className="mt-1 text-xs text-red-600">
            {fieldErrors.password}
          </p>
        ) : null}
      </div>
      <Button
        type="submit"
        variant="primary"
        className="w-full"
        disabled={!hydrated || submitting}
        data-testid="login-submit"
      >
        {submitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
