/** Dollar amounts: rounded to cents in reports, written with cents and thousands separators. */

/** Rounds to the cent. */
export const cents = (amount: number): number => Math.round(amount * 100) / 100;

/** `$1,234.50`. */
export function usd(amount: number): string {
    return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
