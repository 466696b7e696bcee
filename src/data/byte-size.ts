/**
 * Sizes in bytes as messages show them, in one convention: binary multiples under their IEC names
 * (1 MiB = 2^20 bytes), as the size limits are set (16 MiB a document, 64 MiB a model's JSON, 4 GiB its
 * weights), so that a limit reads as the round number it is.
 */
const KiB = 2 ** 10;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/** `n` bytes to 0.1 of the largest unit it reaches, a whole number without ".0": 300 bytes, 70.3 KiB, 16 MiB, 4 GiB. */
export function byteSize(n: number): string {
  const [unit, size] = n >= GiB ? ['GiB', GiB] : n >= MiB ? ['MiB', MiB] : n >= KiB ? ['KiB', KiB] : ['bytes', 1];
  return `${+(n / size).toFixed(1)} ${unit}`;
}
