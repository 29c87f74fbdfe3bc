// The case note's Copy button: shown only where the browser can write to the clipboard, so
// without it (or without JavaScript) the text is selected and copied by hand.

const button = document.getElementById("copy-case-note");
const text = document.getElementById("case-note-text");
const status = document.getElementById("copy-status");

if (button && text && navigator.clipboard) {
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(text.value).then(
      () => {
        status.textContent = "The case note is copied.";
      },
      () => {
        status.textContent = "Could not copy: select the text and copy it.";
      },
    );
  });
}
