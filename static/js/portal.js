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

// Attachments: a file over the server's limit (data-max-bytes, from the portal's setting) is
// refused here, before anything is uploaded, with the message the page carries in the viewer's
// language; the form keeps everything typed. The server checks again (tickets/attachments.py).
function oversizedFiles(input) {
  const limit = Number(input.dataset.maxBytes);
  return Array.from(input.files || []).filter((file) => file.size > limit);
}
function showFileError(input) {
  const tooLarge = oversizedFiles(input);
  let note = document.getElementById(input.id + "-size-error");
  if (!tooLarge.length) {
    if (note) note.remove();
    input.removeAttribute("aria-invalid");
    return true;
  }
  if (!note) {
    note = document.createElement("p");
    note.className = "error";
    note.id = input.id + "-size-error";
    note.setAttribute("role", "alert");
    input.insertAdjacentElement("afterend", note);
  }
  note.textContent = input.dataset.tooLarge.replace("%(names)s", tooLarge.map((f) => f.name).join(", "));
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", note.id);
  return false;
}
document.addEventListener("change", (event) => {
  if (event.target.matches && event.target.matches("input[type=file][data-max-bytes]")) {
    showFileError(event.target);
  }
});
document.addEventListener("submit", (event) => {
  const inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
  const fine = Array.from(inputs).map(showFileError).every(Boolean);
  if (!fine) {
    event.preventDefault();
    inputs[0].focus();
  }
});

// Passkeys (WebAuthn): a form with data-passkey-create (registration) or data-passkey-get
// (sign-in) holds the server's options as JSON; its button asks the browser, puts the answer
// (JSON, binary fields in base64url) into the hidden "credential" field and sends the form.
(() => {
  const fromB64 = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
  };
  const toB64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const withBuffers = (options) => {
    options.challenge = fromB64(options.challenge);
    if (options.user) options.user.id = fromB64(options.user.id);
    for (const key of ["excludeCredentials", "allowCredentials"]) {
      (options[key] || []).forEach((item) => { item.id = fromB64(item.id); });
    }
    return options;
  };
  const answer = (credential) => {
    const response = {};
    for (const key of ["clientDataJSON", "attestationObject", "authenticatorData", "signature", "userHandle"]) {
      if (credential.response[key]) response[key] = toB64(credential.response[key]);
    }
    if (credential.response.getTransports) response.transports = credential.response.getTransports();
    return JSON.stringify({ id: credential.id, rawId: toB64(credential.rawId), type: credential.type,
      response, clientExtensionResults: credential.getClientExtensionResults() });
  };
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-passkey-button]");
    if (!button) return;
    const form = button.form;
    const creating = "passkeyCreate" in form.dataset;
    const options = withBuffers(JSON.parse(creating ? form.dataset.passkeyCreate : form.dataset.passkeyGet));
    try {
      const credential = creating ? await navigator.credentials.create({ publicKey: options })
        : await navigator.credentials.get({ publicKey: options });
      form.elements.credential.value = answer(credential);
      form.submit();
    } catch (error) {
      form.elements.credential.value = "{}";  // the server answers with a clear message
      form.submit();
    }
  });
})();

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

// Knowledge-base suggestions beside the new-request form: as the subject and description are
// typed, the articles like them and what filing will cost this month (GET /knowledge/suggestions,
// an HTML fragment). Debounced; the box keeps its place and size, so the form never jumps.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("article-suggestions");
  const results = document.getElementById("article-suggestions-results");
  const form = document.getElementById("new-request-form");
  if (!box || !results || !form) return;
  let timer = null;
  let last = "";
  let controller = null;
  const fields = () => ({
    subject: form.elements.subject.value.trim(), body: form.elements.body.value.trim().slice(0, 2000),
    kind: form.querySelector("[name=kind]:checked")?.value || "question",
    severity: form.querySelector("[name=severity]:checked")?.value || "",
  });
  const refresh = async () => {
    const wanted = fields();
    const key = JSON.stringify(wanted);
    if (key === last || (wanted.subject + wanted.body).length < 2) return;
    last = key;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const answer = await fetch(`${box.dataset.url}?${new URLSearchParams(wanted)}`,
        {headers: {"Accept": "text/html"}, credentials: "same-origin", signal: controller.signal});
      if (answer.ok && JSON.stringify(fields()) === key) results.innerHTML = await answer.text();
    } catch (error) { /* superseded or offline: the next keystroke tries again */ }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 300); };
  form.addEventListener("input", (event) => {
    if (["subject", "body"].includes(event.target.name)) later();
  });
  form.addEventListener("change", (event) => {
    if (["kind", "severity"].includes(event.target.name)) later();
  });
  if (form.elements.subject.value || form.elements.body.value) refresh();
});

// Workshop booking: "More rows" adds one empty attendee row in the page and puts the cursor in
// it, keeping every row typed. Without JavaScript the button sends the form, and the portal
// shows it again as typed with more rows (workshops/views.py). Never more rows than seats.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-add-row]");
  if (!button) return;
  const table = document.getElementById(button.dataset.addRow);
  const body = table && table.tBodies[0];
  const last = body && body.rows[body.rows.length - 1];
  if (!last) return;
  event.preventDefault();
  const index = body.rows.length;
  const renumber = (text) => text.replace(/-\d+-/, `-${index}-`);
  const row = last.cloneNode(true);
  row.cells[0].textContent = String(index + 1);
  row.querySelectorAll("input").forEach((input) => {
    input.name = renumber(input.name);
    input.id = renumber(input.id);
    input.value = "";
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  });
  row.querySelectorAll("label").forEach((label) => {
    label.htmlFor = renumber(label.htmlFor);
    label.textContent = label.textContent.replace(/\d+\s*$/, String(index + 1));
  });
  row.querySelectorAll(".error").forEach((note) => note.remove());
  row.querySelectorAll(".has-error").forEach((cell) => cell.classList.remove("has-error"));
  body.appendChild(row);
  row.querySelector("input").focus();
  if (body.rows.length >= Number(table.dataset.maxRows || Infinity)) button.hidden = true;
});
