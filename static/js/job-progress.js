// A background job's page (permanence/templates/permanence/jobs/job.html) follows the job:
// every 2 seconds it asks the status URL (JSON) how far the job has got, shows it, and when
// the job has finished loads the page again, which then shows the result. Without
// JavaScript the person refreshes the page themselves.

const EVERY_MS = 2000;

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

async function poll(section) {
  let state;
  try {
    const response = await fetch(section.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    state = await response.json();
  } catch {
    // A dropped connection or a restarting server: try again on the next tick.
    window.setTimeout(() => poll(section), EVERY_MS);
    return;
  }
  if (!state.working) {
    window.location.reload();
    return;
  }
  show(section, state);
  window.setTimeout(() => poll(section), EVERY_MS);
}

for (const section of document.querySelectorAll("[data-job-progress]")) {
  if (section.dataset.working !== "true") continue;
  const hint = section.querySelector("[data-job-refresh-hint] a");
  if (hint) hint.closest("[data-job-refresh-hint]").textContent =
    "This runs in the background: you can leave this page and come back to it. This page follows it.";
  window.setTimeout(() => poll(section), EVERY_MS);
}
