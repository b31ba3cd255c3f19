// The personal plan as a picture: an inline SVG timeline built with DOM APIs
// (text only ever goes in through textContent), from the `plan_timeline`
// payload the timeline action sends (actions/core/plan_picture.py).
//
// One bar per phase over the months (hatched when its length is an estimate),
// today marked in red, the months the user could start working in green, a
// legend in HTML, and the whole picture in words for screen readers
// (role="img" + aria-label).

const SVG_NS = "http://www.w3.org/2000/svg";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MAX_PHASES = 8;
const MAX_MONTHS = 240;

// Geometry in viewBox units; the SVG scales to the bubble's width (about 1:1 at 320 px).
const W = 300;
const LEFT = 4;
const RIGHT = W - 4;
const MARKS_H = 30; // two rows of marker labels
const AXIS_H = 22;
const ROW_H = 50;
const BAR_H = 12;
const BOTTOM = 6;

let pictures = 0; // unique pattern ids when a transcript holds several plans

/** "2027-03" -> a month index (year * 12 + month - 1), or null. */
function monthIndex(text) {
  const match = /^(\d{4})-(\d{2})$/.exec(typeof text === "string" ? text : "");
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? Number(match[1]) * 12 + month - 1 : null;
}

/** A month index as "Mar 2027", the text plan's short form. */
export function monthLabel(index) {
  return `${MONTHS[index % 12]} ${Math.floor(index / 12)}`;
}

function text(value, max) {
  return typeof value === "string" ? value.slice(0, max) : "";
}

/**
 * The payload checked and reduced to what the picture needs (this is what the
 * transcript keeps), or null when it is not a usable plan picture.
 */
export function readPlanPicture(payload) {
  if (!payload || typeof payload !== "object" || payload.type !== "plan_timeline") return null;
  const months = ["today", "earliest_work", "latest_work", "first_month", "last_month"].map((key) =>
    monthIndex(payload[key]),
  );
  if (months.includes(null) || !Array.isArray(payload.phases)) return null;
  const [today, earliest, latest, first, last] = months;
  if (last < first || last - first > MAX_MONTHS) return null;
  const phases = [];
  for (const phase of payload.phases.slice(0, MAX_PHASES)) {
    const start = monthIndex(phase && phase.start);
    const end = monthIndex(phase && phase.end);
    if (start === null || end === null || end < start) return null;
    phases.push({
      name: text(phase.name, 120),
      short: text(phase.short, 60) || text(phase.name, 60),
      when: text(phase.when, 120),
      start,
      end,
      estimate: phase.estimate === true,
    });
  }
  if (!phases.length) return null;
  return {
    title: text(payload.title, 120) || "Your plan",
    summary: text(payload.summary, 2000),
    today,
    earliest,
    latest,
    first,
    last,
    phases,
  };
}

function svg(name, attributes = {}, content = null) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (content !== null) node.textContent = content;
  return node;
}

function hatchPattern(id) {
  const pattern = svg("pattern", {
    id,
    width: 5,
    height: 5,
    patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)",
  });
  pattern.append(
    svg("rect", { width: 5, height: 5, class: "hatch-bg" }),
    svg("line", { x1: 0, y1: 0, x2: 0, y2: 5, class: "hatch-line" }),
  );
  return pattern;
}

function swatch(kind, patternId) {
  const box = svg("svg", { viewBox: "0 0 22 12", width: 22, height: 12, "aria-hidden": "true" });
  if (kind === "guide") box.append(svg("rect", { x: 0.5, y: 0.5, width: 21, height: 11, class: "bar" }));
  if (kind === "estimate") {
    box.append(
      svg("rect", { x: 0.75, y: 0.75, width: 20.5, height: 10.5, class: "bar estimate", fill: `url(#${patternId})` }),
    );
  }
  if (kind === "work") box.append(svg("rect", { x: 0.5, y: 0.5, width: 21, height: 11, class: "work-band" }));
  if (kind === "today") box.append(svg("line", { x1: 11, y1: 0, x2: 11, y2: 12, class: "today" }));
  return box;
}

