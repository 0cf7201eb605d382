// Draws the demo catalog's product pictures locally (no downloads): a simple, calm
// illustration of the object on a studio backdrop, in the product's colour. View 0 is
// the front shot, view 1 a close-up, view 2 the object on a shelf.
export type ArtKind =
  | 'lamp' | 'pendant' | 'candle' | 'mug' | 'bowl' | 'plate' | 'vase' | 'cushion'
  | 'throw' | 'towel' | 'basket' | 'frame' | 'clock' | 'planter' | 'jar' | 'board' | 'teapot';

const shade = (hex: string, amount: number) => {
  const n = parseInt(hex.slice(1), 16);
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v + amount * 255)));
  const r = c(n >> 16), g = c((n >> 8) & 255), b = c(n & 255);
  return `#${((r << 16) | (g << 8) | b).toString(16).padStart(6, '0')}`;
};

function object(kind: ArtKind, col: string): string {
  const dark = shade(col, -0.18), light = shade(col, 0.15);
  switch (kind) {
    case 'lamp':
      return `<path d="M380 300 L620 300 L680 470 L320 470 Z" fill="${col}"/><rect x="490" y="470" width="20" height="230" fill="#6b5b4b"/><ellipse cx="500" cy="710" rx="120" ry="26" fill="${dark}"/>`;
    case 'pendant':
      return `<line x1="500" y1="120" x2="500" y2="360" stroke="#333" stroke-width="6"/><path d="M330 560 Q500 300 670 560 Z" fill="${col}"/><ellipse cx="500" cy="560" rx="170" ry="24" fill="${dark}"/><circle cx="500" cy="585" r="30" fill="#fff6d5"/>`;
    case 'candle':
      return `<rect x="400" y="380" width="200" height="320" rx="18" fill="${col}"/><rect x="400" y="380" width="200" height="40" rx="18" fill="${light}"/><line x1="500" y1="380" x2="500" y2="340" stroke="#333" stroke-width="6"/><path d="M500 270 Q530 320 500 345 Q470 320 500 270 Z" fill="#f2b33d"/>`;
    case 'mug':
      return `<rect x="360" y="380" width="240" height="300" rx="30" fill="${col}"/><path d="M600 450 q90 0 90 80 q0 80 -90 80" fill="none" stroke="${dark}" stroke-width="34"/><ellipse cx="480" cy="385" rx="120" ry="22" fill="${dark}"/>`;
    case 'bowl':
      return `<path d="M280 470 Q500 780 720 470 Z" fill="${col}"/><ellipse cx="500" cy="470" rx="220" ry="40" fill="${dark}"/><ellipse cx="500" cy="690" rx="90" ry="14" fill="${dark}"/>`;
    case 'plate':
      return `<ellipse cx="500" cy="540" rx="300" ry="120" fill="${dark}"/><ellipse cx="500" cy="530" rx="290" ry="110" fill="${col}"/><ellipse cx="500" cy="530" rx="190" ry="70" fill="${light}"/>`;
    case 'vase':
      return `<path d="M440 260 L560 260 L560 320 Q680 420 640 600 Q610 700 500 710 Q390 700 360 600 Q320 420 440 320 Z" fill="${col}"/><ellipse cx="500" cy="262" rx="60" ry="12" fill="${dark}"/>`;
    case 'cushion':
      return `<path d="M290 330 Q500 290 710 330 Q750 500 710 670 Q500 710 290 670 Q250 500 290 330 Z" fill="${col}"/><path d="M330 380 Q500 350 670 380" stroke="${light}" stroke-width="10" fill="none"/><circle cx="500" cy="500" r="14" fill="${dark}"/>`;
    case 'throw':
      return `<rect x="270" y="330" width="460" height="340" rx="24" fill="${col}"/>${[0, 1, 2, 3].map((i) => `<rect x="270" y="${370 + i * 80}" width="460" height="18" fill="${light}"/>`).join('')}<rect x="270" y="650" width="460" height="20" fill="${dark}"/>`;
    case 'towel':
      return `<rect x="330" y="300" width="340" height="420" rx="10" fill="${col}"/><rect x="330" y="620" width="340" height="30" fill="${light}"/><rect x="330" y="660" width="340" height="12" fill="${dark}"/>`;
    case 'basket':
      return `<path d="M300 420 L700 420 L650 700 L350 700 Z" fill="${col}"/>${[0, 1, 2, 3, 4].map((i) => `<line x1="${330 + i * 85}" y1="420" x2="${360 + i * 72}" y2="700" stroke="${dark}" stroke-width="8"/>`).join('')}<path d="M360 420 Q500 260 640 420" fill="none" stroke="${dark}" stroke-width="18"/>`;
    case 'frame':
      return `<rect x="330" y="270" width="340" height="440" fill="${col}"/><rect x="370" y="310" width="260" height="360" fill="#f7f4ee"/><path d="M390 640 L470 520 L530 590 L570 540 L620 640 Z" fill="${light}"/><circle cx="580" cy="380" r="26" fill="${light}"/>`;
    case 'clock':
      return `<circle cx="500" cy="500" r="230" fill="${col}"/><circle cx="500" cy="500" r="200" fill="#fbfaf7"/><line x1="500" y1="500" x2="500" y2="360" stroke="#333" stroke-width="12" stroke-linecap="round"/><line x1="500" y1="500" x2="600" y2="540" stroke="#333" stroke-width="10" stroke-linecap="round"/><circle cx="500" cy="500" r="14" fill="${dark}"/>`;
    case 'planter':
      return `<path d="M380 500 L620 500 L590 710 L410 710 Z" fill="${col}"/><rect x="370" y="480" width="260" height="34" rx="6" fill="${dark}"/><path d="M500 480 Q420 360 450 260 Q510 340 500 480 Q560 330 640 300 Q610 420 500 480" fill="#5f8a5b"/>`;
    case 'jar':
      return `<rect x="390" y="360" width="220" height="340" rx="40" fill="${col}" opacity="0.85"/><rect x="400" y="300" width="200" height="70" rx="10" fill="${dark}"/><rect x="420" y="480" width="160" height="120" rx="8" fill="${light}"/>`;
    case 'board':
      return `<rect x="300" y="330" width="400" height="340" rx="40" fill="${col}"/><circle cx="640" cy="380" r="22" fill="#f4efe7"/>${[0, 1, 2].map((i) => `<line x1="330" y1="${450 + i * 60}" x2="670" y2="${440 + i * 60}" stroke="${dark}" stroke-width="4" opacity="0.5"/>`).join('')}`;
    case 'teapot':
      return `<ellipse cx="500" cy="560" rx="190" ry="150" fill="${col}"/><path d="M310 520 Q230 470 240 400" stroke="${dark}" stroke-width="26" fill="none"/><path d="M690 500 q90 20 70 110 q-20 60 -70 40" stroke="${dark}" stroke-width="26" fill="none"/><ellipse cx="500" cy="420" rx="90" ry="24" fill="${dark}"/><circle cx="500" cy="385" r="22" fill="${dark}"/>`;
  }
}

