// A background job's page (permanence/templates/permanence/jobs/job.html) follows the job:
// every 2 seconds it asks the status URL (JSON) how far the job has got, shows it, and when
// the job has finished loads the page again, which then shows the result. Without
// JavaScript the person refreshes the page themselves.

import { followStatus } from "./follow-status.js";

function show(section, state) {
  const progress = section.querySelector("progress");
  const label = section.querySelector("[data-job-label]");
  const tag = section.querySelector("[data-job-state]");
  if (progress && state.total) {
    progress.max = state.total;
    progress.value = state.done;
    progress.textContent = state.label;
  }
  if (label && label.textContent !== state.label) label.textContent = state.label;
  if (tag && tag.textContent !== state.state_label) tag.textContent = state.state_label;
}

for (const section of document.querySelectorAll("[data-job-progress]")) {
  if (section.dataset.working !== "true") continue;
  const hint = section.querySelector("[data-job-refresh-hint]");
  if (hint) {
    hint.textContent =
      "This runs in the background: you can leave this page and come back to it. This page follows it.";
  }
  followStatus(section.dataset.statusUrl, {
    // Finished: the page, drawn again, shows the result.
    show: (state) => (state.working ? show(section, state) : window.location.reload()),
    working: (state) => state.working,
  });
}
