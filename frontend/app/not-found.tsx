import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { routes } from "@/lib/urls";

export default function NotFound() {
  return (
    <main className="grid min-h-dvh place-items-center px-6">
      <div className="text-center">
        <p className="text-sm font-semibold text-accent-600">404</p>
        <h1 className="mt-2 text-2xl font-semibold text-zinc-900">Page not found</h1>
        <p className="mt-2 text-sm text-zinc-500">The page you were looking for doesn&apos;t exist.</p>
        <Link href={routes.chat()} className={buttonClasses("primary", "md", "mt-6")}>
          Back to Deskpilot
        </Link>
      </div>
    </main>
  );
}
