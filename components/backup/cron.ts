/**
 * AWS cron expressions and time zones as AWS Backup reads them: pure checks, no resources.
 */

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface CronField {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const CRON_FIELDS: readonly CronField[] = [
    { name: "minutes", min: 0, max: 59 },
    { name: "hours", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: MONTHS },
    { name: "day-of-week", min: 1, max: 7, names: DAYS },
    { name: "year", min: 1970, max: 2199 },
];

/**
 * Why an AWS cron expression is invalid, or undefined when it is valid. The grammar is EventBridge's
 * (EventBridge User Guide, "Cron expressions"), which AWS Backup uses (BackupRuleInput
 * ScheduleExpression): six fields; `,` `-` `*` `/` everywhere; `?` only in day-of-month or
 * day-of-week, and exactly one of them; `L` and `W` in day-of-month; `L` and `#` in day-of-week.
 */
export function cronProblem(expression: unknown): string | undefined {
    if (typeof expression !== "string") return "it is not a string";
    const match = /^cron\((.*)\)$/.exec(expression.trim());
    if (!match) return "it must have the form cron(minutes hours day-of-month month day-of-week year)";
    const parts = match[1].trim().split(/\s+/);
    if (parts.length !== 6) {
        return `it has ${parts.length} field${parts.length === 1 ? "" : "s"}; an AWS cron expression has 6: minutes hours day-of-month month day-of-week year`;
    }
    for (let i = 0; i < 6; i++) {
        const found = fieldProblem(parts[i], CRON_FIELDS[i]);
        if (found) return `${CRON_FIELDS[i].name} ${JSON.stringify(parts[i])}: ${found}`;
    }
    const [minutes, , dayOfMonth, , dayOfWeek] = parts;
    if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
        return "exactly one of day-of-month and day-of-week must be `?` (e.g. `cron(0 5 ? * * *)` or `cron(0 5 * * ? *)`)";
    }
    if (!/^\d+$/.test(minutes)) {
        return "minutes must be a single number; AWS Backup runs a rule at most once an hour";
    }
    return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
    const dayField = field.name === "day-of-month" || field.name === "day-of-week";
    if (text === "?") return dayField ? undefined : "`?` is allowed only in day-of-month and day-of-week";
    if (field.name === "day-of-month" && /^(L|LW|\d{1,2}W)$/.test(text)) {
        return text.endsWith("W") && text !== "LW" ? range(Number(text.slice(0, -1)), field) : undefined;
    }
    if (field.name === "day-of-week") {
        const hash = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(text);
        if (hash) return value(hash[1], field) === undefined ? `"${hash[1]}" is not a day` : undefined;
        if (/^([A-Za-z]{3}|\d)?L$/.test(text)) {
            const day = text.slice(0, -1);
            return day === "" || value(day, field) !== undefined ? undefined : `"${day}" is not a day`;
        }
    }
    for (const item of text.split(",")) {
        const [base, step, extra] = item.split("/");
        if (extra !== undefined) return `"${item}" has more than one \`/\``;
        if (step !== undefined && !/^\d+$/.test(step)) return `the step "${step}" must be a whole number`;
        if (base === "*") continue;
        const ends = base.split("-");
        if (ends.length > 2) return `"${base}" is not a value or a range`;
        for (const end of ends) {
            const v = value(end, field);
            if (v === undefined) return `"${end}" is not ${allowedValues(field)}`;
        }
    }
    return undefined;
}

function value(text: string, field: CronField): number | undefined {
    if (/^\d+$/.test(text)) {
        const n = Number(text);
        return n >= field.min && n <= field.max ? n : undefined;
    }
    const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
    return i >= 0 ? i + 1 : undefined;
}

function range(n: number, field: CronField): string | undefined {
    return n >= field.min && n <= field.max ? undefined : `${n} is not ${allowedValues(field)}`;
}

function allowedValues(field: CronField): string {
    const names = field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : "";
    return `a number from ${field.min} to ${field.max}${names}`;
}

/** True for a time zone name the runtime knows (IANA database), such as `Europe/Paris`. */
export function isTimeZone(value: unknown): boolean {
    if (typeof value !== "string" || value.length === 0) return false;
    try {
        new Intl.DateTimeFormat("en", { timeZone: value });
        return true;
    } catch {
        return false;
    }
}
