/**
 * Where JSON text first goes wrong, as a line and column (both from 1), for error
 * messages that must not quote the text itself (JSON.parse's message quotes a snippet
 * of it, which for a mistaken path can be someone's secrets). Call it only on text
 * that JSON.parse refused; for valid JSON it points just past the end.
 */
export function jsonErrorPosition(text: string): { line: number; column: number } {
  const offset = firstErrorOffset(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

class Stop {
  constructor(readonly at: number) {}
}

function firstErrorOffset(text: string): number {
  let i = 0;
  const stop = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) stop();
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < ' ') stop();
      if (ch === '"') return void i++;
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) stop();
        } else if ('"\\/bfnrt'.includes(text[i] ?? 'x')) i++;
        else stop();
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-') stop();
    i += m![0].length;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') stop();
        string();
        space();
        if (text[i] !== ':') stop();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else stop();
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else stop();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    stop();
  };
  try {
    value();
    space();
    if (i < text.length) stop();
    return i;
  } catch (error) {
    if (error instanceof Stop) return error.at;
    if (error instanceof RangeError) return i; // nesting deeper than the stack: the best guess is here
    throw error;
  }
}
