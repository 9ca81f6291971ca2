"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Spinner } from "./ui/spinner";

/** Client-side redirect (a static export has no server redirects). */
export function Redirect({ to }: { to: string }) {
  const router = useRouter();
  useEffect(() => {
    router.replace(to);
  }, [router, to]);
  return (
    <div className="grid min-h-[50dvh] place-items-center">
      <Spinner label="Loading" />
    </div>
  );
}
