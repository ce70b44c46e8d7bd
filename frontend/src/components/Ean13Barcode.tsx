import { ean13Bars } from '../lib/ean13';

export interface Ean13BarcodeProps {
  /** A valid 13-digit EAN (see toEan13 for UPC-A). */
  code: string;
  /** Width in CSS units (the symbol scales; 37.29 mm is GS1's nominal size). */
  width?: string;
  height?: string;
}

// Quiet zones of 11 modules left and 7 right, as GS1 asks.
const LEFT = 11;
const RIGHT = 7;
const BAR_HEIGHT = 50;
const GUARD_HEIGHT = 55;

/** Ean13Barcode draws an EAN-13 symbol as SVG bars, with its digits in the human-readable groups (1 · 6 · 6). */
export function Ean13Barcode({ code, width = '37.29mm', height = '16mm' }: Ean13BarcodeProps) {
  const bars = ean13Bars(code);
  const total = LEFT + 95 + RIGHT;
  const digitY = GUARD_HEIGHT + 9;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${total} ${digitY + 1}`}
      width={width}
      height={height}
      role="img"
      aria-label={code}
      data-testid="ean13"
      data-code={code}
      preserveAspectRatio="none"
      shapeRendering="crispEdges"
    >
      <rect x={0} y={0} width={total} height={digitY + 1} fill="#fff" />
      {bars.map((b) => (
        <rect key={b.x} x={LEFT + b.x} y={0} width={b.width} height={b.guard ? GUARD_HEIGHT : BAR_HEIGHT} fill="#000" />
      ))}
      <g fontFamily="monospace" fontSize={9} fill="#000" textAnchor="middle">
        <text x={LEFT - 5} y={digitY}>
          {code[0]}
        </text>
        <text x={LEFT + 3 + 21} y={digitY} textLength={38} lengthAdjust="spacingAndGlyphs">
          {code.slice(1, 7)}
        </text>
        <text x={LEFT + 50 + 21} y={digitY} textLength={38} lengthAdjust="spacingAndGlyphs">
          {code.slice(7)}
        </text>
      </g>
    </svg>
  );
}
