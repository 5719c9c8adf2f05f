/**
 * Prose lines (notes, legends, answers) wrapped at word boundaries to the terminal's width, so a narrow
 * terminal does not break them mid-word. Tables are fitted by their renderers and left alone: a line with
 * box-drawing characters or a markdown table row is never touched, nor is a line without a space to break at.
 * Colour escapes take no width. Continuation lines keep the line's indentation plus two spaces.
 */
const ANSI = /\x1b\[[0-9;]*m/g;
// box drawing (U+2500..U+257F) or a markdown table row; escaped: the bundle stays ASCII
const TABLE = /[\u2500-\u257f]|^\s*\|/;

const visible = (s: string): number => s.replace(ANSI, "").length;

function wrapLine(line: string, width: number): string {
  if (visible(line) <= width || TABLE.test(line)) return line;
  const indent = /^\s*/.exec(line.replace(ANSI, ""))![0];
  const words = line.trimStart().split(" ");
  const lines: string[] = [];
  let cur = indent;
  let curWidth = indent.length;
  const hanging = `${indent}  `;
  for (const w of words) {
    const ww = visible(w);
    const start = curWidth === (lines.length ? hanging.length : indent.length);
    if (!start && curWidth + 1 + ww > width) {
      lines.push(cur);
      cur = hanging + w;
      curWidth = hanging.length + ww;
    } else {
      cur += start ? w : ` ${w}`;
      curWidth += start ? ww : 1 + ww;
    }
  }
  lines.push(cur);
  return lines.join("\n");
}

/** `text` with every prose line longer than `width` wrapped; unchanged without a width. */
export function wrapProse(text: string, width: number | undefined): string {
  if (width === undefined || width < 20) return text;
  return text
    .split("\n")
    .map((l) => wrapLine(l, width))
    .join("\n");
}
