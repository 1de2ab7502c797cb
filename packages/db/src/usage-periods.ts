/** The usage counter's period of `date`: its calendar month in UTC, "YYYY-MM". */
export function utcPeriod(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The calendar month (UTC) containing `now`, as [from, to). */
export function utcMonth(now: Date): { from: Date; to: Date } {
  return {
    from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}
