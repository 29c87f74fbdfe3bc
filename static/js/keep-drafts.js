// Nothing lost: keep what was typed into a form if the connection drops or the session
// times out (the POST then goes to sign-in and comes back to the form as a GET).
//
// <form data-keep-draft="KEY">  saves every field to sessionStorage as it changes, and on
//                               page load puts a saved draft back, unless the page shows
//                               the server's errors (the server kept what was typed).
// <any data-draft-saved="KEY">  on the page after a successful save: forget that draft.
//
// sessionStorage, not localStorage: children's data leaves with the tab. No build step.

const PREFIX = "keep-draft:";
const NOT_KEPT = new Set(["hidden", "password", "file", "submit", "button", "reset", "image"]);
const NOTICE = "We restored what you typed before.";

function openStorage() {
  try {
    const storage = window.sessionStorage;
    storage.setItem(`${PREFIX}probe`, "1");
    storage.removeItem(`${PREFIX}probe`);
    return storage;
  } catch {
    return null; // Storage switched off or full: the form works as it always did.
  }
}

function keptFields(form) {
  return Array.from(form.elements).filter(
    (field) =>
      field.name &&
      !field.disabled &&
      field.name !== "csrfmiddlewaretoken" &&
      !NOT_KEPT.has(field.type),
  );
}

function read(form) {
  const draft = {};
  for (const field of keptFields(form)) {
    const { name } = field;
    if (field.type === "radio") {
      if (field.checked) draft[name] = field.value;
      else if (!(name in draft)) draft[name] = "";
    } else if (field.type === "checkbox") {
      draft[name] = draft[name] || [];
      if (field.checked) draft[name].push(field.value);
    } else if (field.type === "select-multiple") {
      draft[name] = Array.from(field.selectedOptions, (option) => option.value);
    } else {
      draft[name] = field.value;
    }
  }
  return draft;
}

// Put the draft back; true when anything on the page changed.
function write(form, draft) {
  let changed = false;
  for (const field of keptFields(form)) {
    if (!(field.name in draft)) continue;
    const saved = draft[field.name];
    if (field.type === "radio" || field.type === "checkbox") {
      const checked = Array.isArray(saved) ? saved.includes(field.value) : saved === field.value;
      if (field.checked !== checked) {
        field.checked = checked;
        changed = true;
      }
    } else if (field.type === "select-multiple") {
      for (const option of field.options) {
        const selected = Array.isArray(saved) && saved.includes(option.value);
        if (option.selected !== selected) {
          option.selected = selected;
          changed = true;
        }
      }
    } else if (typeof saved === "string" && field.value !== saved) {
      field.value = saved;
      changed = true;
    }
  }
  return changed;
}

function showNotice(form, storage, key) {
  const notice = document.createElement("div");
  notice.className = "govuk-inset-text";
  notice.setAttribute("role", "status");
  notice.dataset.draftNotice = key;
  const text = document.createElement("p");
  text.className = "govuk-body govuk-!-margin-bottom-2";
  text.textContent = NOTICE;
  const discard = document.createElement("button");
  discard.type = "button";
  discard.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
  discard.textContent = "Discard it and show what is saved";
  discard.addEventListener("click", () => {
    storage.removeItem(PREFIX + key);
    window.location.reload();
  });
  notice.append(text, discard);
  form.prepend(notice);
}

function keep(form, storage) {
  const key = form.dataset.keepDraft;
  const storageKey = PREFIX + key;
  const serverErrors =
    form.hasAttribute("data-draft-has-errors") ||
    document.querySelector(".govuk-error-summary") !== null;

  const saved = storage.getItem(storageKey);
  if (saved && !serverErrors) {
    try {
      if (write(form, JSON.parse(saved))) showNotice(form, storage, key);
    } catch {
      storage.removeItem(storageKey); // Not ours, or damaged: start afresh.
    }
  }

  const save = () => {
    try {
      storage.setItem(storageKey, JSON.stringify(read(form)));
    } catch {
      // Full: the form still posts as usual.
    }
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
}

function start() {
  const storage = openStorage();
  if (!storage) return;
  // Forget what the server has saved before restoring anything.
  for (const marker of document.querySelectorAll("[data-draft-saved]")) {
    storage.removeItem(PREFIX + marker.dataset.draftSaved);
  }
  for (const form of document.querySelectorAll("form[data-keep-draft]")) {
    keep(form, storage);
  }
}

start();
