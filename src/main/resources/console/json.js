// JSON with every digit the server sent. A declared dataset's numbers are PostgreSQL's (a numeric with 35 digits, a
// bigint past 2^53, 0.10 with its zero): JSON.parse would round them to doubles, so a number whose text a double does
// not give back is kept as an Exact holding that text (JSON.parse's source text access), and written back as it came.

/** A number kept as the text the server wrote. */
export class Exact {
  constructor(source) {
    this.source = source;
  }

  toString() {
    return this.source;
  }
}

/** JSON.parse, but a number whose text String(number) would not give back stays an Exact of that text. */
export function parseExact(text) {
  return JSON.parse(text, (key, value, context) => {
    if (typeof value === 'number' && context?.source !== undefined && String(value) !== context.source) {
      return new Exact(context.source);
    }
    return value;
  });
}

/** JSON.stringify that writes an Exact's text; `step` ('  ') indents as JSON.stringify(value, null, step) does. */
export function toJson(value, step = '', indent = '') {
  if (value instanceof Exact) {
    return value.source;
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  const inner = indent + step;
  const open = step ? '\n' : '';
  const between = step ? ',\n' : ',';
  const close = step ? `\n${indent}` : '';
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]'
      : `[${open}${value.map(item => inner + toJson(item, step, inner)).join(between)}${close}]`;
  }
  const entries = Object.entries(value);
  return entries.length === 0 ? '{}'
    : `{${open}${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}:${step ? ' ' : ''}`
      + toJson(item, step, inner)).join(between)}${close}}`;
}

/** A value as a table cell shows it: a string as itself, anything else as its JSON. */
export function cellText(value) {
  return typeof value === 'string' ? value : toJson(value);
}
