// The review grid: move with the arrow keys, Enter (or typing) to edit a cell, Enter or Tab
// to save, Escape to cancel. Every change is saved on the server, which answers with the
// workspace re-rendered with fresh flags; nothing here decides what is wrong with a cell.
"use strict";
const root = document.querySelector("[data-grid]");
let editing = null; // {cell, input, before}

const workspace = () => root.querySelector(".workspace");
const cells = () => [...root.querySelectorAll('td[role="gridcell"]')];
const status = (text) => { const el = root.querySelector("#check-status"); if (el) el.textContent = text; };

function context() {
  const { tab, page, show } = workspace().dataset;
  return { tab, page, show };
}

async function send(url, fields) {
  const body = new FormData();
  for (const [name, value] of Object.entries({ ...context(), ...fields })) {
    for (const one of [].concat(value)) body.append(name, one ?? "");
  }
  status("Saving…");
  const token = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const response = await fetch(url, { method: "POST", body, headers: { "X-CSRFToken": token, "X-Roster-Grid": "1" } });
  if (!response.ok) {
    const refused = {
      409: await response.clone().text(),
      413: "That value is too long to save in a cell.",
    }[response.status];
    status(refused || "That change could not be saved; please try again.");
    return false;
  }
  swap(await response.text());
  return true;
}

function swap(html) {
  root.innerHTML = html;
  setUp();
}

function focusCell(id) {
  const target = id && document.getElementById(id);
  const cell = target || root.querySelector('td[role="gridcell"][tabindex="0"]');
  if (!cell) return;
  for (const other of cells()) other.tabIndex = other === cell ? 0 : -1;
  cell.focus();
  uncover(cell);
}

// Focus scrolls a cell into the grid's box, but it may stop under the sticky header row or
// the pinned columns: scroll on until the whole cell shows beside and below them.
function uncover(cell) {
  const box = root.querySelector(".grid-scroll");
  if (!box || !cell?.matches('td[role="gridcell"]') || cell.classList.contains("pin")) return;
  const pinned = [...cell.parentElement.children].filter((other) => other.style.left);
  const left = Math.max(box.getBoundingClientRect().left, ...pinned.map((other) => other.getBoundingClientRect().right));
  const head = root.querySelector("#review-grid thead th"); // sticky (the thead is not)
  const top = head ? head.getBoundingClientRect().bottom : box.getBoundingClientRect().top;
  const place = cell.getBoundingClientRect();
  if (place.left < left) box.scrollLeft -= left - place.left;
  if (place.top < top) box.scrollTop -= top - place.top;
}

function neighbour(cell, key) {
  const row = cell.parentElement;
  const column = [...row.querySelectorAll('td[role="gridcell"]')].indexOf(cell);
  const rows = [...root.querySelectorAll("tbody tr")];
  const inRow = (tr, index) => tr && tr.querySelectorAll('td[role="gridcell"]')[index];
  const at = rows.indexOf(row);
  switch (key) {
    case "ArrowUp": return inRow(rows[at - 1], column);
    case "ArrowDown": return inRow(rows[at + 1], column);
    case "ArrowLeft": return inRow(row, column - 1);
    case "ArrowRight": return inRow(row, column + 1);
    case "Home": return inRow(row, 0);
    case "End": return inRow(row, row.querySelectorAll('td[role="gridcell"]').length - 1);
  }
  return null;
}

function startEdit(cell, replacement) {
  const before = cell.querySelector(".value").textContent;
  const input = document.createElement("input");
  input.type = "text";
  input.value = replacement ?? before;
  input.setAttribute("aria-label", `Row ${cell.dataset.row}, ${columnName(cell)}`);
  cell.classList.add("editing");
  cell.querySelector(".value").hidden = true;
  cell.prepend(input);
  editing = { cell, input, before };
  input.focus();
  if (replacement === undefined) input.select();
}

function columnName(cell) {
  const head = document.getElementById(`h-${cell.dataset.column}`);
  return head ? head.querySelector(".header-text").textContent : `column ${cell.dataset.column}`;
}

async function stopEdit(save, move) {
  if (!editing) return;
  const { cell, input, before } = editing;
  editing = null;
  const next = move ? neighbour(cell, move) || cell : cell;
  const nextId = next.id;
  if (save && input.value !== before) {
    const saved = await send(root.dataset.cellUrl, { row: cell.dataset.row, column: cell.dataset.column, value: input.value });
    if (saved) return focusCell(nextId);
  }
  input.remove();
  cell.classList.remove("editing");
  cell.querySelector(".value").hidden = false;
  focusCell(nextId);
}

