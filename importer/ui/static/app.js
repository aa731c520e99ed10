// The leadstatus page: it draws the server's state and posts the person's
// choices. Every rule lives in the Go pipeline; this only shows and asks.
"use strict";

const RESULTS = ["succeeded", "dry-run", "skipped", "failed", "invalid", "not-sent"];
let state = null;
let choosingFile = false;
let rowsShown = {}; // section id -> {job, filter}
let undoPlanFor = 0;

function $(id) { return document.getElementById(id); }

// el builds an element; children are nodes or text (never parsed as HTML).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function showError(msg) {
  const e = $("error");
  e.textContent = msg || "";
  e.hidden = !msg;
}

async function api(method, path, body) {
  const opts = { method, credentials: "same-origin", headers: {} };
  if (body instanceof FormData) {
    opts.body = body;
  } else if (body !== undefined) {
    opts.body = JSON.stringify(body);
    opts.headers["Content-Type"] = "application/json";
  }
  const resp = await fetch(path, opts);
  let data = null;
  const text = await resp.text();
  try { data = JSON.parse(text); } catch { data = { error: text.trim() }; }
  if (!resp.ok) {
    throw new Error((data && data.error) || resp.statusText);
  }
  return data;
}

async function act(fn) {
  showError("");
  try {
    await fn();
  } catch (err) {
    showError(err.message);
  }
  await refresh();
}

async function refresh() {
  try {
    state = await api("GET", "/api/state");
    render();
  } catch (err) {
    showError(err.message);
  }
}

function lastJob() {
  return state.jobs.length ? state.jobs[state.jobs.length - 1] : null;
}

function lastOf(...kinds) {
  for (let i = state.jobs.length - 1; i >= 0; i--) {
    if (kinds.includes(state.jobs[i].kind)) return state.jobs[i];
  }
  return null;
}

function screenFor() {
  if (!state.signed_in) return "signin";
  if (!state.file || choosingFile) return "file";
  const last = lastJob();
  if (!last) return "columns";
  if (last.kind === "check") return "plan";
  if ((last.kind === "send" || last.kind === "resume") && last.running) return "send";
  return "done";
}

function render() {
  if (!state) return;
  const who = state.mock ? "built-in fake Nutshell (--mock)" : (state.user ? "Nutshell as " + state.user : "Nutshell");
  $("where").textContent = "Talking to " + who + " · reports go to " + state.dir;
  const screen = screenFor();
  for (const s of ["signin", "file", "columns", "plan", "send", "done"]) {
    $("screen-" + s).hidden = s !== screen;
  }
  document.body.dataset.screen = screen;
  if (screen === "columns") renderColumns();
  if (screen === "plan") renderPlan();
  if (screen === "send") renderSend();
  if (screen === "done") renderDone();
}

function renderColumns() {
  const f = state.file;
  $("file-name").textContent = f.name + (f.sheet ? ", sheet " + f.sheet : "") + (f.mapping ? ", mapping " + f.mapping : "");
  $("file-error").textContent = f.error || "";
  $("file-error").hidden = !f.error;
  $("file-warnings").replaceChildren(...f.warnings.map(w => el("li", {}, w)));
  const body = $("columns").tBodies[0];
  body.replaceChildren(...f.columns.map(c => el("tr", {},
    el("td", {}, c.letter),
    el("td", {}, c.header),
    c.field ? el("td", { class: "field" }, c.field) : el("td", { class: "carried-only" }, f.error ? "" : "nothing (carried only)"),
    el("td", {}, c.carried ? "yes" : "no"))));
  $("check").disabled = !!f.error;
}

function progressBox(job) {
  const p = job.progress;
  const bar = el("progress", { max: p.total > 0 ? p.total : 1 });
  if (p.total > 0) bar.value = p.done; else bar.removeAttribute("value");
  const parts = [p.done + (p.total >= 0 ? " of " + p.total : "") + " rows"];
  if (p.rows_per_second > 0) parts.push(p.rows_per_second + " rows/s");
  if (job.running && p.eta_seconds >= 0) parts.push("about " + Math.ceil(p.eta_seconds) + " s left");
  if (!job.running) parts.push("finished in " + p.elapsed_seconds + " s");
  if (job.stopping && job.running) parts.push("stopping: waiting for the requests in flight");
  return el("div", { class: "progress", "data-running": String(job.running) },
    bar, el("p", { class: "progress-text" }, parts.join(" · ")), countList(p.counts, "progress-counts"));
}

function countList(counts, cls) {
  const items = RESULTS.filter(r => counts && counts[r] > 0).map(r => el("li", { class: r, "data-result": r }, counts[r] + " " + r));
  return el("ul", { class: "counts " + (cls || "") }, items);
}

function table(headers, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map(h => el("th", {}, h)))),
    el("tbody", {}, rows.map(r => el("tr", {}, r.map(c => el("td", {}, c))))));
}

