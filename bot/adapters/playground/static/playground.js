// The playground page: polls one person's conversation and posts what they type or click.
// Every piece of message text goes into the page through textContent or a text node, never as
// markup, so nothing a person or the bot writes can run as HTML.
"use strict";

(() => {
  const POLL_MS = 1000;
  const MAX_TEXT = 40000;

  const picker = document.getElementById("person");
  const where = document.getElementById("where");
  const title = document.getElementById("conversation-title");
  const conversation = document.getElementById("conversation");
  const empty = document.getElementById("empty");
  const composerForm = document.getElementById("composer");
  const composer = document.getElementById("composer-text");
  const sendButton = document.getElementById("send");
  const statusLine = document.getElementById("status");

  const state = { as: "", channel: "", entries: new Map(), timer: 0, asked: 0, shown: 0 };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  // Markdown-lite for the bot's text: *bold*, `code` and line breaks, built as DOM nodes.
  const INLINE = /(\*[^*\n]+\*|`[^`\n]+`)/;
  function richText(text) {
    const fragment = document.createDocumentFragment();
    String(text).split("\n").forEach((line, index) => {
      if (index > 0) fragment.append(el("br"));
      for (const part of line.split(INLINE)) {
        if (!part) continue;
        const inner = part.slice(1, -1);
        if (part.length > 2 && part.startsWith("*") && part.endsWith("*")) fragment.append(el("strong", { text: inner }));
        else if (part.length > 2 && part.startsWith("`") && part.endsWith("`")) fragment.append(el("code", { text: inner }));
        else fragment.append(document.createTextNode(part));
      }
    });
    return fragment;
  }

  async function call(method, path, body) {
    try {
      const response = await fetch(path, {
        method,
        cache: "no-store",
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const data = await response.json().catch(() => null);
      if (!response.ok) return { ok: false, error: (data && data.error) || `The server answered ${response.status}.` };
      return { ok: true, data };
    } catch (_) {
      return { ok: false, error: "Can't reach MicroCoach — is the server still running?" };
    }
  }

  function say(text) {
    statusLine.textContent = text || "";
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // In a channel, people's messages carry their author; in one's own messages, "in" is always mine.
  function isMine(message) {
    const author = message.body.author;
    return message.direction === "in" && (!author || author.id === state.as);
  }

  function authorOf(message) {
    if (message.direction !== "in") return "MicroCoach";
    return isMine(message) ? "You" : message.body.author.name;
  }

  function meta(message) {
    const line = el("p", { class: "meta" },
      el("span", { class: "author", text: authorOf(message) }), " ",
      el("time", { datetime: message.created_at, text: clock(message.created_at) }));
    if (message.direction === "notice") line.append(" ", el("span", { class: "only-you", text: "Only visible to you" }));
    if (message.body.edited && !message.body.deleted) line.append(" ", el("span", { class: "edited", text: "(edited)" }));
    return line;
  }

  function sectionNode(section) {
    const node = el("div", { class: "section" });
    if (section.heading) node.append(el("h3", { text: section.heading }));
    if (section.text) node.append(el("p", { class: "text" }, richText(section.text)));
    if (section.facts.length) {
      node.append(el("dl", {}, ...section.facts.flatMap((fact) => [el("dt", { text: fact.label }), el("dd", { text: fact.value })])));
    }
    return node;
  }

  function inputNode(field) {
    const control = field.multiline ? el("textarea", { rows: 3 }) : el("input", { type: "text" });
    control.value = field.initial;
    control.maxLength = field.max_length;
    control.dataset.inputId = field.input_id;
    control.setAttribute("data-testid", "card-input");
    return el("label", { class: "field" }, el("span", { text: field.label }), control);
  }

  function buttonNode(message, button, bubble) {
    const node = el("button", {
      type: "button",
      class: `btn btn-${button.style}`,
      "data-action-id": button.action_id,
      "data-value": button.value,
      text: button.label,
    });
    node.addEventListener("click", () => click(message.id, button, bubble));
    return node;
  }

  async function click(messageId, button, bubble) {
    const inputs = {};
    for (const control of bubble.querySelectorAll("[data-input-id]")) inputs[control.dataset.inputId] = control.value;
    const controls = bubble.querySelectorAll("button");
    controls.forEach((control) => { control.disabled = true; });
    const result = await call("POST", "/playground/api/action", {
      as: state.as, message_id: messageId, action_id: button.action_id, value: button.value, inputs,
    });
    controls.forEach((control) => { control.disabled = false; });
    say(result.ok ? "" : result.error);
    await refresh();
  }

  function ownActions(entry) {
    const edit = el("button", { type: "button", class: "link", text: "Edit", "data-testid": "edit-message" });
    const remove = el("button", { type: "button", class: "link", text: "Delete", "data-testid": "delete-message" });
    edit.addEventListener("click", () => startEdit(entry));
    remove.addEventListener("click", () => confirmDelete(entry, remove));
    return el("div", { class: "own-actions" }, edit, remove);
  }

  function confirmDelete(entry, remove) {
    const sure = el("button", { type: "button", class: "link danger", text: "Delete for good", "data-testid": "confirm-delete" });
    const keep = el("button", { type: "button", class: "link", text: "Keep it" });
    const box = el("span", { class: "confirm" }, "Delete this message? Your coach won't see it. ", sure, " ", keep);
    remove.replaceWith(box);
    keep.addEventListener("click", () => fill(entry));
    sure.addEventListener("click", async () => {
      const result = await call("POST", "/playground/api/delete", { as: state.as, message_id: entry.message.id, channel: state.channel || null });
      say(result.ok ? "" : result.error);
      await refresh();
    });
  }

  function startEdit(entry) {
    entry.editing = true;
    const textarea = el("textarea", { rows: 3, "data-testid": "edit-text" });
    textarea.value = entry.message.body.text;
    textarea.maxLength = MAX_TEXT;
    const save = el("button", { type: "submit", class: "btn btn-primary", text: "Save", "data-testid": "save-edit" });
    const cancel = el("button", { type: "button", class: "btn", text: "Cancel" });
    const form = el("form", { class: "edit-form" }, el("label", { class: "field" }, el("span", { text: "Edit your message" }), textarea), save, " ", cancel);
    cancel.addEventListener("click", () => { entry.editing = false; fill(entry); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      save.disabled = true;
      const result = await call("POST", "/playground/api/edit", { as: state.as, message_id: entry.message.id, text: textarea.value, channel: state.channel || null });
      save.disabled = false;
      if (!result.ok) { say(result.error); return; }
      say("");
      entry.editing = false;
      entry.sig = "";
      await refresh();
    });
    entry.bubble.replaceChildren(form);
    textarea.focus();
  }

  function fill(entry) {
    const { message, bubble } = entry;
    const body = message.body;
    bubble.replaceChildren(meta(message));
    bubble.classList.toggle("card", body.inputs.length > 0 || body.buttons.length > 0);
    if (body.deleted) {
      bubble.append(el("p", { class: "deleted", text: "This message was deleted." }));
      return;
    }
    if (message.direction === "in") {
      bubble.append(el("p", { class: "text plain", text: body.text }));
      if (isMine(message)) bubble.append(ownActions(entry));
      return;
    }
    // Like Slack and Teams, a message with sections shows them; its text is the fallback.
    if (body.text && !body.sections.length) bubble.append(el("p", { class: "text" }, richText(body.text)));
    for (const section of body.sections) bubble.append(sectionNode(section));
    if (body.inputs.length) bubble.append(el("div", { class: "inputs" }, ...body.inputs.map(inputNode)));
    if (body.buttons.length) {
      bubble.append(el("div", { class: "buttons" }, ...body.buttons.map((button) => buttonNode(message, button, bubble))));
    }
  }

  function threadArea(message) {
    const replies = el("div", { class: "replies", "data-testid": "thread" });
    const area = el("div", { class: "thread" }, replies);
    const thread = { replies, open: () => {} };
    if (message.direction === "out") {
      const textarea = el("textarea", { rows: 1, maxlength: MAX_TEXT, "data-testid": "thread-reply-text" });
      const reply = el("button", { type: "submit", class: "btn btn-primary", text: "Reply", "data-testid": "thread-reply-send" });
      const form = el("form", { class: "reply-form", hidden: true, "data-testid": "thread-reply" },
        el("label", { class: "field" }, el("span", { text: "Reply in thread" }), textarea), reply);
      const opener = el("button", { type: "button", class: "link", text: "Reply in thread", "data-testid": "open-thread-reply" });
      thread.open = () => { form.hidden = false; opener.hidden = true; };
      opener.addEventListener("click", () => { thread.open(); textarea.focus(); });
      form.addEventListener("submit", (event) => { event.preventDefault(); send(textarea, reply, message.id); });
      sendOnEnter(textarea, form);
      area.append(opener, form);
    }
    return { area, thread };
  }

  function place(message) {
    const article = el("article", {
      class: `message message-${message.direction}`,
      "data-testid": "message",
      "data-message-id": message.id,
      "data-direction": message.direction,
    });
    const bubble = el("div", { class: "bubble" });
    article.append(bubble);
    const entry = { message, article, bubble, sig: "", editing: false, thread: null };
    const parent = message.thread !== null ? state.entries.get(message.thread) : undefined;
    if (parent && parent.thread) {
      parent.thread.replies.append(article);
      parent.thread.open();
    } else {
      const { area, thread } = threadArea(message);
      article.append(area);
      entry.thread = thread;
      conversation.append(article);
    }
    state.entries.set(message.id, entry);
    return entry;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
  }

  function render(messages) {
    const follow = nearBottom();
    const seen = new Set();
    let added = false;
    for (const message of messages) {
      seen.add(message.id);
      let entry = state.entries.get(message.id);
      if (!entry) { entry = place(message); added = true; }
      const sig = JSON.stringify(message);
      if (entry.sig !== sig && !entry.editing) {
        entry.message = message;
        entry.sig = sig;
        fill(entry);
      }
    }
    for (const [id, entry] of state.entries) {
      if (!seen.has(id)) { entry.article.remove(); state.entries.delete(id); }
    }
    empty.hidden = state.entries.size > 0;
    if (added && follow) window.scrollTo(0, document.body.scrollHeight);
  }

  async function refresh() {
    if (!state.as) return;
    const as = state.as;
    const asked = ++state.asked;
    const channel = state.channel;
    const scope = channel ? `&channel=${encodeURIComponent(channel)}` : "";
    const result = await call("GET", `/playground/api/messages?as=${encodeURIComponent(as)}&after=0${scope}`);
    if (as !== state.as || channel !== state.channel || asked < state.shown) return; // a newer answer, or another view, came first
    state.shown = asked;
    if (result.ok) render(result.data);
    else say(result.error);
  }

  function poll() {
    clearTimeout(state.timer);
    state.timer = setTimeout(async () => {
      if (!document.hidden) await refresh();
      poll();
    }, POLL_MS);
  }

  async function send(textarea, button, thread) {
    const text = textarea.value;
    if (!text.trim()) { say("Type a message first."); return; }
    button.disabled = true;
    const result = await call("POST", "/playground/api/send", { as: state.as, text, thread: thread || null, channel: state.channel || null });
    button.disabled = false;
    if (!result.ok) { say(result.error); return; } // the text stays in the box
    textarea.value = "";
    say("");
    await refresh();
    await loadChannels();
  }

  // The cohorts' channels, where weekly peer-share prompts are posted (after `cohort channel`).
  async function loadChannels() {
    const result = await call("GET", "/playground/api/channels");
    if (!result.ok) return;
    const options = [el("option", { value: "", text: "Direct messages with MicroCoach" })];
    for (const channel of result.data) {
      options.push(el("option", { value: channel.id, text: `#${channel.id} — ${channel.cohort}'s channel (everyone sees it)` }));
    }
    where.replaceChildren(...options);
    where.value = result.data.some((c) => c.id === state.channel) ? state.channel : "";
    if (where.value !== state.channel) show(where.value);
  }

  function show(channel) {
    state.channel = channel;
    state.entries = new Map();
    conversation.replaceChildren();
    title.textContent = channel ? `#${channel}: a channel everyone in the cohort sees` : "Your direct messages with MicroCoach";
    composer.placeholder = channel ? `Post in #${channel} — everyone in the channel sees it` : "Message MicroCoach — type a reply, or a command like `help`";
    say("");
    refresh();
  }

  function sendOnEnter(textarea, form) {
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  function choose(user) {
    state.as = user;
    state.entries = new Map();
    conversation.replaceChildren();
    empty.hidden = true;
    picker.value = user;
    history.replaceState(null, "", `?as=${encodeURIComponent(user)}`);
    say("");
    refresh();
  }

  async function start() {
    const result = await call("GET", "/playground/api/people");
    if (!result.ok) { say(result.error); return; }
    const people = result.data;
    picker.replaceChildren(...people.map((p) => el("option", { value: p.id, text: `${p.name} — ${p.role} (@${p.id})` })));
    if (!people.length) {
      say("No demo people here yet: the demo workspace is seeded into a new database when no platform is configured.");
      composer.disabled = true;
      sendButton.disabled = true;
      return;
    }
    const wanted = new URLSearchParams(location.search).get("as");
    choose(people.some((p) => p.id === wanted) ? wanted : people[0].id);
    await loadChannels();
    poll();
  }

  picker.addEventListener("change", () => choose(picker.value));
  where.addEventListener("change", () => show(where.value));
  composerForm.addEventListener("submit", (event) => { event.preventDefault(); send(composer, sendButton, null); });
  sendOnEnter(composer, composerForm);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
  window.addEventListener("focus", () => { refresh(); loadChannels(); });
  start();
})();
