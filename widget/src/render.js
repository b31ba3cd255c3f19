// Turning bot and user text into DOM nodes. Every piece of text goes in as a
// text node (never innerHTML), so a message can not inject markup; only
// http(s) URLs become links.

import { readPlanPicture } from "./plan.js";
import { readRate } from "./rating.js";

const URL_OR_MD_LINK = /\[([^\]\n]{1,200})\]\(([^)\s]{1,2000})\)|(https?:\/\/[^\s<>"')\]]+)/gi;

/** The absolute URL if it is http(s), else null (javascript:, data:, ... stay text). */
export function safeHttpUrl(candidate) {
  try {
    const url = new URL(candidate, window.location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function link(label, href) {
  const a = document.createElement("a");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer nofollow";
  a.textContent = label;
  if (/^add to calendar$/i.test(label)) a.className = "action-link"; // the plan's .ics, as a button
  return a;
}

/** Append `text` to `parent` as text nodes, with http(s) URLs and [label](url) as links. */
export function appendRichText(parent, text) {
  let last = 0;
  for (const match of String(text).matchAll(URL_OR_MD_LINK)) {
    const [whole, mdLabel, mdUrl, bareUrl] = match;
    // A sentence's final full stop or comma is not part of the URL.
    const trimmed = bareUrl ? bareUrl.replace(/[.,;:!?]+$/, "") : null;
    const href = safeHttpUrl(trimmed ?? mdUrl);
    parent.append(document.createTextNode(String(text).slice(last, match.index)));
    if (href) {
      parent.append(link(trimmed ?? mdLabel, href));
      last = match.index + (trimmed ? trimmed.length : whole.length);
    } else {
      parent.append(document.createTextNode(whole));
      last = match.index + whole.length;
    }
  }
  parent.append(document.createTextNode(String(text).slice(last)));
}

/**
 * Normalise one `bot_uttered` payload from Rasa's socket.io channel into the
 * shape the transcript stores: {from, text?, image?, buttons?, rateId?}.
 */
export function fromBotPayload(payload) {
  if (payload == null) return null;
  if (typeof payload === "string") return { from: "bot", text: payload };
  if (typeof payload !== "object") return null;
  const message = { from: "bot" };
  if (typeof payload.text === "string" && payload.text.trim()) message.text = payload.text;
  const buttons = payload.quick_replies || payload.buttons;
  if (Array.isArray(buttons)) {
    message.buttons = buttons
      .filter((b) => b && typeof b.title === "string")
      .map((b) => ({
        title: b.title,
        payload: typeof b.payload === "string" ? b.payload : b.title,
      }));
  }
  const attachment = payload.attachment;
  if (attachment && attachment.type === "image" && attachment.payload) {
    const src = safeHttpUrl(attachment.payload.src);
    if (src) message.image = src;
  }
  // The personal plan as data (a custom message): kept as sent, drawn by plan.js.
  if (readPlanPicture(payload.custom)) message.planPicture = payload.custom;
  const rateId = readRate(payload);
  if (rateId && message.text) message.rateId = rateId; // an answer: thumbs up/down under it
  if (!message.text && !message.image && !message.planPicture && !(message.buttons && message.buttons.length)) {
    return null;
  }
  return message;
}
