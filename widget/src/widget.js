// <pathway-chat>: the IMG-to-CMA assistant's chat widget, talking to Rasa's
// socket.io channel. Attributes follow the official Rasa widgets where they fit:
//   websocket-url   the Rasa server (default: where widget.js was loaded from)
//   socket-path     socket.io path (default /socket.io/)
//   initial-payload sent once when a conversation starts (default /greet)
//   title, launcher-label, placeholder, default-open, storage-key, custom-data (JSON)
// Events on the element: pathway-chat:message (each bot message), pathway-chat:status.

import { io } from "socket.io-client";
import { renderPlanPicture, readPlanPicture } from "./plan.js";
import { ratingControls } from "./rating.js";
import { appendRichText, fromBotPayload } from "./render.js";
import { Conversation } from "./storage.js";
import { STYLES } from "./styles.js";

// Captured now: document.currentScript is only set while the script first runs.
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(document.currentScript.src).origin;
  } catch {
    return window.location.origin;
  }
})();

const REPLY_TIMEOUT_MS = 30000;
const RATING_TIMEOUT_MS = 10000;

const SKELETON = `
<button class="launcher" type="button" aria-expanded="false" aria-controls="panel">
  <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>
  <span class="launcher-label"></span>
</button>
<section class="panel" id="panel" role="dialog" aria-modal="false" aria-labelledby="title" hidden>
  <header>
    <div class="titles">
      <h2 id="title"></h2>
      <div class="status" role="status" data-state="connecting"></div>
    </div>
    <button class="restart" type="button" title="Start a new conversation">New chat</button>
    <button class="close" type="button" aria-label="Close chat">&times;</button>
  </header>
  <div class="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="0"></div>
  <form>
    <label class="sr-only" for="input">Your message</label>
    <input id="input" type="text" autocomplete="off" maxlength="2000" enterkeyhint="send">
    <button type="submit">Send</button>
  </form>
</section>`;

const STATUS_TEXT = {
  connecting: "Connecting…",
  online: "Online",
  reconnecting: "Connection lost, reconnecting…",
  offline: "Offline, retrying…",
};

