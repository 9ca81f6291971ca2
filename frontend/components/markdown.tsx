"use client";

import Link from "next/link";
import { memo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { cn } from "@/lib/cn";
import { remarkTicketLinks } from "@/lib/remark-ticket-links";
import { classifyHref, ticketNumberOfHref } from "@/lib/urls";
import { TicketQuickView } from "./ticket-quick-view";

/** Keep only http(s), mailto and same-origin paths; anything else loses its href. */
function urlTransform(url: string): string {
  return classifyHref(url) ? url : "";
}

const components: Components = {
  a({ href, children, title }) {
    const kind = classifyHref(href);
    if (kind === "internal" && href) {
      const link = (
        <Link href={href} title={title}>
          {children}
        </Link>
      );
      const ticket = ticketNumberOfHref(href);
      return ticket === null ? link : <TicketQuickView number={ticket}>{link}</TicketQuickView>;
    }
    if (kind === "external" && href) {
      return (
        <a href={href} title={title} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      );
    }
    return <span>{children}</span>;
  },
  // No remote images in messages (tracking pixels, layout shifts): show the alt text.
  img({ alt }) {
    return alt ? <span className="text-zinc-500">[{alt}]</span> : null;
  },
};

const remarkPlugins = [remarkGfm, remarkTicketLinks];

/** Markdown with no raw HTML and safe links only. */
export const Markdown = memo(function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={cn("markdown", className)}>
      <ReactMarkdown skipHtml remarkPlugins={remarkPlugins} urlTransform={urlTransform} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
