// EAN-13 for shelf labels (价签): the check digit and the 95 modules of the
// symbol, drawn as SVG bars by <Ean13Barcode>. UPC-A is EAN-13 with a
// leading 0 (the catalog stores it that way). Pure functions, no
// dependencies; the encoding tables are GS1's.

const L = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011'];
const G = ['0100111', '0110011', '0011011', '0100001', '0011101', '0111001', '0000101', '0010001', '0001001', '0010111'];
const R = ['1110010', '1100110', '1101100', '1000010', '1011100', '1001110', '1010000', '1000100', '1001000', '1110100'];
// The first digit is not drawn: it picks L or G for each digit of the left half.
const PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];

/** ean13CheckDigit of the first 12 digits: weights 1,3,1,3… from the left, then the complement to 10. */
export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`ean13: ${JSON.stringify(first12)} is not 12 digits`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** isValidEan13: 13 digits whose last is the check digit of the others. */
export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

/** toEan13: a 13-digit EAN as is, a 12-digit UPC-A with its leading 0; anything else (EAN-8, in-store codes) null. */
export function toEan13(code: string): string | null {
  if (isValidEan13(code)) return code;
  if (/^\d{12}$/.test(code) && isValidEan13(`0${code}`)) return `0${code}`;
  return null;
}

/**
 * ean13Modules: the symbol as 95 '0'/'1' modules — start guard 101, six
 * left digits (L/G by the first digit's parity), centre 01010, six right
 * digits (R), end guard 101. Throws on a code that is not a valid EAN-13.
 */
export function ean13Modules(code: string): string {
  if (!isValidEan13(code)) throw new RangeError(`ean13: ${JSON.stringify(code)} is not a valid EAN-13`);
  const digits = [...code].map(Number);
  const parity = PARITY[digits[0] as number] as string;
  let out = '101';
  for (let i = 1; i <= 6; i++) out += (parity[i - 1] === 'L' ? L : G)[digits[i] as number];
  out += '01010';
  for (let i = 7; i <= 12; i++) out += R[digits[i] as number];
  return `${out}101`;
}

export interface Bar {
  /** x of the bar's left edge, in modules */
  x: number;
  /** width in modules */
  width: number;
  /** guard bars run longer, under the digits */
  guard: boolean;
}

/** ean13Bars: the dark runs of the modules, merged, with the guards marked. */
export function ean13Bars(code: string): Bar[] {
  const modules = ean13Modules(code);
  const isGuard = (i: number) => i < 3 || (i >= 45 && i < 50) || i >= 92;
  const bars: Bar[] = [];
  for (let i = 0; i < modules.length; i++) {
    if (modules[i] !== '1') continue;
    const last = bars[bars.length - 1];
    if (last && last.x + last.width === i && last.guard === isGuard(i)) last.width += 1;
    else bars.push({ x: i, width: 1, guard: isGuard(i) });
  }
  return bars;
}
