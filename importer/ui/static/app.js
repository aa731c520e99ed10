// The leadstatus page: it draws the server's state and posts the person's
// choices. Every rule lives in the Go pipeline; this only shows and asks.
"use strict";

const RESULTS = ["succeeded", "dry-run", "skipped", "failed", "invalid", "not-sent"];
// WORDS says each result as people say it.
const WORDS = {
  "succeeded": "succeeded",
  "dry-run": "would be sent",
  "skipped": "left alone",
  "failed": "failed",
  "invalid": "need fixing in the file",
  "not-sent": "not sent",
};
const KIND_WORDS = { check: "Check (nothing sent)", send: "Send", pilot: "Pilot", resume: "Send of what was left", undo: "Undo" };

let state = null;
let choosingFile = false;
let showHistory = false;
let stopped = false;   // the program behind the page has stopped
let signedOut = false; // the server no longer knows this page
let retry = null;      // what "Try again" does after an error
let rowsShown = {};    // container id -> job id drawn
let undoPlanFor = 0;
let historyUndoFor = "";

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

// plain says the command line's words as the page's: no flags, no exit codes.
function plain(msg) {
  // A connection that could not be made, said as a person would, with the
  // technical part kept in brackets for whoever helps.
  const unreachable = /(connection to \S+ refused|cannot connect to [^;]*|cannot look up the host [^\s;]+)/.exec(String(msg || ""));
  if (unreachable) msg = "Nutshell could not be reached (" + unreachable[1] + "). Check that this computer is online";
  return String(msg || "")
    .replace(/--limit (\d+) reached/g, "the pilot's $1 were sent; the rest waits for \u201cSend what did not succeed\u201d")
    .replace(/(pass|use|with) --update-closed/g, "$1 \u201cAlso update leads that are already closed\u201d")
    .replace(/--update-closed/g, "\u201cAlso update leads that are already closed\u201d")
    .replace(/--resume/g, "\u201cSend what did not succeed\u201d")
    .replace(/--decimal-comma/g, "a mapping file with decimal_separator: \",\"")
    .replace(/ ?Use --header-row to choose another row\.?/g, "")
    .replace(/--dry-run/g, "the check")
    .replace(/\bdry-run\b/g, "would be sent")
    .replace(/\bnot-sent\b/g, "not sent");
}

function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }

// showError says what went wrong; again, when given, is what "Try again" does.
function showError(msg, again) {
  $("error").textContent = plain(msg);
  $("error-box").hidden = !msg;
  retry = again || null;
  $("error-retry").hidden = !again;
  $("error-signin").hidden = !credentialsRefused(msg);
}

// credentialsRefused: Nutshell refused credentials typed into this page,
// which can be typed again.
function credentialsRefused(msg) {
  return !!(state && state.user && /API key|e-mail address/.test(msg || ""));
}

async function signInAgain() {
  await api("POST", "/api/signout");
  choosingFile = false;
}

// ApiError is an answer the server gave; a TypeError from fetch means it gave none.
class ApiError extends Error {
  constructor(status, msg) { super(msg); this.status = status; }
}

async function api(method, path, body) {
  const opts = { method, credentials: "same-origin", headers: {} };
  if (body instanceof FormData) {
    opts.body = body;
  } else if (body !== undefined) {
    opts.body = JSON.stringify(body);
    opts.headers["Content-Type"] = "application/json";
  }
  let resp;
  try {
    resp = await fetch(path, opts);
  } catch (err) {
    await checkAlive();
    throw new Error("leadstatus did not answer. It may have stopped: start it again, then try again.");
  }
  let data = null;
  const text = await resp.text();
  try { data = JSON.parse(text); } catch { data = { error: text.trim() }; }
  if (resp.status === 403 && path.startsWith("/api/") && /not signed in/.test((data && data.error) || "")) {
    signedOut = true;
    render();
  }
  if (!resp.ok) throw new ApiError(resp.status, (data && data.error) || resp.statusText);
  return data;
}

// checkAlive asks the program whether it still runs; if not, the page says so.
async function checkAlive() {
  try {
    await fetch("/api/state", { credentials: "same-origin" });
  } catch {
    stopped = true;
    render();
  }
}

async function act(fn, again) {
  showError("");
  try {
    await fn();
  } catch (err) {
    showError(err.message, again || (() => act(fn)));
  }
  await refresh();
}

