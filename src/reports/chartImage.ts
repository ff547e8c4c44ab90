import { fileURLToPath } from "node:url";
import type { DigestChart, DigestChartGroup } from "./digestChart.js";

/**
 * Draws the digest's chart into a PNG with Chart.js on a Skia canvas (@napi-rs/canvas: a prebuilt binary
 * from an optional dependency, no install script). Both are loaded on the first chart only (~0.1–0.4 s,
 * ~40 MB of resident memory that stays): the bot draws in a child process (chartProcess.ts), so it never
 * loads them itself; `escalator digest --png` draws here.
 * The text is drawn in the DejaVu Sans shipped in assets/fonts under a family name of its own, so the image
 * is the same on a host without fonts (the Docker image) and on one with other fonts.
 */

const family = "Escalator Digest Sans";
const fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) =>
  fileURLToPath(new URL(`../../assets/fonts/${file}`, import.meta.url)),
);

export const chartSize = { width: 1000, rowHeight: 92, chrome: 215 };

const colours = {
  met: "#2e7d32",
  missed: "#c62828",
  noGoal: "#1565c0",
  before: "#b0bec5",
  goal: "#212121",
  text: "#212121",
  subtle: "#546e7a",
  grid: "#e0e0e0",
};

type Libraries = {
  createCanvas: typeof import("@napi-rs/canvas").createCanvas;
  Chart: typeof import("chart.js").Chart;
};
let loading: Promise<Libraries> | undefined;

function libraries(): Promise<Libraries> {
  loading ??= (async () => {
    const [canvas, chartjs] = await Promise.all([import("@napi-rs/canvas"), import("chart.js")]);
    for (const file of fontFiles)
      if (!canvas.GlobalFonts.registerFromPath(file, family))
        throw new Error(`the chart font ${file} could not be loaded`);
    chartjs.Chart.register(...chartjs.registerables);
    return { createCanvas: canvas.createCanvas, Chart: chartjs.Chart };
  })().catch((error: unknown) => {
    loading = undefined; // a later chart tries again
    throw error;
  });
  return loading;
}

/**
 * The chart as PNG bytes: the same numbers always give the same bytes (no clock, no animation, our font).
 * `scale` draws the same picture in fewer pixels (Teams, whose message size limit a 1000-pixel PNG exceeds).
 */
export async function renderDigestChart(chart: DigestChart, scale = 1): Promise<Buffer> {
  const { createCanvas, Chart } = await libraries();
  const height = chartSize.chrome + chartSize.rowHeight * chart.groups.length;
  const canvas = createCanvas(chartSize.width, height);
  const drawn = new Chart(canvas.getContext("2d") as never, chartConfig(chart, scale) as never);
  try {
    return await canvas.encode("png");
  } finally {
    drawn.destroy();
  }
}

const pct = (value: number | null) => (value === null ? "—" : `${value}%`);
const counts = (g: DigestChartGroup) => `${g.met} met · ${g.breached} breached · ${g.open} open`;
const thisWeekColour = (g: DigestChartGroup) =>
  g.goal === null || g.compliance === null
    ? colours.noGoal
    : g.compliance >= g.goal
      ? colours.met
      : colours.missed;

