import { Fragment } from "react";

/**
 * A search snippet: plain text where matches are wrapped in `<mark>`…`</mark>`.
 * Rendered as text nodes and <mark> elements, never as HTML.
 */
export function Snippet({ text, className }: { text: string; className?: string }) {
  const parts = text.split(/(<mark>[\s\S]*?<\/mark>)/g);
  return (
    <span className={className}>
      {parts.map((part, i) =>
        part.startsWith("<mark>") && part.endsWith("</mark>") ? (
          <mark key={i} className="rounded-sm bg-amber-100 px-0.5 text-inherit">
            {part.slice(6, -7)}
          </mark>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </span>
  );
}