async function refresh() {
  if (stopped) return;
  try {
    state = await api("GET", "/api/state");
    render();
  } catch (err) {
    if (!stopped && !signedOut) showError(err.message, refresh);
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

function jobByID(id) { return state.jobs.find(j => j.id === id) || null; }

function screenFor() {
  if (stopped) return "stopped";
  if (signedOut) return "signedout";
  if (!state) return "";
  if (!state.signed_in) return "signin";
  const last = lastJob();
  if (showHistory || (last && last.kind === "undo" && !last.from)) return "history";
  if (!state.file || choosingFile) return "file";
  if (!last) return "columns";
  if (last.kind === "check") return "plan";
  if ((last.kind === "send" || last.kind === "resume") && last.running) return "send";
  return "done";
}

function render() {
  const screen = screenFor();
  for (const s of ["stopped", "signedout", "signin", "file", "columns", "plan", "send", "done", "history"]) {
    $("screen-" + s).hidden = s !== screen;
  }
  document.body.dataset.screen = screen;
  $("nav-history").hidden = screen === "history" || !state || !state.signed_in || stopped || signedOut;
  $("nav-back").hidden = screen !== "history";
  if (stopped) {
    $("where").textContent = "Stopped";
    $("stopped-dir").textContent = state ? state.dir : "the report folder";
    showError("");
    return;
  }
  if (!state || signedOut) return;
  const who = state.mock ? "the built-in practice Nutshell (nothing real changes)" : (state.user ? "Nutshell as " + state.user : "Nutshell");
  $("where").textContent = "Talking to " + who + " · reports go to " + state.dir;
  if (screen === "columns") renderColumns();
  if (screen === "plan") renderPlan();
  if (screen === "send") renderSend();
  if (screen === "done") renderDone();
  if (screen === "history") renderHistoryJob();
}

// FIELD_WORDS says each field of the mapping file as people say it.
const FIELD_WORDS = {
  lead: "lead (Nutshell lead ID)",
  lead_number: "lead number",
  outcome: "outcome (Won, Lost, …)",
  competitor_maps: "competitors",
  product: "product",
  quantity: "quantity",
  price: "price",
  currency: "currency",
};
function fieldWord(f) { return (FIELD_WORDS[f] || f).replace(/ \(.*/, ""); }
const KEEP = "keep";
const SKIP = "skip";
let mapDrawn = "";

// problemText says a header problem found by the command line's rules in
// the page's words: what it is and what to choose.
function problemText(p) {
  const q = s => "\u201c" + s + "\u201d";
  switch (p.kind) {
    case "near_miss":
      return p.columns.map((c, i) => q(c) + " looks like " + q(p.near[i]) + " but is not read, so its cells would not be sent: choose what it is under \u201cUse as\u201d, or \u201ckeep in the report only\u201d.");
    case "same_field":
      return [p.columns.map(q).join(" and ") + " are both read as the same field: under \u201cUse as\u201d, keep one and choose something else for the other."];
    case "no_lead":
      return ["No column holds the leads: under \u201cUse as\u201d, choose \u201clead\u201d for the column of Nutshell lead IDs, or \u201clead number\u201d for lead numbers."];
    case "outcome_column":
      return [q(p.columns[0]) + " holds outcomes (Won, Lost, …) but is not read, so no lead would be closed: choose \u201coutcome\u201d for it, or \u201ckeep in the report only\u201d."];
    case "missing_header":
      return ["The mapping file names the column " + q(p.columns[0]) + ", which this file does not have: choose what each column is below."];
    case "no_header":
      return ["None of the first rows names a column of leads: choose below which row holds the column names, then which column holds the leads."];
  }
  return [plain(p.text)];
}

function renderColumns() {
  const f = state.file;
  const drawn = JSON.stringify(f);
  if (drawn === mapDrawn) { updateCheckButton(); return; }
  mapDrawn = drawn;
  $("file-name").textContent = f.name + (f.sheet ? ", sheet " + f.sheet : "") + (f.rows ? " \u00b7 " + plural(f.rows, "row") + " below the column names" : "") + (f.mapping && !f.mapping_made ? " \u00b7 starting from the choices in " + f.mapping : "");
  $("file-error").textContent = plain(f.error);
  $("file-problem").hidden = !f.error;
  $("file-warnings").replaceChildren(...f.warnings.map(w => el("li", {}, plain(w))));
  const problems = (f.problems || []).flatMap(problemText);
  $("map-problem-list").replaceChildren(...problems.map(p => el("li", {}, p)));
  $("map-problems").hidden = !problems.length;

  // The first rows, the header highlighted, and the choice of header row.
  const width = Math.max(0, ...f.preview.map(r => r.cells.length));
  $("preview").tBodies[0].replaceChildren(...f.preview.map(r => el("tr", { class: r.number === f.header_row ? "header-row" : "", "data-row": String(r.number) },
    el("td", { class: "rownum" }, r.number),
    Array.from({ length: width }, (_, i) => el("td", {}, r.cells[i] || "")))));
  const hr = $("header-row");
  const opts = f.preview.map(r => el("option", { value: String(r.number) }, r.number + (r.number === f.header_row && !f.header_chosen ? " (found)" : "")));
  if (!f.header_row) opts.unshift(el("option", { value: "0" }, "choose a row"));
  hr.replaceChildren(...opts);
  hr.value = String(f.header_row || 0);
  $("header-row-text").textContent = f.header_row ? "The highlighted row holds the column names. If it is the wrong one, choose the right one:" :
    "No row near the top was recognised as the column names: choose the row that holds them.";
  $("columns").hidden = $("columns-title").hidden = !f.columns.length;

  // Every column with examples and what it is used as.
  const undecided = new Set((f.problems || []).filter(p => p.kind === "near_miss" || p.kind === "outcome_column").flatMap(p => p.columns));
  const body = $("columns").tBodies[0];
  body.replaceChildren(...f.columns.map(c => {
    const open = !c.choice && !c.field && undecided.has(c.header);
    const sel = el("select", { "data-header": c.header, "aria-label": "Use " + c.header + " as" },
      open ? el("option", { value: "" }, "\u2014 choose \u2014") : null,
      el("option", { value: KEEP }, "keep in the report only"),
      f.fields.map(name => el("option", { value: name }, FIELD_WORDS[name] || name)));
    sel.value = open ? "" : (c.choice || c.field || KEEP);
    sel.dataset.choice = c.choice;
    sel.addEventListener("change", () => { sel.dataset.choice = sel.value; saveMapping(); });
    return el("tr", { "data-field": c.field || "" },
      el("td", {}, c.letter),
      el("td", {}, c.header || el("span", { class: "note" }, "(no name)")),
      el("td", { class: "samples" }, c.samples.join(" \u00b7 ")),
      el("td", {}, c.carried ? sel : el("span", { class: "note" }, "left by an earlier report; not read")));
  }));

  // The outcome column's values and what each means.
  const o = f.outcome;
  $("outcome-box").hidden = !o;
  if (o) {
    $("outcome-title").textContent = "What the values in \u201c" + o.column + "\u201d mean";
    $("outcome-note").textContent = (o.from_account ? "The outcomes are your Nutshell account's." : o.note) +
      (o.more ? " " + plural(o.more, "more value") + " not listed: they are read as written." : "");
    $("outcome-values").tBodies[0].replaceChildren(...o.values.map(v => {
      const written = o.names.find(n => n.toLowerCase() === v.value.toLowerCase());
      const sel = el("select", { "data-value": v.value, "aria-label": v.value + " means" },
        el("option", { value: "" }, written ? written + " (as written)" : "as written (not an outcome: rows need fixing)"),
        o.names.filter(n => n !== written).map(n => el("option", { value: n }, n)),
        el("option", { value: SKIP }, "skip these rows (leave the leads alone)"));
      sel.value = v.to && v.to.toLowerCase() === SKIP ? SKIP : (v.to || "");
      sel.addEventListener("change", saveMapping);
      return el("tr", {}, el("td", {}, v.value), el("td", { class: "num" }, v.count), el("td", {}, sel));
    }));
  }
  updateCheckButton();
}

function updateCheckButton() {
  const f = state.file;
  const can = !f.error && f.can_check;
  $("check").disabled = !can;
  $("check-why").textContent = f.error ? "" : (f.why || "");
  $("check-why").hidden = can || !f.why;
}

// mapChoices are the page's choices as the server takes them: a column
// left as read is not named, so the mapping file holds only what was chosen.
function mapChoices(headerRow) {
  const f = state.file;
  const choices = { header_row: headerRow, columns: {}, values: {} };
  if (headerRow !== (f.header_chosen ? f.header_row : 0)) return choices; // new names: choose again
  for (const sel of $("columns").querySelectorAll("select[data-header]")) {
    if (sel.dataset.choice) choices.columns[sel.dataset.header] = sel.value;
  }
  for (const sel of $("outcome-values").querySelectorAll("select[data-value]")) {
    choices.values[sel.dataset.value] = sel.value;
  }
  return choices;
}

function saveMapping(headerRow) {
  const f = state.file;
  const row = typeof headerRow === "number" ? headerRow : (f.header_chosen ? f.header_row : 0);
  act(async () => {
    await api("POST", "/api/mapping", mapChoices(row));
    mapDrawn = "";
  });
}

function progressBox(job, what) {
  const p = job.progress;
  const bar = el("progress", { max: p.total > 0 ? p.total : 1 });
  if (p.total > 0) bar.value = p.done; else bar.removeAttribute("value");
  const parts = [p.total >= 0 ? p.done + " of " + plural(p.total, "row") + " " + what : (p.done ? p.done + " rows " + what : "getting ready: reading the file and the account's outcomes from Nutshell")];
  if (job.running && p.eta_seconds >= 0 && p.done > 0) parts.push("about " + duration(p.eta_seconds) + " left");
  if (job.running && p.done === 0 && p.elapsed_seconds > 5) parts.push("still starting: reading the leads from Nutshell");
  if (!job.running) parts.push("finished in " + duration(p.elapsed_seconds));
  if (job.stopping && job.running) parts.push("stopping: waiting for the updates already on their way");
  return el("div", { class: "progress", "data-running": String(job.running) },
    bar, el("p", { class: "progress-text" }, parts.join(" · ")), countList(p.counts, "progress-counts"));
}

function duration(s) {
  if (s < 60) return Math.max(1, Math.ceil(s)) + " s";
  const m = Math.floor(s / 60), r = Math.round(s % 60);
  return m + " min" + (r ? " " + r + " s" : "");
}

function countList(counts, cls) {
  const items = RESULTS.filter(r => counts && counts[r] > 0).map(r => el("li", { class: r, "data-result": r }, counts[r] + " " + WORDS[r]));
  return el("ul", { class: "counts " + (cls || "") }, items);
}

function table(headers, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map(h => el("th", {}, h)))),
    el("tbody", {}, rows.map(r => el("tr", {}, r.map(c => el("td", {}, c))))));
}

