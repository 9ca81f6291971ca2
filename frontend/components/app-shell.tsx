"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Gauge, LogOut, MessageSquare, Ticket, UsersRound } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useHydrated } from "@/hooks/use-search-param";
import type { User } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { forgetUser, lastChat } from "@/lib/drafts";
import { initials } from "@/lib/format";
import { useSignOut } from "@/lib/queries/users";
import { routes } from "@/lib/urls";
import { KeyboardShortcuts } from "./keyboard-shortcuts";
import { Logo } from "./logo";

const NAV = [
  { href: routes.tickets(), match: "/dashboard/tickets", label: "Tickets", icon: Ticket, testId: "nav-tickets" },
  { href: routes.contacts(), match: "/dashboard/contacts", label: "Contacts", icon: UsersRound, testId: "nav-contacts" },
  { href: routes.chat(), match: "/dashboard/chat", label: "Chat", icon: MessageSquare, testId: "nav-chat" },
] as const;
/** Shown to administrators only (the API answers 403 to anyone else). */
const ADMIN_NAV = [
  { href: routes.usage(), match: "/dashboard/usage", label: "Usage", icon: Gauge, testId: "nav-usage" },
] as const;

/** The Chat link goes back to the chat the agent was in (this browser's storage, read once
 * the page runs: the static HTML links to a new chat). */
function useChatHref(userId: string | undefined): string {
  const hydrated = useHydrated();
  return routes.chat(hydrated && userId ? lastChat(userId) : null);
}

export function AppShell({ user, children }: { user: User | null; children: ReactNode }) {
  const pathname = usePathname() ?? "";
  const chatHref = useChatHref(user?.id);
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main-content"
        data-testid="skip-link"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-zinc-900 focus:shadow-lg focus:ring-2 focus:ring-accent-500"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b border-zinc-200 bg-white/90 px-3 backdrop-blur sm:gap-6 sm:px-5">
        {/* No prefetch: fetching and reading the other pages' payloads competed with the
            page's own start-up on slow phones; a click still loads them at once. */}
        <Link href={routes.chat()} prefetch={false} className="rounded-md" aria-label="Deskpilot home">
          <Logo className="[&>span:last-child]:hidden sm:[&>span:last-child]:inline" />
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1">
          {[...NAV, ...(user?.role === "admin" ? ADMIN_NAV : [])].map(({ href, match, label, icon: Icon, testId }) => {
            const active = pathname.startsWith(match);
            return (
              <Link
                key={testId}
                href={testId === "nav-chat" ? chatHref : href}
                prefetch={false}
                data-testid={testId}
                title={label}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium transition-colors",
                  active ? "bg-zinc-100 text-zinc-900" : "text-zinc-500 hover:bg-zinc-50 hover:text-zinc-900",
                )}
              >
                <Icon aria-hidden="true" className="size-4" />
                {/* Below sm the bar shows icons only (four or five links fit a phone's width). */}
                <span className="sr-only sm:not-sr-only">{label}</span>
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto">
          {user ? <UserMenu user={user} /> : <UserMenuPlaceholder />}
        </div>
      </header>
      <main id="main-content" tabIndex={-1} className="flex min-h-0 flex-1 flex-col outline-none">
        {children}
      </main>
      {/* Listening from the first render: a key pressed before /api/auth/me answers still counts. */}
      <KeyboardShortcuts chatHref={chatHref} />
    </div>
  );
}

/** Where the user's menu appears once `/api/auth/me` has answered (the same size, no shift). */
function UserMenuPlaceholder() {
  return (
    <div className="flex items-center gap-2 rounded-full py-1 pr-1 pl-1 sm:pr-3" aria-hidden="true">
      <span className="size-7 rounded-full bg-zinc-200" />
      <span className="hidden h-4 w-24 rounded bg-zinc-100 sm:inline-block" />
    </div>
  );
}

function UserMenu({ user }: { user: User }) {
  const { mutate, isPending: signingOut } = useSignOut();

  // Signed out on the server or not, leave with a fresh page load: nothing of this user's
  // data stays in memory (the query cache, a chat's live turn) for whoever signs in next.
  const signOut = () => {
    forgetUser(user.id); // this browser may be someone else's next
    mutate(undefined, { onSettled: () => window.location.replace(routes.login()) });
  };

  return (
    // Not modal and not portalled: a modal menu hides the page from screen readers while
    // its links stay focusable, and content portalled to <body> sits outside any landmark.
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        data-testid="user-menu"
        className="flex items-center gap-2 rounded-full py-1 pr-1 pl-1 text-sm text-zinc-700 hover:bg-zinc-100 sm:pr-3"
      >
        <span className="grid size-7 place-items-center rounded-full bg-zinc-900 text-xs font-semibold text-white">
          {initials(user.name || user.email)}
        </span>
        <span data-testid="current-user" className="hidden max-w-40 truncate font-medium sm:inline">
          {user.name || user.email}
        </span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-56 rounded-lg bg-white p-1 shadow-lg ring-1 ring-zinc-950/10 data-[state=open]:animate-fade-in"
        >
          <div className="px-2.5 py-2">
            <p className="truncate text-sm font-medium text-zinc-900">{user.name}</p>
            <p className="truncate text-xs text-zinc-500">{user.email}</p>
            <p className="mt-1 text-xs text-zinc-500 capitalize">{user.role}</p>
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-100" />
          <DropdownMenu.Item
            data-testid="sign-out"
            disabled={signingOut}
            onSelect={(event) => {
              event.preventDefault();
              signOut();
            }}
            className="flex cursor-pointer items-center gap-2 rounded-md px-2.5 py-2 text-sm text-zinc-700 outline-none data-[highlighted]:bg-zinc-100 data-[highlighted]:text-zinc-900"
          >
            <LogOut aria-hidden="true" className="size-4" />
            {signingOut ? "Signing out…" : "Sign out"}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
