"use client";

import * as Toast from "@radix-ui/react-toast";
import { X } from "lucide-react";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useHydrated } from "@/hooks/use-search-param";

/** How long a toast stays (paused while hovered or focused). An undo needs time to reach. */
const DURATION_MS = 10_000;

export interface ToastOptions {
  message: string;
  /** E.g. "Undo": a button that runs `onAction` and closes the toast. */
  actionLabel?: string;
  onAction?: () => void;
}

interface ShownToast extends ToastOptions {
  id: number;
}

const ToastContext = createContext<(toast: ToastOptions) => void>(() => {});

/** Show a short message (with an optional action such as Undo) at the bottom of the page. */
export function useToast(): (toast: ToastOptions) => void {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ShownToast[]>([]);
  const show = useCallback((toast: ToastOptions) => {
    // One at a time: a newer change's undo replaces the older one's.
    setToasts([{ ...toast, id: Date.now() + Math.random() }]);
  }, []);
  const remove = (id: number) => setToasts((all) => all.filter((t) => t.id !== id));
  const value = useMemo(() => show, [show]);
  // The viewport sets an inline style; in the prerendered HTML that is a style attribute,
  // which the Content-Security-Policy forbids. Rendered by the page's script instead.
  const hydrated = useHydrated();

  return (
    <ToastContext.Provider value={value}>
      <Toast.Provider duration={DURATION_MS} label="Notification">
        {children}
        {toasts.map((toast) => (
          <Toast.Root
            key={toast.id}
            data-testid="toast"
            onOpenChange={(open) => {
              if (!open) remove(toast.id);
            }}
            className="flex items-center gap-3 rounded-lg bg-zinc-900 px-4 py-3 text-sm text-white shadow-lg data-[state=open]:animate-pop-in"
          >
            <Toast.Description className="min-w-0 flex-1">{toast.message}</Toast.Description>
            {toast.actionLabel && toast.onAction ? (
              <Toast.Action asChild altText={`${toast.actionLabel}: ${toast.message}`}>
                <button
                  type="button"
                  data-testid="toast-action"
                  onClick={toast.onAction}
                  className="rounded-md px-2 py-1 font-medium text-white underline underline-offset-2 hover:bg-white/10"
                >
                  {toast.actionLabel}
                </button>
              </Toast.Action>
            ) : null}
            <Toast.Close aria-label="Dismiss" className="rounded-md p-1 text-zinc-300 hover:bg-white/10 hover:text-white">
              <X aria-hidden="true" className="size-4" />
            </Toast.Close>
          </Toast.Root>
        ))}
        {hydrated ? (
          <Toast.Viewport className="fixed bottom-4 left-1/2 z-[60] flex w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 flex-col gap-2 outline-none" />
        ) : null}
      </Toast.Provider>
    </ToastContext.Provider>
  );
}