function chartConfig(chart: DigestChart, scale: number) {
  const groups = chart.groups;
  const font = (size: number, weight: "normal" | "bold" = "normal") => ({ family, size, weight });
  return {
    type: "bar",
    data: {
      labels: groups.map((g) => [g.label, counts(g)]),
      datasets: [
        {
          label: "This week",
          data: groups.map((g) => g.compliance ?? 0),
          backgroundColor: groups.map(thisWeekColour),
          barPercentage: 0.9,
          categoryPercentage: 0.72,
        },
        {
          label: "Week before",
          data: groups.map((g) => g.before ?? 0),
          backgroundColor: colours.before,
          barPercentage: 0.9,
          categoryPercentage: 0.72,
        },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: false,
      animation: false,
      devicePixelRatio: scale,
      layout: { padding: { top: 8, right: 96, bottom: 8, left: 16 } },
      font: font(18),
      color: colours.text,
      scales: {
        x: {
          min: 0,
          max: 100,
          ticks: { stepSize: 20, callback: (v: number) => `${v}%`, font: font(16), color: colours.subtle },
          grid: { color: colours.grid },
          title: {
            display: true,
            text: "compliance: targets met ÷ (met + breached); open ones are not counted",
            font: font(16),
            color: colours.subtle,
          },
        },
        y: { ticks: { font: font(18), color: colours.text, crossAlign: "far" }, grid: { display: false } },
      },
      plugins: {
        title: {
          display: true,
          text: `SLA compliance — ${chart.policyName}`,
          font: font(22, "bold"),
          color: colours.text,
          padding: { top: 4, bottom: 2 },
        },
        subtitle: {
          display: true,
          text: chart.span,
          font: font(18),
          color: colours.subtle,
          padding: { bottom: 6 },
        },
        legend: { position: "top", labels: legendLabels(groups, font(17)) },
        tooltip: { enabled: false },
      },
    },
    plugins: [whiteBackground, valueLabels(groups, font(17, "bold")), goalMarks(groups, font(15))],
  };
}

/** The legend names only what the chart shows: this week's colours in use, the week before, the goal line. */
function legendLabels(groups: DigestChartGroup[], font: object) {
  const box = (text: string, colour: string) => ({
    text,
    fillStyle: colour,
    strokeStyle: colour,
    lineWidth: 0,
  });
  const used = new Set(groups.map(thisWeekColour));
  const thisWeek = [
    [colours.met, "This week: goal met"],
    [colours.missed, "This week: goal missed"],
    [colours.noGoal, used.size === 1 ? "This week" : "This week: no goal"],
  ].filter(([colour]) => used.has(colour!));
  const goal = {
    text: "Goal",
    fillStyle: "#ffffff",
    strokeStyle: colours.goal,
    lineWidth: 3,
    lineDash: [6, 4],
  };
  return {
    font,
    color: colours.text,
    boxWidth: 28,
    generateLabels: () => [
      ...thisWeek.map(([colour, text]) => box(text!, colour!)),
      box("Week before", colours.before),
      ...(groups.some((g) => g.goal !== null) ? [goal] : []),
    ],
  };
}

/** PNG has transparency: without this the chart is unreadable on a dark theme. */
const whiteBackground = {
  id: "whiteBackground",
  beforeDraw(chart: { ctx: Ctx; width: number; height: number }) {
    chart.ctx.save();
    chart.ctx.fillStyle = "#ffffff";
    chart.ctx.fillRect(0, 0, chart.width, chart.height);
    chart.ctx.restore();
  },
};

/** The percentage at the end of each bar ("—" where nothing was decided), so no one reads it off the axis. */
function valueLabels(groups: DigestChartGroup[], font: { size: number; family: string; weight: string }) {
  return {
    id: "valueLabels",
    afterDatasetsDraw(chart: ChartLike) {
      const { ctx } = chart;
      ctx.save();
      ctx.font = `${font.weight} ${font.size}px "${family}"`;
      ctx.textBaseline = "middle";
      for (const [index, key] of (["compliance", "before"] as const).entries()) {
        ctx.fillStyle = index === 0 ? colours.text : colours.subtle;
        chart.getDatasetMeta(index).data.forEach((bar, i) => {
          const group = groups[i];
          const value = group?.[key] ?? null;
          // Right of the goal's dashed line when the bar ends on or just before it, not through it.
          const goalX = group?.goal == null ? null : chart.scales.x.getPixelForValue(group.goal);
          const clash = goalX !== null && goalX >= bar.x - 6 && goalX <= bar.x + 64;
          ctx.fillText(value === null ? "— none decided" : pct(value), (clash ? goalX : bar.x) + 8, bar.y);
        });
      }
      ctx.restore();
    },
  };
}

/** The policy's goal of each row: a dashed line across the row's bars, labelled. */
function goalMarks(groups: DigestChartGroup[], font: { size: number }) {
  return {
    id: "goalMarks",
    afterDatasetsDraw(chart: ChartLike) {
      const { ctx } = chart;
      const x = chart.scales.x;
      const y = chart.scales.y;
      const band = (y.bottom - y.top) / Math.max(1, groups.length);
      ctx.save();
      groups.forEach((g, i) => {
        if (g.goal === null) return;
        const gx = x.getPixelForValue(g.goal);
        const gy = y.getPixelForValue(i);
        ctx.strokeStyle = colours.goal;
        ctx.lineWidth = 3;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(gx, gy - band * 0.42);
        ctx.lineTo(gx, gy + band * 0.42);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = colours.goal;
        ctx.font = `${font.size}px "${family}"`;
        ctx.textBaseline = "bottom";
        ctx.textAlign = g.goal > 80 ? "right" : "left";
        ctx.fillText(`goal ${g.goal}%`, gx + (g.goal > 80 ? -6 : 6), gy - band * 0.3);
        ctx.textAlign = "left";
      });
      ctx.restore();
    },
  };
}

/** The few canvas and Chart.js members the plugins use (the DOM's types are not in this project's lib). */
interface Ctx {
  save(): void;
  restore(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  setLineDash(segments: number[]): void;
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textBaseline: string;
  textAlign: string;
}
interface Scale {
  top: number;
  bottom: number;
  getPixelForValue(value: number): number;
}
interface ChartLike {
  ctx: Ctx;
  scales: { x: Scale; y: Scale };
  getDatasetMeta(index: number): { data: { x: number; y: number }[] };
}
