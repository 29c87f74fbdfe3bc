// The agenda pack's progress bar, kept up to date while the worker builds the pack.
//
// <section data-pack-progress data-status-url="URL" data-status="building">
//   [data-pack-status]      the status tag          [data-pack-label]   "12 of 60 documents"
//   progress                the bar                 [data-pack-when]    shown on ready/failed
//   [data-pack-error]       why it failed           [data-pack-build]   the form to build again
//
// Every 2 seconds it asks the status URL (JSON) how far the pack has got, until it is ready
// or has failed. Without JavaScript the page shows the status as it was when it loaded.

import { followStatus } from "./follow-status.js";

const WORKING = new Set(["queued", "building"]);
const TAGS = { ready: "govuk-tag--green", failed: "govuk-tag--red" };

function show(section, state) {
  const progress = section.querySelector("progress");
  const label = section.querySelector("[data-pack-label]");
  const tag = section.querySelector("[data-pack-status]");
  if (state.documents_total) {
    progress.max = state.documents_total;
    progress.value = state.documents_done;
  }
  progress.textContent = state.label;
  if (label) label.textContent = state.label;
  if (tag && tag.textContent !== state.status_label) {
    tag.textContent = state.status_label;
    tag.classList.remove("govuk-tag--blue", "govuk-tag--green", "govuk-tag--red");
    tag.classList.add(TAGS[state.status] || "govuk-tag--blue");
  }
  section.dataset.status = state.status;
  if (WORKING.has(state.status)) return;

  // Finished: say so, and offer the download or the reason, and building it again.
  for (const part of section.querySelectorAll("[data-pack-when]")) {
    part.hidden = part.dataset.packWhen !== state.status;
  }
  const error = section.querySelector("[data-pack-error]");
  if (error) error.textContent = state.error;
  const group = section.querySelector("[data-pack-progress-group]");
  if (group) group.hidden = state.status === "failed";
  const build = section.querySelector("[data-pack-build]");
  if (build) build.hidden = false;
}

for (const section of document.querySelectorAll("[data-pack-progress]")) {
  if (!WORKING.has(section.dataset.status)) continue;
  const hint = section.querySelector("[data-pack-refresh-hint]");
  if (hint) hint.hidden = true; // the page follows the build itself
  followStatus(section.dataset.statusUrl, {
    show: (state) => state.status && show(section, state),
    working: (state) => WORKING.has(state.status),
  });
}
