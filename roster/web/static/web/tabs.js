// Add Multiple Users: ARIA tabs (one panel per role) and drag-and-drop onto "Upload file".
// Without this script every panel shows and the form works the same.
"use strict";
document.documentElement.classList.add("js");

for (const list of document.querySelectorAll('[role="tablist"]')) {
  const tabs = [...list.querySelectorAll('[role="tab"]')];
  const select = (tab) => {
    for (const other of tabs) {
      const chosen = other === tab;
      other.setAttribute("aria-selected", String(chosen));
      other.tabIndex = chosen ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).toggleAttribute("data-hidden", !chosen);
    }
    tab.focus();
    // The server shows this tab again if the form comes back with an error.
    const shown = list.closest("form")?.querySelector("[data-shown-tab]");
    if (shown) shown.value = tab.id.replace(/^tab-/, "");
  };
  list.addEventListener("click", (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (tab) select(tab);
  });
  list.addEventListener("keydown", (event) => {
    const at = tabs.indexOf(document.activeElement);
    const moves = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 };
    if (at < 0 || !(event.key in moves)) return;
    event.preventDefault();
    select(tabs[(moves[event.key] + tabs.length) % tabs.length]);
  });
}

for (const zone of document.querySelectorAll("[data-dropzone]")) {
  const input = zone.querySelector('input[type="file"]');
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    if (event.dataTransfer.files.length) input.files = event.dataTransfer.files;
  });
}