// summaryBlock draws the SummaryRecord the CLI prints with --log-format json,
// in the page's words.
function summaryBlock(job, opts) {
  opts = opts || {};
  const s = job.summary;
  const box = el("div", { class: "summary", "data-job": String(job.id) });
  if (job.error) {
    if (!opts.noError) box.append(el("p", { class: "error" }, plain(job.error)));
    return box;
  }
  if (!s) return box;
  box.append(el("p", {}, plural(s.rows, "row") + (s.dry_run ? " checked; nothing was sent." : ".")));
  box.append(countList(s.results, "summary-counts"));
  const facts = ["took " + duration(s.elapsed_seconds)];
  if (s.requests > 0) facts.push(s.requests + " requests to Nutshell");
  if (s.rate_limited > 0) facts.push("Nutshell asked " + s.rate_limited + " times to slow down, so leadstatus did");
  box.append(el("p", { class: "note" }, facts.join(" · ")));
  if (s.stopped) box.append(el("p", { class: s.interrupted ? "error" : "note" }, "Stopped early: " + plain(s.stopped)));
  if (s.error && !opts.noError) box.append(el("p", { class: "error" }, plain(s.error)));
  if (s.warnings && s.warnings.length) box.append(el("ul", { class: "warnings" }, s.warnings.map(w => el("li", {}, plain(w)))));
  if (Array.isArray(s.plan) && s.plan.length) {
    box.append(el("h3", {}, s.dry_run ? "What would be done" : "What was done"));
    box.append(table(["", "Status before", "Change", "Leads"],
      s.plan.map(p => [WORDS[p.result] || p.result, p.before || "not read", p.target, p.leads])));
  }
  if (Array.isArray(s.columns_not_sent) && s.columns_not_sent.length) {
    box.append(el("p", { class: "note" }, "Kept in the report but not sent: " + s.columns_not_sent.join(", ")));
  }
  if (job.report_name) box.append(el("p", { class: "note" }, "Report: " + job.report));
  if (s.resume_command) {
    box.append(el("details", { class: "note" }, el("summary", {}, "The same from a terminal"), el("code", {}, s.resume_command)));
  }
  return box;
}