function onKey(event) {
  const cell = event.target.closest('td[role="gridcell"]');
  if (!cell) return;
  if (editing) {
    if (event.key === "Enter") { event.preventDefault(); stopEdit(true, event.shiftKey ? "ArrowUp" : "ArrowDown"); }
    else if (event.key === "Tab") { event.preventDefault(); stopEdit(true, event.shiftKey ? "ArrowLeft" : "ArrowRight"); }
    else if (event.key === "Escape") { event.preventDefault(); stopEdit(false); }
    return;
  }
  if (event.key === "Enter" || event.key === "F2") { event.preventDefault(); startEdit(cell); }
  else if (event.key === "Delete" || event.key === "Backspace") { event.preventDefault(); startEdit(cell, ""); }
  else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) { event.preventDefault(); startEdit(cell, event.key); }
  else {
    const next = neighbour(cell, event.key);
    if (next) { event.preventDefault(); focusCell(next.id); }
  }
}

let polling = null;
function pollWhilePending() {
  clearTimeout(polling);
  if (!workspace()?.dataset.pending) return;
  polling = setTimeout(async () => {
    const state = await (await fetch(root.dataset.progressUrl)).json();
    if (!state.flags_current) return pollWhilePending();
    const query = new URLSearchParams(Object.entries(context()).filter(([, v]) => v));
    const response = await fetch(`${root.dataset.reviewUrl}?${query}`, { headers: { "X-Roster-Grid": "1" } });
    if (response.ok) swap(await response.text());
  }, 1000);
}

// The leading columns marked .pin (select, row number, the name columns) stay in view as the
// grid scrolls sideways: each gets the left offset of the pinned ones before it. Pinned
// columns take at most half of the box, so a narrow screen still shows the other columns.
function pinColumns() {
  const box = root.querySelector(".grid-scroll");
  const head = root.querySelector("#review-grid thead tr");
  if (!box || !head) return;
  for (const cell of root.querySelectorAll("#review-grid .pin")) {
    cell.style.left = "";
    cell.classList.remove("pinned-last");
  }
  const offsets = [];
  let left = 0;
  for (const th of head.children) {
    const width = th.getBoundingClientRect().width;
    if (!th.classList.contains("pin") || (offsets.length >= 2 && left + width > box.clientWidth / 2)) break;
    offsets.push(left);
    left += width;
  }
  for (const tr of root.querySelectorAll("#review-grid tr")) {
    const row = [...tr.children];
    if (row.length < offsets.length) continue;
    offsets.forEach((offset, index) => { row[index].style.left = `${offset}px`; });
    row[offsets.length - 1]?.classList.add("pinned-last");
  }
  // Scrolling to a cell (focus, a #c-… link) stops beside the pinned columns, below the header.
  box.style.scrollPaddingLeft = `${left}px`;
  box.style.scrollPaddingTop = `${head.getBoundingClientRect().height}px`;
}

function setUp() {
  const first = root.querySelector('td[role="gridcell"]');
  if (first) first.tabIndex = 0;
  pinColumns();
  pollWhilePending();
}
window.addEventListener("resize", pinColumns);
// Opening a row's "Will be" details widens its pinned column: the offsets follow.
root.addEventListener("toggle", pinColumns, true);

root.addEventListener("keydown", onKey);
root.addEventListener("click", (event) => {
  const cell = event.target.closest('td[role="gridcell"]');
  if (cell && !editing) focusCell(cell.id);
});
root.addEventListener("dblclick", (event) => {
  const cell = event.target.closest('td[role="gridcell"]');
  if (cell && !editing) startEdit(cell);
});
root.addEventListener("focusout", (event) => {
  if (editing && event.target === editing.input) stopEdit(true);
});
root.addEventListener("change", (event) => {
  const select = event.target.closest("select.mapping");
  if (select) send(root.dataset.columnUrl, { column: select.dataset.column, field: select.value });
});
root.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.classList.contains("step-form")) {
    // A review step (a group fix, find & replace, undo, redo): saved like any change.
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(form));
    if (event.submitter?.name) fields[event.submitter.name] = event.submitter.value;
    send(form.action, fields);
    return;
  }
  if (event.target.id !== "rows-form") return;
  event.preventDefault();
  const rows = [...event.target.querySelectorAll('input[name="rows"]:checked')].map((box) => box.value);
  if (rows.length) send(root.dataset.deleteUrl, { rows });
});
root.addEventListener("click", async (event) => {
  if (event.target.id !== "replace-preview") return;
  // How many cells Replace would change, before it changes them.
  const form = event.target.form;
  const fields = new FormData(form);
  fields.delete("csrfmiddlewaretoken");
  const output = form.querySelector("#replace-count");
  const response = await fetch(`${root.dataset.replaceCountUrl}?${new URLSearchParams(fields)}`);
  output.textContent = response.ok ? (await response.json()).text : await response.text();
});
for (const radio of document.querySelectorAll('#finish-form input[name="invite"]')) {
  radio.addEventListener("change", () => {
    const body = new FormData();
    body.append("invite", radio.value);
    const token = root.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(root.dataset.inviteUrl, { method: "POST", body, headers: { "X-CSRFToken": token } });
  });
}
setUp();
if (location.hash.startsWith("#c-")) {
  focusCell(location.hash.slice(1));
  // The browser scrolls to the #c-… cell itself as the page loads: uncover it after that.
  window.addEventListener("load", () => requestAnimationFrame(() => uncover(document.activeElement)));
}
