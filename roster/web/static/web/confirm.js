// One press of Yes: a second click (or Enter) while the first is on its way does nothing.
document.getElementById("apply-form").addEventListener("submit", (event) => {
  if (event.target.dataset.sent) event.preventDefault();
  event.target.dataset.sent = "1";
});
