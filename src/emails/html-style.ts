// The palette, font stack and paragraph style of the HTML email, shared by its content
// blocks (html-blocks.tsx) and its frame (layout.tsx); inline, because mail apps ignore most of CSS.
export const color = {
  page: '#f3f2ee',
  card: '#ffffff',
  border: '#e3dfd6',
  rule: '#ebe8e1',
  text: '#1d2320',
  muted: '#5c635e',
  accent: '#1f4d3a',
  tint: '#edf3ef',
  quote: '#f7f6f2',
  quoteRule: '#d5d0c4',
};
export const font = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export const p = (size: number, line: number, c = color.text) => `margin:0;font-family:${font};font-size:${size}px;line-height:${line}px;color:${c}`;