// reasonsBlock lists each distinct reason with its rows: no row speaks for another.
function reasonsBlock(container, job) {
  if (rowsShown[container.id] === job.id) return;
  rowsShown[container.id] = job.id;
  container.replaceChildren();
  const s = job.summary || {};
  const attention = ["invalid", "failed", "not-sent"].some(r => (s.results || {})[r] > 0);
  if (!attention) return;
  api("GET", "/api/jobs/" + job.id + "/reasons").then(groups => {
    if (!groups.length) return;
    container.replaceChildren(el("h3", {}, "Rows that need attention"),
      table(["", "Reason", "Rows", "Row numbers"], groups.map(g => [WORDS[g.result] || g.result, plain(g.reason), g.count,
        g.rows.join(", ") + (g.rows.length < g.count ? ", …" : "")])));
  }).catch(err => container.replaceChildren(el("p", { class: "error" }, err.message)));
}

// rowsBlock is the report's rows, filtered by result: each row's reason next
// to its lead; bodies and request IDs behind the row's details.
function rowsBlock(container, job) {
  if (rowsShown[container.id] === job.id) return;
  rowsShown[container.id] = job.id;
  const counts = (job.summary && job.summary.results) || {};
  const select = el("select", { id: container.id + "-filter" }, el("option", { value: "" }, "all rows"),
    RESULTS.filter(r => counts[r] > 0).map(r => el("option", { value: r }, WORDS[r] + " (" + counts[r] + ")")));
  const holder = el("div", { class: "rows-wrap" });
  const leadCol = state.file && (state.file.columns.find(c => c.field === "lead") || {}).header;
  const load = async () => {
    try {
      const q = select.value ? "?result=" + encodeURIComponent(select.value) : "";
      const data = await api("GET", "/api/jobs/" + job.id + "/rows" + q);
      const at = name => data.columns.indexOf(name);
      const iRow = at("import_row"), iRes = at("import_result"), iErr = at("import_error"), iNote = at("import_note");
      const iLead = leadCol && at(leadCol) >= 0 ? at(leadCol) : at("import_lead_id");
      const rows = data.rows.map(r => {
        const details = el("dl", {}, data.columns.flatMap((c, i) => r[i] ? [el("dt", {}, c), el("dd", {}, r[i])] : []));
        return [r[iRow] || "", iLead >= 0 ? r[iLead] : "", WORDS[r[iRes]] || r[iRes] || "",
          plain((iErr >= 0 && r[iErr]) || (iNote >= 0 && r[iNote]) || ""),
          el("details", {}, el("summary", {}, "Details"), details)];
      });
      const note = data.matched > data.rows.length ? el("p", { class: "note" }, "Showing " + data.rows.length + " of " + data.matched + " rows; the report has them all.") : null;
      holder.replaceChildren(note || "", table(["Row", "Lead", "Result", "Reason", ""], rows));
    } catch (err) {
      holder.replaceChildren(el("p", { class: "error" }, err.message));
    }
  };
  select.addEventListener("change", load);
  container.replaceChildren(el("h3", {}, "Rows"), el("label", {}, "Show ", select), holder);
  load();
}

