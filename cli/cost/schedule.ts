/**
 * How many recovery points a backup rule keeps: how often its AWS cron expression fires, on average,
 * and how many of its recovery points sit in warm and in cold storage once its lifecycle has run a
 * full course. Pure functions; the cron grammar is EventBridge's, which AWS Backup uses (EventBridge
 * User Guide, "Cron expressions"; AWS Backup API Reference, BackupRule ScheduleExpression).
 */
import { COLD_STORAGE_MINIMUM_DAYS } from "./prices";

/** The average month: 365.2425 days / 12 (the Gregorian year). */
export const DAYS_PER_MONTH = 365.2425 / 12;
/** How far a rule that deletes nothing is followed: its recovery points after a year. */
export const GROWING_HORIZON_DAYS = 365;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

// 28 years from a leap year: every weekday falls on every date equally often (no century year in it).
const FIRST_YEAR = 2028;
const YEARS = 28;

function value(text: string, names?: readonly string[]): number {
    const i = names?.indexOf(text.toUpperCase()) ?? -1;
    return i >= 0 ? i + 1 : Number(text);
}

const expanded = new Map<string, Set<number>>();

/** The values of a cron field (`*`, lists, ranges, steps) between min and max. */
function expand(field: string, min: number, max: number, names?: readonly string[]): Set<number> {
    const key = `${field}|${min}|${max}`;
    const known = expanded.get(key);
    if (known) return known;
    const out = new Set<number>();
    for (const item of field.split(",")) {
        const [base, step] = item.split("/");
        const [from, to] =
            base === "*"
                ? [min, max]
                : base.includes("-")
                  ? base.split("-")
                  : [base, step ? String(max) : base];
        const start = typeof from === "number" ? from : value(from, names);
        const end = typeof to === "number" ? to : value(to, names);
        const by = Number(step ?? 1);
        if (!Number.isInteger(by) || by < 1) throw new Error(`bad step ${step}`);
        for (let v = start; v <= end; v += by) out.add(v);
    }
    expanded.set(key, out);
    return out;
}

/** Whether a day-of-month field (`?`, `L`, `LW`, `15W`, lists) matches a date. */
function dayOfMonthMatches(field: string, date: Date, lastDay: number): boolean {
    const day = date.getUTCDate();
    if (field === "L") return day === lastDay;
    const weekday = /^(\d{1,2}|L)W$/.exec(field);
    if (weekday) {
        // The weekday nearest the given day, within the month.
        const target = weekday[1] === "L" ? lastDay : Math.min(Number(weekday[1]), lastDay);
        const dow = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), target)).getUTCDay();
        let nearest = target;
        if (dow === 6) nearest = target === 1 ? 3 : target - 1;
        if (dow === 0) nearest = target === lastDay ? target - 2 : target + 1;
        return day === nearest;
    }
    return expand(field, 1, 31).has(day);
}

/** Whether a day-of-week field (`MON-FRI`, `6#3`, `FRIL`, lists; 1 = Sunday) matches a date. */
function dayOfWeekMatches(field: string, date: Date, lastDay: number): boolean {
    const dow = date.getUTCDay() + 1;
    const day = date.getUTCDate();
    const nth = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(field);
    if (nth) return dow === value(nth[1], DAYS) && Math.ceil(day / 7) === Number(nth[2]);
    if (field === "L") return dow === 7;
    const last = /^([A-Za-z]{3}|\d)L$/.exec(field);
    if (last) return dow === value(last[1], DAYS) && day + 7 > lastDay;
    return expand(field, 1, 7, DAYS).has(dow);
}

/**
 * How many times a day an AWS cron expression fires, on average over 28 years; undefined when the
 * expression is not `cron(...)` with six fields (a `rate(...)` expression is read too). Time zones
 * do not change the count.
 */
export function runsPerDay(expression: string): number | undefined {
    const rate = /^rate\((\d+)\s+(minutes?|hours?|days?)\)$/.exec(expression.trim());
    if (rate) {
        const n = Number(rate[1]);
        return n > 0 ? { m: 1440, h: 24, d: 1 }[rate[2][0] as "m" | "h" | "d"] / n : undefined;
    }
    const match = /^cron\((.*)\)$/.exec(expression.trim());
    const parts = match?.[1].trim().split(/\s+/);
    if (!parts || parts.length !== 6) return undefined;
    const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts;
    try {
        const perDay = expand(minutes, 0, 59).size * expand(hours, 0, 23).size;
        const months = expand(month, 1, 12, MONTHS);
        const years = expand(year, 1970, 2199);
        let days = 0;
        let runDays = 0;
        for (let y = FIRST_YEAR; y < FIRST_YEAR + YEARS; y++) {
            for (let m = 0; m < 12; m++) {
                const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
                for (let d = 1; d <= lastDay; d++) {
                    days++;
                    if (!months.has(m + 1) || (year !== "*" && !years.has(y))) continue;
                    const date = new Date(Date.UTC(y, m, d));
                    const matches =
                        dayOfMonth === "?"
                            ? dayOfWeekMatches(dayOfWeek, date, lastDay)
                            : dayOfMonthMatches(dayOfMonth, date, lastDay);
                    if (matches) runDays++;
                }
            }
        }
        const result = (runDays * perDay) / days;
        return Number.isFinite(result) ? result : undefined;
    } catch {
        return undefined;
    }
}

/** A rule's lifecycle, as AWS Backup takes it: days after creation. */
export interface Lifecycle {
    readonly coldStorageAfter?: number;
    readonly deleteAfter?: number;
}

export interface Retention {
    /** Recovery points in warm and cold storage once the lifecycle has run its course. */
    readonly warm: number;
    readonly cold: number;
    /** Nothing is ever deleted: the counts are those after {@link GROWING_HORIZON_DAYS} days. */
    readonly growing: boolean;
}

/**
 * The recovery points a rule keeps in the steady state: each spends `coldStorageAfter` days warm (or
 * all its life, without cold storage), then the rest of its `deleteAfter` days cold, billed for at
 * least 90 days there. A point made `perDay` times a day and kept `n` days means `perDay × n` points.
 */
export function steadyState(perDay: number, lifecycle: Lifecycle = {}): Retention {
    const { coldStorageAfter: cold, deleteAfter: del } = lifecycle;
    const growing = del === undefined;
    const life = del ?? GROWING_HORIZON_DAYS;
    const warmDays = cold === undefined ? life : Math.min(cold, life);
    const coldDays =
        cold === undefined || cold >= life
            ? 0
            : growing
              ? life - cold
              : Math.max(life - cold, COLD_STORAGE_MINIMUM_DAYS);
    return { warm: perDay * warmDays, cold: perDay * coldDays, growing };
}
