// The widget's stylesheet (inside its shadow root, so the host page's CSS can
// not break it). Theme it from the page with the --pathway-chat-* variables.

export const STYLES = `
:host {
  --_accent: var(--pathway-chat-accent, #0b5f8a);
  --_on-accent: var(--pathway-chat-on-accent, #ffffff);
  --_bg: var(--pathway-chat-bg, #ffffff);
  --_fg: var(--pathway-chat-fg, #1d2733);
  --_muted: var(--pathway-chat-muted, #5b6776);
  --_bot-bubble: var(--pathway-chat-bot-bubble, #eef2f6);
  --_user-bubble: var(--pathway-chat-user-bubble, var(--_accent));
  --_on-user-bubble: var(--pathway-chat-on-user-bubble, var(--_on-accent));
  --_radius: var(--pathway-chat-radius, 14px);
  --_font: var(--pathway-chat-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  --_width: var(--pathway-chat-width, 380px);
  --_height: var(--pathway-chat-height, 600px);
  --_z: var(--pathway-chat-z-index, 2147483000);
  font-family: var(--_font);
  font-size: 15px;
  line-height: 1.45;
  color: var(--_fg);
}
* { box-sizing: border-box; }
.sr-only {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: var(--_z);
  display: flex; align-items: center; gap: 8px;
  padding: 12px 18px; border: 0; border-radius: 999px;
  background: var(--_accent); color: var(--_on-accent);
  font: 600 15px var(--_font); cursor: pointer;
  box-shadow: 0 6px 20px rgba(0, 0, 0, 0.22);
}
.launcher svg { width: 22px; height: 22px; fill: currentColor; }
.launcher[aria-expanded="true"] { display: none; }
button:focus-visible, a:focus-visible {
  outline: 3px solid var(--pathway-chat-focus, #f5a623); outline-offset: 2px;
}
form input:focus { outline: 2px solid var(--_accent); outline-offset: 0; border-color: var(--_accent); }
.panel {
  position: fixed; right: 20px; bottom: 20px; z-index: var(--_z);
  width: var(--_width); height: min(var(--_height), calc(100vh - 40px));
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--_bg); border-radius: var(--_radius);
  box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
}
.panel[hidden] { display: none; }
header {
  display: flex; align-items: center; gap: 10px; padding: 12px 14px;
  background: var(--_accent); color: var(--_on-accent);
}
header .titles { flex: 1; min-width: 0; }
header h2 { margin: 0; font-size: 16px; font-weight: 700; }
.status { display: flex; align-items: center; gap: 6px; font-size: 12.5px; opacity: 0.95; }
.status::before {
  content: ""; width: 8px; height: 8px; border-radius: 50%; background: #f5a623;
}
.status[data-state="online"]::before { background: #3ddc84; }
.status[data-state="offline"]::before { background: #ff5a5a; }
header button {
  border: 0; background: transparent; color: inherit; cursor: pointer;
  font-size: 13px; padding: 6px 8px; border-radius: 8px;
}
header button:hover { background: rgba(255, 255, 255, 0.15); }
header .close { font-size: 22px; line-height: 1; }
.log {
  flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 8px;
  overscroll-behavior: contain;
}
.msg {
  max-width: 85%; padding: 9px 12px; border-radius: var(--_radius);
  white-space: pre-wrap; overflow-wrap: anywhere;
}
.msg.bot { align-self: flex-start; background: var(--_bot-bubble); border-bottom-left-radius: 4px; }
.msg.user {
  align-self: flex-end; background: var(--_user-bubble); color: var(--_on-user-bubble);
  border-bottom-right-radius: 4px;
}
.msg.user a { color: inherit; }
.msg.bot a { color: var(--_accent); }
.msg.notice {
  align-self: center; background: transparent; color: var(--_muted);
  font-size: 13px; text-align: center;
}
.msg.pending { opacity: 0.6; }
.msg img { display: block; max-width: 100%; border-radius: 8px; margin-top: 4px; }
.rating { display: flex; align-items: center; gap: 4px; margin-top: 6px; }
.rating button {
  display: inline-flex; align-items: center; padding: 3px 8px; cursor: pointer; color: var(--_muted);
  background: transparent; border: 1px solid var(--_muted); border-radius: 999px;
}
.rating svg { width: 15px; height: 15px; fill: currentColor; }
.rating button:hover, .rating button:focus-visible { color: var(--_accent); border-color: var(--_accent); }
.rating button[aria-pressed="true"] { color: var(--_on-accent); background: var(--_accent); border-color: var(--_accent); }
.rating-note { font-size: 12px; color: var(--_muted); margin-left: 4px; }
.replies { display: flex; flex-wrap: wrap; gap: 6px; align-self: flex-start; max-width: 95%; }
.replies button {
  border: 1.5px solid var(--_accent); color: var(--_accent); background: var(--_bg);
  border-radius: 999px; padding: 6px 12px; font: 14px var(--_font); cursor: pointer;
}
.replies button:hover { background: var(--_accent); color: var(--_on-accent); }
.typing {
  align-self: flex-start; display: flex; gap: 4px; padding: 12px 14px;
  background: var(--_bot-bubble); border-radius: var(--_radius);
}
.typing[hidden] { display: none; }
.typing span {
  width: 7px; height: 7px; border-radius: 50%; background: var(--_muted);
  animation: blink 1.2s infinite ease-in-out;
}
.typing span:nth-child(2) { animation-delay: 0.2s; }
.typing span:nth-child(3) { animation-delay: 0.4s; }
@keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .typing span { animation: none; opacity: 0.7; } }
form {
  display: flex; gap: 8px; padding: 10px; border-top: 1px solid rgba(0, 0, 0, 0.08);
  background: var(--_bg);
}
form input {
  flex: 1; min-width: 0; padding: 10px 12px; border: 1.5px solid #c5ced8;
  border-radius: 999px; font: 15px var(--_font); color: var(--_fg); background: var(--_bg);
}
form button {
  border: 0; border-radius: 999px; padding: 0 16px; cursor: pointer;
  background: var(--_accent); color: var(--_on-accent); font: 600 14px var(--_font);
}
.msg.bot a.action-link {
  display: inline-block; margin: 2px 0; padding: 4px 12px; border-radius: 999px;
  background: var(--_accent); color: var(--_on-accent); font-weight: 600; text-decoration: none;
}
.msg.plan {
  align-self: stretch; max-width: 100%; padding: 10px; white-space: normal;
  background: var(--_bg); border: 1px solid #c5ced8;
}
.plan { margin: 0; }
.plan-title { margin: 0 0 4px; font-weight: 700; }
.plan-svg { display: block; width: 100%; height: auto; font-family: var(--_font); }
.plan-svg text { paint-order: stroke; stroke: var(--_bg); stroke-width: 3px; stroke-linejoin: round; }
.plan-svg .phase-name { font-size: 12px; font-weight: 700; fill: var(--_fg); }
.plan-svg .phase-months { font-size: 11px; fill: #4f5b69; }
.plan-svg .axis-label { font-size: 10.5px; fill: #4f5b69; }
.plan-svg .grid { stroke: #d5dbe1; stroke-width: 1; }
.plan-svg .tick { stroke: #8a95a3; stroke-width: 1; }
.plan-svg .axis-line { stroke: #4f5b69; stroke-width: 1; }
.plan .bar:not(.estimate) { fill: var(--_accent); }
.plan .bar.estimate { stroke: var(--_accent); stroke-width: 1.5; }
.plan .hatch-bg { fill: #dcecf5; }
.plan .hatch-line { stroke: var(--_accent); stroke-width: 2; }
.plan .today { stroke: #b3261e; stroke-width: 2; stroke-dasharray: 3 2; }
.plan .work { stroke: #17702f; stroke-width: 2; }
.plan .work-band { fill: #e3f4e8; stroke: none; }
.plan-legend .work-band { stroke: #17702f; stroke-width: 1; }
.plan-svg .mark-label { font-size: 10.5px; font-weight: 700; }
.plan-svg .today-label { fill: #b3261e; }
.plan-svg .work-label { fill: #17702f; }
.plan-legend ul {
  list-style: none; margin: 6px 0 0; padding: 0;
  display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px;
}
.plan-legend li { display: flex; align-items: center; gap: 6px; }
.plan-legend svg { flex: none; }
@media (max-width: 600px) {
  .panel {
    right: 0; bottom: 0; left: 0; top: 0; width: 100%; height: 100%;
    height: 100dvh; border-radius: 0;
  }
  .launcher { right: 14px; bottom: 14px; }
  form input { font-size: 16px; } /* 16px stops iOS from zooming into the field */
}
`;