/** The picture: <figure class="plan"> with the SVG and an HTML legend. */
export function renderPlanPicture(plan) {
  pictures += 1;
  const patternId = `plan-hatch-${pictures}`;
  const span = Math.max(plan.last - plan.first, 1);
  const perMonth = (RIGHT - LEFT) / span;
  const x = (month) => LEFT + Math.min(Math.max(month - plan.first, 0), span) * perMonth;
  const axisY = MARKS_H;
  const rowsTop = MARKS_H + AXIS_H;
  const rowsBottom = rowsTop + ROW_H * plan.phases.length;
  const height = rowsBottom + BOTTOM;

  const figure = document.createElement("figure");
  figure.className = "plan";
  const heading = document.createElement("p");
  heading.className = "plan-title";
  heading.textContent = plan.title;
  figure.append(heading);

  const picture = svg("svg", {
    viewBox: `0 0 ${W} ${height}`,
    role: "img",
    "aria-label": plan.summary || plan.title,
    class: "plan-svg",
    preserveAspectRatio: "xMinYMin meet",
  });
  picture.append(svg("defs", {}, null));
  picture.firstChild.append(hatchPattern(patternId));

  // The months the user could start working: a band behind everything.
  picture.append(
    svg("rect", {
      x: x(plan.earliest),
      y: axisY,
      width: Math.max(x(plan.latest) - x(plan.earliest), 2),
      height: rowsBottom - axisY,
      class: "work-band",
    }),
  );

  // Axis: a tick per month, the year at each January (and the first month).
  const axis = svg("g", { class: "axis", "aria-hidden": "true" });
  let freeFrom = LEFT;
  for (let i = 0; i <= span; i += 1) {
    const month = plan.first + i;
    const tickX = LEFT + i * perMonth;
    axis.append(svg("line", { x1: tickX, y1: axisY + 15, x2: tickX, y2: axisY + 20, class: "tick" }));
    if (month % 12 === 0 || i === 0) {
      axis.append(svg("line", { x1: tickX, y1: axisY, x2: tickX, y2: rowsBottom, class: "grid" }));
      const label = month % 12 === 0 ? String(Math.floor(month / 12)) : monthLabel(month);
      if (tickX >= freeFrom && tickX <= RIGHT - 26) {
        axis.append(svg("text", { x: tickX + 2, y: axisY + 11, class: "axis-label" }, label));
        freeFrom = tickX + 8 + 6 * label.length;
      }
    }
  }
  axis.append(svg("line", { x1: LEFT, y1: axisY + 20, x2: RIGHT, y2: axisY + 20, class: "axis-line" }));
  picture.append(axis);

  // Markers, under the rows (text has a halo): today (red, dashed), earliest and latest month of work (green).
  const marks = svg("g", { class: "marks", "aria-hidden": "true" });
  const todayX = x(plan.today);
  marks.append(svg("line", { x1: todayX, y1: 2, x2: todayX, y2: rowsBottom, class: "today" }));
  marks.append(svg("text", { x: todayX + 3, y: 10, class: "mark-label today-label" }, "Today"));
  const latestX = x(plan.latest);
  marks.append(svg("line", { x1: latestX, y1: 2, x2: latestX, y2: rowsBottom, class: "work" }));
  marks.append(svg("text", { x: latestX - 3, y: 10, class: "mark-label work-label", "text-anchor": "end" }, "Latest work"));
  const earliestX = x(plan.earliest);
  marks.append(svg("line", { x1: earliestX, y1: 14, x2: earliestX, y2: rowsBottom, class: "work" }));
  marks.append(
    svg("text", { x: earliestX - 3, y: 23, class: "mark-label work-label", "text-anchor": "end" }, "Earliest work"),
  );
  picture.append(marks);

  plan.phases.forEach((phase, i) => {
    const top = rowsTop + i * ROW_H;
    const row = svg("g", {
      class: "phase",
      "data-start": monthLabel(phase.start),
      "data-end": monthLabel(phase.end),
      "data-estimate": String(phase.estimate),
    });
    row.append(svg("text", { x: LEFT, y: top + 13, class: "phase-name" }, `${i + 1}. ${phase.short}`));
    const months = `${monthLabel(phase.start)} – ${monthLabel(phase.end)}`;
    row.append(
      svg("text", { x: LEFT + 12, y: top + 27, class: "phase-months" }, phase.estimate ? `${months} (estimate)` : months),
    );
    const x0 = x(phase.start);
    const bar = svg("rect", {
      x: x0,
      y: top + 33,
      width: Math.max(x(phase.end) - x0, 2),
      height: BAR_H,
      class: phase.estimate ? "bar estimate" : "bar",
    });
    if (phase.estimate) bar.setAttribute("fill", `url(#${patternId})`);
    row.append(bar);
    picture.append(row);
  });

  figure.append(picture);

  // The legend, in HTML so it wraps on a narrow phone.
  const legend = document.createElement("figcaption");
  legend.className = "plan-legend";
  const items = [
    ["guide", "Length from the guide"],
    ["estimate", "Hatched: our estimate (the guide gives no figure)"],
    ["today", `Today: ${monthLabel(plan.today)}`],
    ["work", `Could be working: ${monthLabel(plan.earliest)} to ${monthLabel(plan.latest)}`],
  ];
  const list = document.createElement("ul");
  for (const [kind, words] of items) {
    const item = document.createElement("li");
    item.dataset.kind = kind;
    const label = document.createElement("span");
    label.textContent = words;
    item.append(swatch(kind, patternId), label);
    list.append(item);
  }
  legend.append(list);
  figure.append(legend);
  return figure;
}
