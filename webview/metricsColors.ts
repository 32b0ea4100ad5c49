// Pure: the charts' colours from VS Code's theme (the --vscode-* CSS variables a webview gets), so
// they follow light, dark and high contrast. In high contrast the axes and markers take the
// theme's contrast colours, lines are thicker and each series has its own dash, so the series stay
// apart even where the theme's chart colours are close. No DOM: the page passes a lookup.
import type { SeriesColor } from './metricsModel';

export type ThemeKind = 'light' | 'dark' | 'hc-dark' | 'hc-light';

export interface SeriesStyle {
  stroke: string;
  width: number;
  /** Canvas line dash; empty is solid. */
  dash: number[];
}

export interface ChartPalette {
  /** Axis labels and ticks. */
  text: string;
  grid: string;
  /** In high contrast the grid is dotted, so a full-strength border colour never reads as a series. */
  gridDash: number[];
  /** The deployment markers on the time axis. */
  marker: string;
  /** The cursor's crosshair. */
  cursor: string;
  series: Record<SeriesColor, SeriesStyle>;
}

/** The body class VS Code sets on a webview's page, as a theme kind. */
export function themeKindOf(classes: readonly string[]): ThemeKind {
  if (classes.includes('vscode-high-contrast-light')) return 'hc-light';
  if (classes.includes('vscode-high-contrast')) return 'hc-dark';
  if (classes.includes('vscode-light')) return 'light';
  return 'dark';
}

/** The theme variable each series is drawn in, and the fallback when the theme sets none. */
const SERIES_VARS: Record<SeriesColor, [variable: string, light: string, dark: string]> = {
  '2xx': ['--vscode-charts-green', '#388a34', '#89d185'],
  '3xx': ['--vscode-charts-blue', '#1a85ff', '#3794ff'],
  '4xx': ['--vscode-charts-yellow', '#bf8803', '#cca700'],
  '5xx': ['--vscode-charts-red', '#e51400', '#f14c4c'],
  p95: ['--vscode-charts-purple', '#652d90', '#b180d7'],
  cpu: ['--vscode-charts-blue', '#1a85ff', '#3794ff'],
  memory: ['--vscode-charts-orange', '#d18616', '#d18616'],
};

/** Distinct dashes in high contrast: solid, long, dotted, dash-dot. */
const HC_DASH: Record<SeriesColor, number[]> = {
  '2xx': [],
  '3xx': [10, 5],
  '4xx': [2, 4],
  '5xx': [10, 4, 2, 4],
  p95: [],
  cpu: [],
  memory: [],
};

/**
 * A colour without its alpha: some themes give a chart colour as a translucent highlight (VS
 * Code's charts.orange is the minimap's find-match colour), which draws a 1.5 px line too faint
 * to read. "#rrggbbaa" and "#rgba" lose their alpha digits, rgba() becomes rgb().
 */
export function opaque(color: string): string {
  const c = color.trim();
  if (/^#[0-9a-f]{8}$/i.test(c)) return c.slice(0, 7);
  if (/^#[0-9a-f]{4}$/i.test(c)) return c.slice(0, 4);
  const rgba = /^rgba\(\s*([^,]+),\s*([^,]+),\s*([^,]+),[^)]*\)$/i.exec(c);
  return rgba ? `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})` : c;
}

export function chartPalette(kind: ThemeKind, cssVar: (name: string) => string): ChartPalette {
  const hc = kind === 'hc-dark' || kind === 'hc-light';
  const dark = kind === 'dark' || kind === 'hc-dark';
  const pick = (name: string, fallback: string) => cssVar(name).trim() || fallback;
  const foreground = pick('--vscode-foreground', dark ? '#cccccc' : '#3b3b3b');
  const contrast = pick('--vscode-contrastBorder', foreground);
  const active = pick('--vscode-contrastActiveBorder', contrast);
  const series = Object.fromEntries(
    Object.entries(SERIES_VARS).map(([key, [variable, light, darkColor]]) => [
      key,
      {
        stroke: opaque(pick(variable, dark ? darkColor : light)),
        width: hc ? 2.5 : 1.5,
        dash: hc ? HC_DASH[key as SeriesColor] : [],
      },
    ]),
  ) as Record<SeriesColor, SeriesStyle>;
  return {
    text: hc ? foreground : pick('--vscode-descriptionForeground', foreground),
    grid: hc
      ? contrast
      : pick('--vscode-editorWidget-border', dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.1)'),
    gridDash: hc ? [1, 3] : [],
    marker: hc ? active : pick('--vscode-editorWarning-foreground', dark ? '#cca700' : '#bf8803'),
    cursor: hc ? active : foreground,
    series,
  };
}
