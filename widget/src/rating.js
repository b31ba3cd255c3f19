// Thumbs up/down under each answer (bot messages that carry `rate: {answer_id}`).
// A press sends `rate_answer` over the socket; the server stores it in the
// conversation and acknowledges. The verdict is remembered in the transcript,
// so a reload shows it; pressing the other thumb changes it.

const MAX_ID_CHARS = 40;
export const RATINGS = { helpful: "Helpful", unhelpful: "Not helpful" };
const ICONS = { helpful: "👍", unhelpful: "👎" };
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
    button.textContent = ICONS[rating];
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
