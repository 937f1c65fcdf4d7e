// Small progressive enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Put the keyboard focus on the first field with an error, so it is announced and fixable.
  const invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) invalid.focus();
});

// Canned replies: choosing one fills the reply box (the text stays editable).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-canned-target]");
  if (!select || !select.value) return;
  const box = select.form.elements[select.dataset.cannedTarget];
  box.value = box.value ? `${box.value}\n\n${select.value}` : select.value;
  box.focus();
});

// The staff queue refreshes itself every minute, keeping the filters (they are in the URL),
// and pauses while someone is typing in the filter form.
(() => {
  const results = document.getElementById("queue-results");
  if (!results) return;
  const note = document.getElementById("queue-updated");
  setInterval(async () => {
    if (document.activeElement && document.activeElement.closest("#queue-filters")) return;
    try {
      const response = await fetch(results.dataset.refreshUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      results.innerHTML = await response.text();
      labelCells(results);
      // in the portal's zone (JST), as every other time on the page, not the browser's
      const time = new Date().toLocaleTimeString(document.documentElement.lang || "ja",
        { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" });
      note.textContent = `${note.dataset.label || note.textContent.split(" · ")[0]} · ${time} JST`;
    } catch (error) { /* offline for a moment: try again next minute */ }
  }, 60000);
})();

// New request: the severity and Azure choices only matter for incidents; hide them for questions
// and backup-service requests (the server ignores them there anyway).
(() => {
  const form = document.querySelector("form [name=kind]")?.form;
  if (!form) return;
  const incidentOnly = [form.querySelector("fieldset.severities"),
    form.querySelector("#azure_component")?.closest(".field")].filter(Boolean);
  const update = () => {
    const service = form.elements.service?.value;
    const kind = form.querySelector("[name=kind]:checked")?.value;
    incidentOnly.forEach((element) => { element.hidden = Boolean(service) || kind !== "incident"; });
  };
  form.addEventListener("change", update);
  update();
})();

// "Already asked?": while a customer types the subject of a new request, their organisation's
// open requests like it (GET /requests/similar, an HTML fragment rendered by the portal).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("similar-open");
  const subject = document.querySelector("form [name=subject]");
  if (!box || !subject) return;
  let timer = null;
  let last = "";
  subject.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = subject.value.trim();
      if (text === last) return;
      last = text;
      if (text.length < 2) { box.innerHTML = ""; return; }
      const answer = await fetch(`${box.dataset.url}?subject=${encodeURIComponent(text)}`,
        {headers: {"Accept": "text/html"}, credentials: "same-origin"});
      if (answer.ok && subject.value.trim() === text) box.innerHTML = await answer.text();
    }, 300);
  });
});

// On a phone a table is shown as stacked rows (portal.css): each cell is named by its column,
// copied here from the table's header row.
function labelCells(root) {
  root.querySelectorAll("table").forEach((table) => {
    const headers = [...table.querySelectorAll("thead tr:last-child th")].map((th) => th.textContent.trim());
    if (!headers.length) return;
    table.querySelectorAll("tbody tr").forEach((row) => {
      let column = 0;
      [...row.children].forEach((cell) => {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", headers[column] || "");
        column += cell.colSpan || 1;
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", () => { const main = document.querySelector("main"); if (main) labelCells(main); });
