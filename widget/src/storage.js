// The conversation kept in the browser: a stable session id (Rasa's sender id)
// and the transcript, since Rasa does not replay history over socket.io.

const MAX_MESSAGES = 200;

function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes); // works on plain http pages, unlike randomUUID
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function memoryStorage() {
  const data = new Map();
  return {
    getItem: (key) => (data.has(key) ? data.get(key) : null),
    setItem: (key, value) => data.set(key, String(value)),
    removeItem: (key) => data.delete(key),
  };
}

function pickStorage() {
  try {
    const probe = "__pathway_chat_probe__";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    // Storage blocked (privacy settings): the chat works, but not across reloads.
    return memoryStorage();
  }
}

export class Conversation {
  constructor(key) {
    this.key = key;
    this.storage = pickStorage();
    const saved = this.load();
    this.sessionId = saved.sessionId || randomId();
    this.messages = Array.isArray(saved.messages) ? saved.messages : [];
    this.greeted = Boolean(saved.greeted);
    this.open = saved.open;
    this.save();
  }

  load() {
    try {
      const parsed = JSON.parse(this.storage.getItem(this.key) || "{}");
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch {
      return {};
    }
  }

  save() {
    const state = {
      sessionId: this.sessionId,
      messages: this.messages.slice(-MAX_MESSAGES),
      greeted: this.greeted,
      open: this.open,
    };
    try {
      this.storage.setItem(this.key, JSON.stringify(state));
    } catch {
      // Quota full: keep going in memory rather than break the chat.
    }
  }

  add(message) {
    this.messages.push({ ...message, at: Date.now() });
    if (this.messages.length > MAX_MESSAGES) this.messages.splice(0, this.messages.length - MAX_MESSAGES);
    this.save();
  }

  /** Remember the user's verdict on the answer `rateId` (shown again after a reload). */
  rate(rateId, rating) {
    const message = this.messages.find((m) => m.rateId === rateId);
    if (message) message.rated = rating;
    this.save();
  }

  /** Forget everything and start a new conversation with a new sender id. */
  reset() {
    this.sessionId = randomId();
    this.messages = [];
    this.greeted = false;
    this.save();
  }
}