// confirmBox shows the "type N" field when n is over the threshold and says
// whether the action may go.
function confirmBox(n, labelID, numberID, inputID) {
  const need = n > state.confirm_over;
  $(labelID).hidden = !need;
  $(numberID).textContent = String(n);
  return !need || $(inputID).value.trim() === String(n);
}

function sendCount(check) {
  const limit = parseInt($("limit").value, 10) || 0;
  return limit > 0 && limit < check.updates ? limit : check.updates;
}

function updateSendButton() {
  const check = lastOf("check");
  if (!check || !state) return;
  const n = sendCount(check);
  const pilot = n < check.updates ? " (a pilot: " + n + " of " + check.updates + ")" : "";
  $("send").textContent = n === 0 ? "Nothing to send" : "Send " + plural(n, "update") + " to Nutshell" + pilot;
  const ok = confirmBox(n, "confirm-label", "confirm-number", "confirm");
  $("send").disabled = n === 0 || !ok;
}

function renderPlan() {
  const check = lastOf("check");
  $("check-progress").replaceChildren(check.running ? progressBox(check, "checked") : "");
  $("check-running-actions").hidden = !check.running;
  $("cancel-check").disabled = check.stopping;
  $("plan-summary").replaceChildren(check.running ? "" : summaryBlock(check, { noError: true }));
  const s = check.summary;
  let problem = "";
  if (!check.running) {
    if (check.error) problem = check.error;
    else if (s && s.error) problem = s.error;
    else if (s && s.interrupted) problem = "The check was cancelled before the end, so the plan is not complete.";
  }
  $("check-problem").hidden = !problem;
  $("signin-again").hidden = !credentialsRefused(problem);
  problem = plain(problem).trim();
  $("check-problem-text").textContent = problem ? problem + (/[.!?]$/.test(problem) ? " " : ". ") + "Check again, or choose another file." : "";
  const ok = !check.running && s && !problem;
  $("send-box").hidden = !ok;
  if (ok) {
    updateSendButton();
    reasonsBlock($("plan-reasons"), check);
    rowsBlock($("plan-rows"), check);
  } else {
    $("plan-rows").replaceChildren();
    $("plan-reasons").replaceChildren();
    delete rowsShown["plan-rows"];
    delete rowsShown["plan-reasons"];
  }
}