// summaryBlock draws the SummaryRecord the CLI prints with --log-format json;
// fields a newer record has (plan, reasons, exit_code, columns_not_sent) are
// drawn when present.
function summaryBlock(job) {
  const s = job.summary;
  const box = el("div", { class: "summary", "data-job": String(job.id) });
  if (job.error) {
    box.append(el("p", { class: "error" }, job.error));
    return box;
  }
  if (!s) return box;
  box.append(el("p", {}, s.rows + " rows" + (s.dry_run ? " checked, nothing sent" : "") + "."));
  box.append(countList(s.results, "summary-counts"));
  const facts = ["took " + s.elapsed_seconds.toFixed(2) + " s"];
  if (s.requests > 0) facts.push(s.requests + " requests at " + s.requests_per_sec + "/s");
  if (s.rate_limited > 0) facts.push(s.rate_limited + " answered 429/503 (rate lowered to " + s.final_rate + "/s)");
  if (s.exit_code !== undefined) facts.push("exit code " + s.exit_code);
  box.append(el("p", { class: "note" }, facts.join(" · ")));
  if (s.stopped) box.append(el("p", { class: "error" }, "Stopped early: " + s.stopped));
  if (s.error) box.append(el("p", { class: "error" }, s.error));
  if (s.warnings && s.warnings.length) box.append(el("ul", { class: "warnings" }, s.warnings.map(w => el("li", {}, w))));
  if (Array.isArray(s.plan) && s.plan.length) {
    box.append(el("h3", {}, s.dry_run ? "What would be done" : "What was done"));
    box.append(table(["Result", "Status before", "Change", "Leads"],
      s.plan.map(p => [p.result, p.before || "not read", p.target, p.leads])));
  }
  if (Array.isArray(s.reasons) && s.reasons.length) {
    box.append(el("h3", {}, "Rows that need attention"));
    box.append(table(["Result", "Reason", "Rows", "Row numbers"],
      s.reasons.map(r => [r.result, r.reason, r.count, (r.rows || []).join(", ") + ((r.rows || []).length < r.count ? ", …" : "")])));
  }
  if (Array.isArray(s.columns_not_sent) && s.columns_not_sent.length) {
    box.append(el("p", { class: "note" }, "Carried into the report but not sent: " + s.columns_not_sent.join(", ")));
  }
  if (job.report_name) box.append(el("p", { class: "note" }, "Report: " + job.report));
  if (s.resume_command) box.append(el("p", { class: "note" }, "From a terminal: ", el("code", {}, s.resume_command)));
  return box;
}

// rowsBlock is the report's rows, filtered by result.
function rowsBlock(container, job) {
  const shown = rowsShown[container.id];
  if (shown && shown.job === job.id && container.firstChild) return;
  rowsShown[container.id] = { job: job.id, filter: "" };
  const counts = (job.summary && job.summary.results) || {};
  const select = el("select", { id: container.id + "-filter" }, el("option", { value: "" }, "all rows"),
    RESULTS.filter(r => counts[r] > 0).map(r => el("option", { value: r }, r + " (" + counts[r] + ")")));
  const holder = el("div", { class: "rows-wrap" });
  const load = async () => {
    try {
      const q = select.value ? "?result=" + encodeURIComponent(select.value) : "";
      const data = await api("GET", "/api/jobs/" + job.id + "/rows" + q);
      const note = data.matched > data.rows.length ? el("p", { class: "note" }, "Showing " + data.rows.length + " of " + data.matched + " rows; the report has them all.") : null;
      holder.replaceChildren(note || "", table(data.columns, data.rows));
    } catch (err) {
      holder.replaceChildren(el("p", { class: "error" }, err.message));
    }
  };
  select.addEventListener("change", load);
  container.replaceChildren(el("h3", {}, "Rows"), el("label", {}, "Show ", select), holder);
  load();
}

function sendCount(check) {
  const limit = parseInt($("limit").value, 10) || 0;
  return limit > 0 && limit < check.updates ? limit : check.updates;
}

function updateSendButton() {
  const check = lastOf("check");
  if (!check) return;
  const n = sendCount(check);
  const pilot = n < check.updates ? " (pilot: " + n + " of " + check.updates + ")" : "";
  $("send").textContent = n === 0 ? "Nothing to send" : "Send " + n + " update" + (n === 1 ? "" : "s") + " to Nutshell" + pilot;
  const needConfirm = n > state.confirm_over;
  $("confirm-label").hidden = !needConfirm;
  $("confirm-number").textContent = String(n);
  $("send").disabled = n === 0 || (needConfirm && $("confirm").value.trim() !== String(n));
}