class PathwayChat extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) {
      // Put back into the page after a removal: pick the conversation up again.
      if (this.socket && !this.socket.connected) this.socket.connect();
      return;
    }
    const root = this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLES;
    const template = document.createElement("template");
    template.innerHTML = SKELETON; // a constant: no message text ever goes through innerHTML
    root.append(style, template.content.cloneNode(true));
    this.ui = {
      launcher: root.querySelector(".launcher"),
      panel: root.querySelector(".panel"),
      status: root.querySelector(".status"),
      log: root.querySelector(".log"),
      form: root.querySelector("form"),
      input: root.querySelector("input"),
      close: root.querySelector(".close"),
      restart: root.querySelector(".restart"),
    };
    const title = this.getAttribute("title") || "IMG-to-CMA assistant";
    this.removeAttribute("title"); // no native tooltip over the whole widget
    root.querySelector("h2").textContent = title;
    this.ui.launcher.querySelector(".launcher-label").textContent =
      this.getAttribute("launcher-label") || "Ask our assistant";
    this.ui.input.placeholder = this.getAttribute("placeholder") || "Type your question…";

    this.conversation = new Conversation(this.getAttribute("storage-key") || "pathway-chat");
    this.typing = this.makeTyping();
    this.renderTranscript();
    this.bindUi();
    const open = this.conversation.open ?? this.hasAttribute("default-open");
    this.setOpen(Boolean(open), { focus: false });
    this.setStatus("connecting");
    this.connect();
  }

  disconnectedCallback() {
    // Only a real removal, not a move: a moved element is connected again at once.
    queueMicrotask(() => {
      if (!this.isConnected && this.socket) this.socket.close();
    });
  }

  // ------------------------------------------------------------- connection
  connect() {
    const url = this.getAttribute("websocket-url") || this.getAttribute("server-url") || SCRIPT_ORIGIN;
    this.socket = io(url, {
      path: this.getAttribute("socket-path") || "/socket.io/",
      transports: ["websocket", "polling"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 10000,
    });
    this.socket.on("connect", () => {
      this.socket.emit("session_request", { session_id: this.conversation.sessionId });
    });
    this.socket.on("session_confirm", (sessionId) => this.onSessionConfirm(sessionId));
    this.socket.on("bot_uttered", (payload) => this.onBotMessage(payload));
    this.socket.on("disconnect", (reason) => {
      this.online = false;
      this.setStatus("reconnecting");
      // The server closed this socket on purpose: socket.io does not retry that by itself.
      if (reason === "io server disconnect") this.socket.connect();
    });
    this.socket.on("connect_error", () => {
      this.online = false;
      this.setStatus(this.everOnline ? "reconnecting" : "offline");
    });
  }

  onSessionConfirm(sessionId) {
    // The server may hand out a new id when ours was not acceptable.
    if (typeof sessionId === "string" && sessionId && sessionId !== this.conversation.sessionId) {
      this.conversation.sessionId = sessionId;
      this.conversation.save();
    }
    this.online = true;
    this.everOnline = true;
    this.setStatus("online");
    if (!this.conversation.greeted) {
      const payload = this.getAttribute("initial-payload") ?? "/greet";
      if (payload) this.emitMessage(payload);
      this.conversation.greeted = true;
      this.conversation.save();
    }
    // Typed while offline (possibly before a reload): send now, in order.
    const queued = this.conversation.messages.filter((m) => m.pending);
    for (const message of queued) {
      delete message.pending;
      this.emitMessage(message.payload || message.text);
    }
    if (queued.length) {
      this.conversation.save();
      for (const bubble of this.ui.log.querySelectorAll(".msg.pending")) {
        bubble.classList.remove("pending");
        bubble.removeAttribute("title");
      }
    }
  }

  emitMessage(text) {
    let metadata = {};
    try {
      metadata = JSON.parse(this.getAttribute("custom-data") || "{}");
    } catch {
      metadata = {};
    }
    this.socket.emit("user_uttered", {
      message: text,
      session_id: this.conversation.sessionId,
      metadata,
    });
    this.showTyping();
  }

  // ---------------------------------------------------------------- messages
  send(text, shown = text) {
    const trimmed = text.trim();
    if (!trimmed) return;
    this.clearReplies();
    const message = { from: "user", text: shown, payload: trimmed };
    if (!this.online) message.pending = true; // sent on the next session_confirm
    this.conversation.add(message);
    this.appendMessage(message);
    if (this.online) this.emitMessage(trimmed);
  }

  onBotMessage(payload) {
    const message = fromBotPayload(payload);
    if (!message) return;
    this.hideTyping();
    this.conversation.add(message);
    this.appendMessage(message);
    this.announce("pathway-chat:message", { ...message });
  }

  /** Send a verdict on an answer; resolves to {ok, text} from the server's acknowledgement. */
  rate(rateId, rating) {
    if (!this.online) {
      return Promise.resolve({ ok: false, text: "Offline: please rate again when the chat is back." });
    }
    return new Promise((resolve) => {
      this.socket
        .timeout(RATING_TIMEOUT_MS)
        .emit("rate_answer", { session_id: this.conversation.sessionId, answer_id: rateId, rating }, (error, reply) => {
          const ok = !error && reply && (reply.status === "recorded" || reply.status === "unchanged");
          if (ok) {
            this.conversation.rate(rateId, rating);
            this.announce("pathway-chat:rating", { rateId, rating });
          }
          const text = error ? "No answer from the server: please try again." : (reply && reply.text) || "";
          resolve({ ok, text });
        });
    });
  }

  /** Events on the element let the host page follow along (analytics, tests). */
  announce(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // ----------------------------------------------------------------- drawing
  renderTranscript() {
    const { log } = this.ui;
    log.setAttribute("aria-live", "off"); // do not read the whole history out again
    log.replaceChildren();
    const messages = this.conversation.messages;
    const lastUser = messages.map((m) => m.from).lastIndexOf("user");
    messages.forEach((message, i) => this.appendMessage(message, i > lastUser));
    log.append(this.typing);
    log.setAttribute("aria-live", "polite");
  }

  appendMessage(message, withReplies = true) {
    const bubble = document.createElement("div");
    bubble.className = `msg ${message.from === "user" ? "user" : message.from === "notice" ? "notice" : "bot"}`;
    if (message.from === "user") {
      const who = document.createElement("span");
      who.className = "sr-only";
      who.textContent = "You said: ";
      bubble.append(who);
    }
    if (message.pending) {
      bubble.classList.add("pending");
      bubble.title = "Will be sent when the connection is back";
    }
    if (message.text) appendRichText(bubble, message.text);
    if (message.image) {
      const img = document.createElement("img");
      img.src = message.image;
      img.alt = "Image from the assistant";
      bubble.append(img);
    }
    if (message.rateId && message.from === "bot") {
      bubble.append(ratingControls(message, (rating) => this.rate(message.rateId, rating)));
    }
    const plan = readPlanPicture(message.planPicture);
    if (plan) {
      bubble.classList.add("plan");
      bubble.append(renderPlanPicture(plan));
    }
    this.ui.log.insertBefore(bubble, this.typing.parentNode ? this.typing : null);
    if (withReplies && message.buttons && message.buttons.length) {
      this.clearReplies(); // only the latest set is on offer
      const replies = document.createElement("div");
      replies.className = "replies";
      replies.setAttribute("role", "group");
      replies.setAttribute("aria-label", "Suggested replies");
      for (const { title, payload } of message.buttons) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = title;
        button.addEventListener("click", () => {
          this.send(payload, title);
          this.ui.input.focus();
        });
        replies.append(button);
      }
      this.ui.log.insertBefore(replies, this.typing.parentNode ? this.typing : null);
    }
    this.scrollToEnd();
    return bubble;
  }

  clearReplies() {
    for (const group of this.ui.log.querySelectorAll(".replies")) group.remove();
  }

  makeTyping() {
    const typing = document.createElement("div");
    typing.className = "typing";
    typing.hidden = true;
    typing.setAttribute("aria-label", "The assistant is typing");
    typing.setAttribute("role", "img");
    typing.append(...[0, 1, 2].map(() => document.createElement("span")));
    return typing;
  }

  showTyping() {
    this.typing.hidden = false;
    this.scrollToEnd();
    clearTimeout(this.replyTimer);
    this.replyTimer = setTimeout(() => {
      this.hideTyping();
      const notice = {
        from: "notice",
        text: "No answer yet. The assistant may be busy: please try again in a moment.",
      };
      this.appendMessage(notice);
    }, REPLY_TIMEOUT_MS);
  }

  hideTyping() {
    clearTimeout(this.replyTimer);
    this.typing.hidden = true;
  }

  scrollToEnd() {
    const { log } = this.ui;
    log.scrollTop = log.scrollHeight;
  }

  setStatus(state) {
    if (this.dataset.status === state) return;
    this.ui.status.dataset.state = state;
    this.ui.status.textContent = STATUS_TEXT[state];
    this.dataset.status = state; // lets the host page (and tests) see it
    this.announce("pathway-chat:status", { status: state });
  }

  // ------------------------------------------------------------ interaction
  bindUi() {
    const { launcher, close, form, input, restart, panel } = this.ui;
    launcher.addEventListener("click", () => this.setOpen(true));
    close.addEventListener("click", () => this.setOpen(false));
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.setOpen(false);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value;
      input.value = "";
      this.send(text);
    });
    restart.addEventListener("click", () => {
      this.conversation.reset();
      this.hideTyping();
      this.renderTranscript();
      // A new sender id: ask the server for the new session, which greets again.
      if (this.online) this.socket.emit("session_request", { session_id: this.conversation.sessionId });
      input.focus();
    });
  }

  setOpen(open, { focus = true } = {}) {
    const { launcher, panel, input } = this.ui;
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    this.conversation.open = open;
    this.conversation.save();
    if (open) {
      this.scrollToEnd();
      if (focus) input.focus();
    } else if (focus) {
      launcher.focus();
    }
  }
}

if (!customElements.get("pathway-chat")) customElements.define("pathway-chat", PathwayChat);