function renderSend() {
  const job = lastOf("send", "resume");
  $("send-progress").replaceChildren(progressBox(job, "sent"));
  $("stop").disabled = job.stopping;
  $("stop").textContent = job.stopping ? "Stopping…" : "Stop";
}

// chainOf is the runs of the close the job ends, oldest first.
function chainOf(job) {
  const chain = [];
  for (let j = job; j && (j.kind === "send" || j.kind === "resume"); j = jobByID(j.from)) chain.unshift(j);
  return chain;
}

function renderDone() {
  const sent = lastOf("send", "resume");
  const last = lastJob();
  const undo = last.kind === "undo" ? last : null;
  if (!sent) { // an undo started from the history
    $("done-summary").replaceChildren();
    return;
  }
  const chain = chainOf(sent);
  $("chain").replaceChildren(chain.length > 1 ? el("p", { class: "note", id: "chain-text" }, "This close: " +
    chain.map(j => (j.kind === "resume" ? "the rest" : j.limit ? "a pilot of " + j.limit : "a send") + " (" + ((j.summary && j.summary.results.succeeded) || 0) + " succeeded)").join(", then ") + ".") : "");
  $("done-summary").replaceChildren(el("h3", {}, sent.kind === "resume" ? "What was left, sent" : "Sent"), summaryBlock(sent));
  const dl = $("download"), other = $("download-other"), fix = $("download-fix");
  const ext = (sent.report_name || "").split(".").pop();
  const otherExt = ext === "xlsx" ? "csv" : "xlsx";
  dl.href = "/api/jobs/" + sent.id + "/report";
  dl.textContent = "Download the report (" + (sent.report_name || "") + ")";
  other.href = "/api/jobs/" + sent.id + "/report/" + otherExt;
  other.textContent = "Download it as " + (otherExt === "xlsx" ? "Excel (XLSX)" : "CSV");
  dl.hidden = other.hidden = !sent.report_name;
  const results = (sent.summary && sent.summary.results) || {};
  const toFix = (results.invalid || 0) + (results.failed || 0);
  fix.hidden = !sent.report_name || toFix === 0;
  fix.href = "/api/jobs/" + sent.id + "/fix";
  fix.textContent = "Download rows to fix (" + toFix + ", Excel)";
  const canResume = sent.can_resume && !undo;
  $("resume-box").hidden = !canResume;
  if (canResume) {
    $("resume").textContent = "Send what did not succeed (" + plural(sent.left, "update") + ")";
    $("resume").disabled = !confirmBox(sent.left, "resume-confirm-label", "resume-confirm-number", "resume-confirm");
  }
  $("undo-plan").hidden = !!undo || !sent.report_name || sent.running;
  if (undoPlanFor !== sent.id || undo) $("undo-box").hidden = true;
  if (!$("undo-box").hidden) updateUndoButton("undo", "undo-confirm-label", "undo-confirm-number", "undo-confirm");
  if (undo) {
    $("undo-result").replaceChildren(undoBlock(undo));
  } else {
    $("undo-result").replaceChildren();
  }
  if (sent.report_name) {
    reasonsBlock($("done-reasons"), sent);
    rowsBlock($("done-rows"), sent);
  } else {
    $("done-rows").replaceChildren();
    $("done-reasons").replaceChildren();
  }
}

function undoBlock(undo) {
  const parts = [el("h3", {}, "Undo")];
  if (undo.running) parts.push(progressBox(undo, "undone")); else parts.push(summaryBlock(undo));
  if (!undo.running && undo.report_name) {
    parts.push(el("p", {}, el("a", { class: "button", id: "download-undo", href: "/api/jobs/" + undo.id + "/report", download: "" }, "Download the undo report (" + undo.report_name + ")")));
  }
  return el("div", { class: "undo-result" }, parts);
}

function updateUndoButton(button, label, number, input) {
  const n = parseInt($(button).dataset.leads, 10) || 0;
  $(button).disabled = !confirmBox(n, label, number, input);
}

function undoText(plan) {
  const more = plan.leads > plan.sample.length ? " and " + (plan.leads - plan.sample.length) + " more" : "";
  const runs = plan.reports.length > 1 ? plan.reports.length + " runs (" + plan.reports.join(", ") + ")" : plan.report + " (" + plural(plan.rows, "row") + ")";
  const maps = plan.product_maps ? " Will take off the " + plural(plan.product_maps, "product") + " it added." : "";
  const undone = (plan.undone || []).map(u => " " + u.report + " was already undone on its own (" + u.by + "): its leads are read first and those already open are left alone, not reopened twice.").join("");
  return runs + ": the close changed " + plural(plan.leads, "lead") +
    " that were open before it." + (plan.leads ? " Will reopen: " + plan.sample.join(", ") + more + "." : "") +
    maps + undone + (plan.confirm ? "" : " Nothing to undo.");
}

