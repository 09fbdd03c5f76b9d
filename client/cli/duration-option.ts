import { ValidationError } from '../../schema/validation.ts';

// Weeks, days, hours, minutes, seconds; years and months have no fixed length, so they are refused.
const isoDuration = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const unitMs = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000];

/** Milliseconds from a whole number of milliseconds or an ISO 8601 duration such as PT10M or P1DT2H. */
export function parseDurationOption(text: string, option: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const match = isoDuration.exec(text);
  if (!match || text === 'P') {
    throw new ValidationError(`${option} value`, [
      `"${text}" is neither milliseconds nor an ISO 8601 duration in weeks, days, hours, minutes and seconds (e.g. PT10M, P1DT2H)`,
    ]);
  }
  return Math.round(unitMs.reduce((total, unit, i) => total + Number(match[i + 1] ?? 0) * unit, 0));
}