/** SVG source (1000×1000) for one view of a product. */
export function productArt(kind: ArtKind, colour: string, backdrop: string, view: 0 | 1 | 2): string {
  const bgTop = shade(backdrop, 0.04), bgBottom = shade(backdrop, -0.06);
  const art = object(kind, colour);
  const placed =
    view === 0
      ? `<ellipse cx="500" cy="725" rx="260" ry="30" fill="#000" opacity="0.08"/>${art}`
      : view === 1
        ? `<g transform="translate(-400 -420) scale(1.8)">${art}</g>`
        : `<rect x="0" y="720" width="1000" height="40" fill="${shade(backdrop, -0.25)}"/><rect x="0" y="760" width="1000" height="240" fill="${shade(backdrop, -0.12)}"/><g transform="translate(120 80) scale(0.76)">${art}</g><rect x="740" y="560" width="60" height="160" rx="8" fill="${shade(colour, 0.3)}"/><rect x="810" y="600" width="50" height="120" rx="8" fill="${shade(backdrop, -0.3)}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000" viewBox="0 0 1000 1000">
<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${bgTop}"/><stop offset="1" stop-color="${bgBottom}"/></linearGradient></defs>
<rect width="1000" height="1000" fill="url(#bg)"/>${placed}</svg>`;
}