// undoLabel names what the undo button does, with its counts.
function undoLabel(plan) {
  const parts = [];
  if (plan.leads) parts.push("Reopen " + plural(plan.leads, "lead"));
  if (plan.product_maps) parts.push((parts.length ? "take off " : "Take off ") + plural(plan.product_maps, "product"));
  return parts.join(" and ");
}

async function showUndoPlan() {
  const sent = lastOf("send", "resume");
  const plan = await api("GET", "/api/jobs/" + sent.id + "/undo");
  undoPlanFor = sent.id;
  $("undo-text").textContent = undoText(plan);
  $("undo").hidden = plan.confirm === 0;
  $("undo").textContent = undoLabel(plan);
  $("undo").dataset.leads = String(plan.confirm);
  $("undo-confirm").value = "";
  $("undo-box").hidden = false;
  updateUndoButton("undo", "undo-confirm-label", "undo-confirm-number", "undo-confirm");
}

// The history: the runs found in the report folder.
async function loadHistory() {
  $("history-where").textContent = "Runs whose reports are in " + state.dir + ", newest first. They stay here after leadstatus stops.";
  const runs = await api("GET", "/api/history");
  if (!runs.length) {
    $("history-list").replaceChildren(el("p", {}, "No runs yet: reports appear here once a file is checked or sent."));
    return;
  }
  const rows = runs.map(r => {
    const actions = el("span", { class: "actions" },
      el("a", { class: "button secondary", href: "/api/history/report?name=" + encodeURIComponent(r.report), download: "" }, "Report"));
    if (r.can_undo && !r.undone.length) {
      const b = el("button", { class: "secondary", "data-report": r.report }, r.chain > 1 ? "Undo this close (" + r.chain + " runs)…" : "Undo…");
      b.addEventListener("click", () => act(() => showHistoryUndo(r.report)));
      actions.append(b);
    }
    if (r.can_resume) {
      if (r.same_file) {
        const left = (r.counts.failed || 0) + (r.counts["not-sent"] || 0);
        const b = el("button", { class: "secondary", "data-report": r.report }, "Send what did not succeed (" + left + ")");
        b.addEventListener("click", () => showHistoryResume(r.report, left));
        actions.append(b);
      } else {
        actions.append(el("span", { class: "note" }, "To send what is left, choose " + r.input + " again first."));
      }
    }
    const counts = RESULTS.filter(k => r.counts[k] > 0).map(k => r.counts[k] + " " + WORDS[k]).join(", ");
    const what = (KIND_WORDS[r.kind] || r.kind) + (r.undoes ? " of " + r.undoes : "");
    return [new Date(r.started).toLocaleString(), r.input, what,
      (r.error ? r.error : counts) + (r.undone.length ? " · undone" : ""), actions];
  });
  $("history-list").replaceChildren(table(["When", "File", "What", "Rows", ""], rows));
}

async function showHistoryUndo(name) {
  $("history-resume-box").hidden = true;
  const plan = await api("GET", "/api/history/undo?name=" + encodeURIComponent(name));
  historyUndoFor = name;
  $("history-undo-text").textContent = undoText(plan);
  $("history-undo").hidden = plan.confirm === 0;
  $("history-undo").textContent = undoLabel(plan);
  $("history-undo").dataset.leads = String(plan.confirm);
  $("history-undo-confirm").value = "";
  $("history-undo-box").hidden = false;
  updateUndoButton("history-undo", "history-undo-confirm-label", "history-undo-confirm-number", "history-undo-confirm");
}

let historyResumeFor = "";
function showHistoryResume(name, left) {
  historyResumeFor = name;
  $("history-undo-box").hidden = true;
  $("history-resume-text").textContent = name + " left " + plural(left, "row") + " that did not succeed; they are sent now, from the file chosen.";
  $("history-resume").textContent = "Send what did not succeed (" + plural(left, "update") + ")";
  $("history-resume").dataset.leads = String(left);
  $("history-resume-confirm").value = "";
  $("history-resume-box").hidden = false;
  updateUndoButton("history-resume", "history-resume-confirm-label", "history-resume-confirm-number", "history-resume-confirm");
}

