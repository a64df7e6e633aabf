// The live progress bar of an import applying in the background; the page reloads when done.
"use strict";
const box = document.getElementById("applying");
async function poll() {
  const state = await (await fetch(box.dataset.progressUrl)).json();
  if (state.status !== "applying") return location.reload();
  const bar = document.getElementById("progress");
  bar.max = state.total;
  bar.value = state.progress;
  document.getElementById("progress-text").textContent = `${state.progress} of ${state.total} rows checked`;
  setTimeout(poll, 1000);
}
setTimeout(poll, 1000);
