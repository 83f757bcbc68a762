// Reads the Prometheus text exposition (0.0.4) of /metrics into samples.

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** [{name, labels: {…}, value}] for every sample line; comments and malformed lines are skipped. */
export function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) {
      continue;
    }
    const match = LINE.exec(line);
    if (!match) {
      continue;
    }
    const labels = {};
    for (const [, name, value] of (match[3] ?? '').matchAll(LABEL)) {
      labels[name] = value.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: match[1], labels, value: Number(match[4]) });
  }
  return samples;
}

/** The sum of the samples called `name` whose labels include `labels`; null when there is none. */
export function value(samples, name, labels = {}) {
  let sum = null;
  for (const sample of samples) {
    if (sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) {
      sum = (sum ?? 0) + sample.value;
    }
  }
  return sum;
}
