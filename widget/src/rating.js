// Thumbs up/down under each answer (bot messages that carry `rate: {answer_id}`).
// A press sends `rate_answer` over the socket; the server stores it in the
// conversation and acknowledges. The verdict is remembered in the transcript,
// so a reload shows it; pressing the other thumb changes it.

const MAX_ID_CHARS = 40;
export const RATINGS = { helpful: "Helpful", unhelpful: "Not helpful" };
// Drawn, not emoji: not every device has an emoji font (the thumbs would be boxes).
const THUMB = "M3 10h4v10H3z M9 10l4-7c1.3 0 2 1 2 2.2L14.4 9H20a2 2 0 0 1 2 2.3l-1.3 7A2 2 0 0 1 18.7 20H9z";
const SVG_NS = "http://www.w3.org/2000/svg";

function thumb(rating) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  if (rating === "unhelpful") svg.setAttribute("transform", "rotate(180)");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", THUMB);
  svg.append(path);
  return svg;
}
const THANKS = "Thanks for your feedback!";

/** The answer id of a `bot_uttered` payload, or null when it cannot be rated. */
export function readRate(payload) {
  const id = payload && payload.rate && payload.rate.answer_id;
  return typeof id === "string" && id.length > 0 && id.length <= MAX_ID_CHARS ? id : null;
}

/**
 * The pair of controls for `message` (which has `rateId`, maybe `rated`).
 * `onRate(rating)` returns a promise of {ok, text}: the acknowledgement to show.
 */
export function ratingControls(message, onRate) {
  const group = document.createElement("div");
  group.className = "rating";
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "Was this answer helpful?");
  const note = document.createElement("span");
  note.className = "rating-note";
  note.setAttribute("aria-live", "polite");
  const buttons = {};
  const show = (rated) => {
    for (const [rating, button] of Object.entries(buttons)) {
      button.setAttribute("aria-pressed", String(rating === rated));
    }
  };
  for (const rating of Object.keys(RATINGS)) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.rating = rating;
    button.title = RATINGS[rating];
    button.setAttribute("aria-label", RATINGS[rating]);
    button.append(thumb(rating));
    button.addEventListener("click", async () => {
      if (group.dataset.busy) return;
      group.dataset.busy = "1";
      try {
        const reply = await onRate(rating);
        note.textContent = reply.text || "";
        if (reply.ok) show(rating);
      } finally {
        delete group.dataset.busy;
      }
    });
    buttons[rating] = button;
    group.append(button);
  }
  group.append(note);
  if (message.rated) {
    show(message.rated);
    note.textContent = THANKS;
  } else {
    show(null);
  }
  return group;
}
