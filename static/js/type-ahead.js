// A box where a person's name is typed (the tracker's social worker filter) offers the
// people whose names match as you type, from a JSON URL (`data-type-ahead`), with alphagov's
// accessible-autocomplete (static/build/accessible-autocomplete.min.js, loaded before this).
// Picking one puts their number in the hidden field named by `data-type-ahead-picked`: the
// number is what the filter's links have always carried. Without JavaScript the box is a
// plain text box, and the name typed finds everyone whose name holds it.

const WAIT_MS = 150;

function escaped(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

function source(url) {
  let timer;
  let asking;
  return (query, populateResults) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      asking?.abort();
      asking = new AbortController();
      try {
        const response = await fetch(`${url}?${new URLSearchParams({ q: query })}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: asking.signal,
        });
        if (!response.ok) throw new Error(`status ${response.status}`);
        populateResults((await response.json()).results);
      } catch (error) {
        // A newer question took its place, or the server did not answer: offer nothing.
        if (error.name !== "AbortError") populateResults([]);
      }
    }, WAIT_MS);
  };
}

for (const input of document.querySelectorAll("input[data-type-ahead]")) {
  const picked = document.getElementById(input.dataset.typeAheadPicked);
  if (!picked || !window.accessibleAutocomplete) continue;
  const box = document.createElement("div");
  input.before(box);
  input.remove();
  window.accessibleAutocomplete({
    element: box,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    minLength: 2,
    showNoOptionsFound: true,
    tNoResults: () => "No one of that name",
    inputClasses: input.classList.contains("govuk-input--error") ? "govuk-input--error" : "",
    source: source(input.dataset.typeAhead),
    templates: {
      inputValue: (person) => (typeof person === "string" ? person : (person?.name ?? "")),
      suggestion: (person) =>
        typeof person === "string"
          ? escaped(person)
          : `${escaped(person.name)}${person.team ? ` <span class="govuk-hint">${escaped(person.team)}</span>` : ""}`,
    },
    onConfirm: (person) => {
      if (person && typeof person !== "string") picked.value = person.id;
    },
  });
  const typed = document.getElementById(input.id);
  // A name changed after a pick is a new question, not the person picked.
  typed?.addEventListener("input", () => {
    picked.value = "";
  });
}
