/**
 * The proportional stacked bar of a TaskManager or JobManager memory plan: positions and widths
 * are computed here (templates do no arithmetic), in a 0–1000 wide viewBox.
 */

import { type MemoryRole, memoryComponents, roleName } from './memory-components.js';

type Bytes = number | bigint;

export interface MemoryBarSegment {
  key: string;
  label: string;
  bytes: number;
  percent: number;
  x: number;
  width: number;
  /** Where the in-bar label starts. */
  labelX: number;
  className: string;
  /** Wide enough to carry its label inside the bar; the legend always does. */
  showLabel: boolean;
}

export interface MemoryBar {
  total: number;
  title: string;
  summary: string;
  segments: MemoryBarSegment[];
}

export const BAR_WIDTH = 1000;
/** A non-zero part never shrinks below this, so it stays visible; the others give way. */
const MIN_SEGMENT_WIDTH = 6;
const MIN_LABEL_WIDTH = 110;

const percentText = (p: number) => (p >= 10 ? p.toFixed(0) : p.toFixed(1));
const human = (bytes: number) => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${units[unit]}`;
};

/** Builds the bar for a memory breakdown (bytes as numbers or bigints), parts in Flink's order. */
export function memoryBar(memory: Record<string, Bytes>, kind: MemoryRole): MemoryBar {
  const parts = memoryComponents(kind)
    .filter((c) => c.part)
    .map(({ key, label }) => ({ key, label, bytes: Number(memory[key] ?? 0) }));
  const total = parts.reduce((sum, p) => sum + p.bytes, 0);
  const visible = parts.filter((p) => p.bytes > 0);
  // Give every non-zero part at least the minimum width, then share the rest by size.
  const raw = visible.map((p) => (total > 0 ? (p.bytes / total) * BAR_WIDTH : 0));
  const small = raw.map((w) => w < MIN_SEGMENT_WIDTH);
  const reserved = small.filter(Boolean).length * MIN_SEGMENT_WIDTH;
  const largeTotal = raw.reduce((sum, w, i) => (small[i] ? sum : sum + w), 0);
  const widths = raw.map((w, i) =>
    small[i] ? MIN_SEGMENT_WIDTH : largeTotal > 0 ? (w / largeTotal) * (BAR_WIDTH - reserved) : 0,
  );
  let x = 0;
  const segments = visible.map((p, i) => {
    const width = Math.round((widths[i] ?? 0) * 100) / 100;
    const segment: MemoryBarSegment = {
      key: p.key,
      label: p.label,
      bytes: p.bytes,
      percent: total > 0 ? (p.bytes / total) * 100 : 0,
      x: Math.round(x * 100) / 100,
      width,
      labelX: Math.round((x + 8) * 100) / 100,
      className: `seg-${p.key}`,
      // Labels are ~12 viewBox units per character at the macro's font size.
      showLabel: width >= Math.max(MIN_LABEL_WIDTH, p.label.length * 12 + 16),
    };
    x += width;
    return segment;
  });
  return {
    total,
    title: `${roleName(kind)} process memory: ${human(total)}`,
    summary: segments.map((s) => `${s.label} ${human(s.bytes)} (${percentText(s.percent)}%)`).join(', '),
    segments,
  };
}
