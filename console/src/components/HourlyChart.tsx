import { formatHour } from '../format';
import type { HourBucket } from '../types';

export const series = [
  { key: 'created', label: '新建', color: '#5b8def' },
  { key: 'paid', label: '已支付', color: '#2fb171' },
  { key: 'cancelled', label: '已取消', color: '#a0a7b4' },
  { key: 'refunded', label: '已退款', color: '#e8734a' },
] as const;

const WIDTH = 960;
const HEIGHT = 260;
const PAD = { left: 36, right: 8, top: 12, bottom: 28 };

/** A round top for the y axis: 1, 2, 5 or 10 times a power of ten, at least `max`. */
function niceTop(max: number): number {
  if (max <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((step) => step * power).find((top) => top >= max) ?? 10 * power) as number;
}

/** Orders created, paid, cancelled and refunded in each hour: grouped bars, drawn as SVG (no chart library). */
export function HourlyChart({ buckets }: { buckets: HourBucket[] }) {
  const top = niceTop(Math.max(0, ...buckets.flatMap((bucket) => series.map((s) => bucket[s.key]))));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, buckets.length);
  const bar = Math.max(1, (slot - 4) / series.length);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const ticks = [0, top / 2, top];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="最近24小时每小时订单数">
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} class="grid" />
            <text x={PAD.left - 6} y={y(tick) + 4} text-anchor="end" class="axis">
              {tick}
            </text>
          </g>
        ))}
        {buckets.map((bucket, index) => {
          const x0 = PAD.left + index * slot + 2;
          return (
            <g key={bucket.hourStart} class="hour" data-hour={bucket.hourStart} data-created={bucket.created} data-paid={bucket.paid} data-cancelled={bucket.cancelled} data-refunded={bucket.refunded}>
              <title>{`${formatHour(bucket.hourStart)}：${series.map((s) => `${s.label} ${bucket[s.key]}`).join('，')}`}</title>
              {/* The whole column of the hour shows the tooltip, not only its bars. */}
              <rect x={x0} y={PAD.top} width={slot - 4} height={plotHeight} class="hit-area" />
              {series.map((s, i) => (
                <rect key={s.key} x={x0 + i * bar} y={y(bucket[s.key])} width={bar} height={Math.max(0, y(0) - y(bucket[s.key]))} fill={s.color} />
              ))}
              {index % 3 === 0 ? (
                <text x={x0 + (slot - 4) / 2} y={HEIGHT - 8} text-anchor="middle" class="axis">
                  {formatHour(bucket.hourStart)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {series.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} />
            {s.label} {buckets.reduce((sum, bucket) => sum + bucket[s.key], 0)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
