// The calendar link's Copy button: shown only where the browser can write to the clipboard,
// so without it (or without JavaScript) the link is selected and copied by hand.

const button = document.getElementById("copy-calendar-link");
const link = document.getElementById("calendar-link");
const status = document.getElementById("copy-status");

if (button && link && navigator.clipboard) {
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(link.value).then(
      () => {
        status.textContent = "The link is copied.";
      },
      () => {
        status.textContent = "Could not copy: select the link and copy it.";
      },
    );
  });
}