let historyDrawnFor = -1;
function renderHistoryJob() {
  const last = lastJob();
  const undo = last && last.kind === "undo" && !last.from ? last : null;
  $("history-result").replaceChildren(undo ? undoBlock(undo) : "");
  // Reload the list when a run has finished since it was drawn.
  const key = state.jobs.filter(j => !j.running).length;
  if (key !== historyDrawnFor) {
    historyDrawnFor = key;
    loadHistory().catch(err => showError(err.message, () => act(loadHistory)));
  }
}

function otherFile() {
  choosingFile = true;
  showHistory = false;
  rowsShown = {};
  render();
}

document.addEventListener("DOMContentLoaded", () => {
  $("error-retry").addEventListener("click", () => { const again = retry; showError(""); if (again) again(); });
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
  const check = () => act(() => api("POST", "/api/check", { update_closed: $("update-closed").checked, decimal_comma: $("decimal-comma").checked }));
  for (const id of ["error-signin", "signin-again"]) $(id).addEventListener("click", () => act(signInAgain));
  $("check").addEventListener("click", check);
  $("header-row").addEventListener("change", () => saveMapping(parseInt($("header-row").value, 10) || 0));
  $("retry-check").addEventListener("click", check);
  $("cancel-check").addEventListener("click", () => act(() => api("POST", "/api/stop")));
  for (const id of ["other-file", "other-file-2", "other-file-3", "other-file-4"]) $(id).addEventListener("click", otherFile);
  $("limit").addEventListener("input", updateSendButton);
  $("confirm").addEventListener("input", updateSendButton);
  $("send").addEventListener("click", () => act(async () => {
    await api("POST", "/api/send", {
      limit: parseInt($("limit").value, 10) || 0,
      format: $("format").value,
      confirm: parseInt($("confirm").value, 10) || 0,
    });
    $("confirm").value = "";
    $("limit").value = "0";
    rowsShown = {};
  }));
  $("stop").addEventListener("click", () => act(() => api("POST", "/api/stop")));
  $("resume-confirm").addEventListener("input", render);
  $("resume").addEventListener("click", () => act(async () => {
    await api("POST", "/api/resume", { confirm: parseInt($("resume-confirm").value, 10) || 0 });
    $("resume-confirm").value = "";
    rowsShown = {};
  }));
  $("undo-plan").addEventListener("click", () => act(showUndoPlan));
  $("undo-confirm").addEventListener("input", () => updateUndoButton("undo", "undo-confirm-label", "undo-confirm-number", "undo-confirm"));
  $("undo").addEventListener("click", () => act(async () => {
    const sent = lastOf("send", "resume");
    await api("POST", "/api/jobs/" + sent.id + "/undo", { confirm: parseInt($("undo").dataset.leads, 10) });
    $("undo-box").hidden = true;
  }));
  $("history-undo-confirm").addEventListener("input", () => updateUndoButton("history-undo", "history-undo-confirm-label", "history-undo-confirm-number", "history-undo-confirm"));
  $("history-undo").addEventListener("click", () => act(async () => {
    await api("POST", "/api/history/undo?name=" + encodeURIComponent(historyUndoFor), { confirm: parseInt($("history-undo").dataset.leads, 10) });
    $("history-undo-box").hidden = true;
    historyDrawnFor = -1;
  }));
  $("history-undo-cancel").addEventListener("click", () => { $("history-undo-box").hidden = true; });
  $("history-resume-confirm").addEventListener("input", () => updateUndoButton("history-resume", "history-resume-confirm-label", "history-resume-confirm-number", "history-resume-confirm"));
  $("history-resume").addEventListener("click", () => act(async () => {
    await api("POST", "/api/history/resume?name=" + encodeURIComponent(historyResumeFor), { confirm: parseInt($("history-resume-confirm").value, 10) || 0 });
    $("history-resume-box").hidden = true;
    showHistory = false;
    rowsShown = {};
  }));
  $("history-resume-cancel").addEventListener("click", () => { $("history-resume-box").hidden = true; });
  $("nav-history").addEventListener("click", () => { showHistory = true; historyDrawnFor = -1; $("history-undo-box").hidden = true; render(); });
  $("nav-back").addEventListener("click", () => {
    showHistory = false;
    const last = lastJob();
    if (last && last.kind === "undo" && !last.from) choosingFile = true;
    render();
  });

  const events = new EventSource("/api/events");
  events.onmessage = e => {
    state = JSON.parse(e.data);
    render();
  };
  // The program says it stops: the page says so at once.
  events.addEventListener("stopped", () => {
    events.close();
    stopped = true;
    render();
  });
  events.onerror = () => {
    if (!stopped) checkAlive();
  };
  refresh();
});
