"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useQuery } from "@tanstack/react-query";
import { ApiError, errorMessage } from "@/lib/api";
import type { TokenTotals, UsageReport } from "@/lib/api-types";
import { usageQuery } from "@/lib/queries/usage";
import { startOfPeriod } from "../lib/period";

const PERIODS = [7, 30, 90] as const;
const numbers = new Intl.NumberFormat();

/** Administrators' view of the tokens the AI model spent: totals, per person, per day, per model. */
export function UsageView() {
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const start = startOfPeriod(days);
  const { data, error, isPending, refetch } = useQuery(usageQuery(start));

  return (
    <div className="min-h-0 flex-1 overflow-y-auto">
      <div className="mx-auto w-full max-w-5xl px-4 py-6 sm:px-6">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h1 className="text-lg font-semibold text-zinc-900">Token use</h1>
            <p className="mt-1 text-sm text-zinc-500">
              Tokens the AI model spent, as its provider reported them. Days are UTC dates.
            </p>
          </div>
          <div role="group" aria-label="Period" className="flex gap-1">
            {PERIODS.map((n) => (
              <Button
                key={n}
                variant={n === days ? "primary" : "secondary"}
                aria-pressed={n === days}
                onClick={() => setDays(n)}
              >
                {n} days
              </Button>
            ))}
          </div>
        </div>
        {error ? (
          <div role="alert" className="mt-6 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
            {error instanceof ApiError && error.status === 403
              ? "Only administrators can see token use."
              : errorMessage(error)}{" "}
            <button type="button" className="font-medium underline" onClick={() => void refetch()}>
              Try again
            </button>
          </div>
        ) : isPending || !data ? (
          <Skeleton className="mt-6 h-48 w-full rounded-lg" />
        ) : (
          <Report report={data} />
        )}
      </div>
    </div>
  );
}

function Report({ report }: { report: UsageReport }) {
  return (
    <div data-testid="usage-report" className="mt-6 flex flex-col gap-8">
      <dl className="grid grid-cols-3 gap-3">
        <Figure label="Input tokens" value={report.total.input_tokens} />
        <Figure label="Output tokens" value={report.total.output_tokens} />
        <Figure label="Replies" value={report.total.replies} />
      </dl>
      <Table
        caption={`Per person, ${report.start} to ${report.end}`}
        first="Person"
        rows={report.by_user.map((u) => ({ key: u.user.id, name: `${u.user.name} (${u.user.email})`, totals: u }))}
      />
      <Table
        caption="Per day"
        first="Day"
        rows={[...report.by_day].reverse().map((d) => ({ key: d.day, name: d.day, totals: d }))}
      />
      <Table
        caption="Per model"
        first="Model"
        rows={report.by_model.map((m) => ({ key: `${m.provider}/${m.model}`, name: `${m.model} (${m.provider})`, totals: m }))}
      />
    </div>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg border border-zinc-200 p-4">
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-1 text-xl font-semibold text-zinc-900 tabular-nums">{numbers.format(value)}</dd>
    </div>
  );
}

interface Row {
  key: string;
  name: string;
  totals: TokenTotals;
}

function Table({ caption, first, rows }: { caption: string; first: string; rows: Row[] }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="pb-2 text-left text-sm font-semibold text-zinc-900">{caption}</caption>
      <thead className="border-b border-zinc-200 text-xs text-zinc-500">
        <tr>
          <th scope="col" className="py-2 font-medium">{first}</th>
          <th scope="col" className="py-2 text-right font-medium">Input</th>
          <th scope="col" className="py-2 text-right font-medium">Output</th>
          <th scope="col" className="py-2 text-right font-medium">Replies</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {rows.length === 0 ? (
          <tr>
            <td colSpan={4} className="py-3 text-zinc-500">No replies in this period.</td>
          </tr>
        ) : (
          rows.map(({ key, name, totals }) => (
            <tr key={key}>
              <th scope="row" className="py-2 font-normal text-zinc-900">{name}</th>
              <td className="py-2 text-right tabular-nums">{numbers.format(totals.input_tokens)}</td>
              <td className="py-2 text-right tabular-nums">{numbers.format(totals.output_tokens)}</td>
              <td className="py-2 text-right tabular-nums">{numbers.format(totals.replies)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