function renderPlan() {
  const check = lastOf("check");
  $("check-progress").replaceChildren(check.running ? progressBox(check) : "");
  $("plan-summary").replaceChildren(check.running ? "" : summaryBlock(check));
  const ok = !check.running && check.summary && !check.summary.error && !check.error;
  $("send-box").hidden = !ok;
  if (ok) {
    updateSendButton();
    rowsBlock($("plan-rows"), check);
  } else {
    $("plan-rows").replaceChildren();
    delete rowsShown["plan-rows"];
  }
}

function renderSend() {
  const job = lastOf("send", "resume");
  $("send-progress").replaceChildren(progressBox(job));
  $("stop").disabled = job.stopping;
  $("stop").textContent = job.stopping ? "Stopping…" : "Stop";
}

function renderDone() {
  const sent = lastOf("send", "resume");
  const undo = lastJob().kind === "undo" ? lastJob() : null;
  $("done-summary").replaceChildren(el("h3", {}, sent.kind === "resume" ? "Resumed" : "Sent"), summaryBlock(sent));
  const dl = $("download");
  dl.href = "/api/jobs/" + sent.id + "/report";
  dl.textContent = "Download the report (" + (sent.report_name || "") + ")";
  dl.hidden = !sent.report_name;
  $("resume").hidden = !sent.can_resume || !!undo;
  $("undo-plan").hidden = !!undo || !sent.report_name;
  if (undoPlanFor !== sent.id || undo) $("undo-box").hidden = true;
  if (undo) {
    const parts = [el("h3", {}, "Undo")];
    if (undo.running) parts.push(progressBox(undo)); else parts.push(summaryBlock(undo));
    if (!undo.running && undo.report_name) {
      parts.push(el("p", {}, el("a", { class: "button", id: "download-undo", href: "/api/jobs/" + undo.id + "/report", download: "" }, "Download the undo report (" + undo.report_name + ")")));
    }
    $("undo-result").replaceChildren(...parts);
  } else {
    $("undo-result").replaceChildren();
  }
  if (sent.report_name) rowsBlock($("done-rows"), sent); else $("done-rows").replaceChildren();
}

async function showUndoPlan() {
  const sent = lastOf("send", "resume");
  const plan = await api("GET", "/api/jobs/" + sent.id + "/undo");
  undoPlanFor = sent.id;
  const more = plan.leads > plan.sample.length ? " and " + (plan.leads - plan.sample.length) + " more" : "";
  $("undo-text").textContent = plan.report + ": " + plan.rows + " rows; the import closed " + plan.leads +
    " leads that were open before it." + (plan.leads ? " Will reopen: " + plan.sample.join(", ") + more + "." : " Nothing to undo.") +
    (plan.leads && plan.product_maps ? " Will take off the " + plan.product_maps + " product map" + (plan.product_maps === 1 ? "" : "s") + " it added." : "");
  $("undo").hidden = plan.leads === 0;
  $("undo").textContent = "Reopen " + plan.leads + " lead" + (plan.leads === 1 ? "" : "s");
  $("undo").dataset.leads = String(plan.leads);
  $("undo-box").hidden = false;
}

function otherFile() {
  choosingFile = true;
  rowsShown = {};
  render();
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin").addEventListener("submit", e => {
    e.preventDefault();
    act(async () => {
      const key = $("apikey");
      await api("POST", "/api/credentials", { username: $("username").value, api_key: key.value });
      key.value = "";
    });
  });
  $("file-form").addEventListener("submit", e => {
    e.preventDefault();
    act(async () => {
      await api("POST", "/api/file", new FormData($("file-form")));
      choosingFile = false;
      rowsShown = {};
    });
  });
  $("check").addEventListener("click", () => act(() => api("POST", "/api/check")));
  for (const id of ["other-file", "other-file-2", "other-file-3"]) $(id).addEventListener("click", otherFile);
  $("limit").addEventListener("input", updateSendButton);
  $("confirm").addEventListener("input", updateSendButton);
  $("send").addEventListener("click", () => act(async () => {
    const check = lastOf("check");
    await api("POST", "/api/send", {
      limit: parseInt($("limit").value, 10) || 0,
      format: $("format").value,
      confirm: parseInt($("confirm").value, 10) || 0,
    });
    $("confirm").value = "";
    rowsShown = {};
    return check;
  }));
  $("stop").addEventListener("click", () => act(() => api("POST", "/api/stop")));
  $("resume").addEventListener("click", () => act(async () => {
    await api("POST", "/api/resume", {});
    rowsShown = {};
  }));
  $("undo-plan").addEventListener("click", () => act(showUndoPlan));
  $("undo").addEventListener("click", () => act(async () => {
    const sent = lastOf("send", "resume");
    await api("POST", "/api/jobs/" + sent.id + "/undo", { confirm: parseInt($("undo").dataset.leads, 10) });
    $("undo-box").hidden = true;
  }));

  const events = new EventSource("/api/events");
  events.onmessage = e => {
    state = JSON.parse(e.data);
    render();
  };
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) showError("Lost the connection to leadstatus ui; is it still running?");
  };
  refresh();
});
