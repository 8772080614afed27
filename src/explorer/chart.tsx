/** A small step chart as inline SVG: no script, no library, readable as text by a screen reader. */

const WIDTH = 600;
const HEIGHT = 160;
const PAD = 8;

export type Point = { readonly x: number; readonly y: bigint };

/** `points` ascending in x; y is cumulative, so the last is the largest. */
export function StepChart(props: {
  points: readonly Point[];
  label: string;
  xLabel: (x: number) => string;
  yLabel: (y: bigint) => string;
}) {
  const { points } = props;
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) {
    return <p class="muted">Nothing issued yet.</p>;
  }
  const top = last.y > 0n ? last.y : 1n;
  const span = Math.max(1, last.x - first.x);
  const px = (x: number) => PAD + ((x - first.x) / span) * (WIDTH - 2 * PAD);
  // Scaled in bigint first: supplies exceed 2^53.
  const py = (y: bigint) => HEIGHT - PAD - (Number((y * 10_000n) / top) / 10_000) * (HEIGHT - 2 * PAD);
  let path = `M ${px(first.x).toFixed(1)} ${py(0n).toFixed(1)}`;
  for (const p of points) {
    path += ` H ${px(p.x).toFixed(1)} V ${py(p.y).toFixed(1)}`;
  }
  path += ` H ${(WIDTH - PAD).toFixed(1)}`;
  const from = points.length > 1 ? `, from ${props.yLabel(first.y)} at ${props.xLabel(first.x)}` : "";
  const summary = `${props.label}: ${props.yLabel(last.y)} by ${props.xLabel(last.x)}${from}`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <title>{summary}</title>
        <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} stroke="#dde2e8" />
        <path d={path} fill="none" stroke="#1f5fbf" stroke-width="2" />
        {points.map((p) => (
          <circle cx={px(p.x).toFixed(1)} cy={py(p.y).toFixed(1)} r="3" fill="#1f5fbf" />
        ))}
      </svg>
      <figcaption class="muted">{summary}</figcaption>
    </figure>
  );
}
