/** The first UTC day of a period of `days` days ending today, as `YYYY-MM-DD`. Pure. */
export function startOfPeriod(days: number, now: Date = new Date()): string {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  return start.toISOString().slice(0, 10);
}
