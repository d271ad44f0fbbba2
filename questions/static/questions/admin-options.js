// Question admin: show only the option columns the chosen type uses, and name them for it.
// The server validates the same rules; this only keeps the form readable.
"use strict";

(() => {
  // Columns each type does not use; the text column's name per type comes from the server
  // (data-row-labels on the type select), translated.
  const hidden = {
    single: ["match"],
    multiple: ["match"],
    ordering: ["match", "is_correct"],
    matching: ["is_correct"],
  };

  const apply = (select) => {
    const type = select.value;
    const labels = JSON.parse(select.dataset.rowLabels || "{}");
    const spec = { hide: hidden[type] || [], text: labels[type] };
    for (const name of ["match", "is_correct"]) {
      const hide = spec.hide.includes(name);
      document.querySelectorAll(`.tabular th.column-${name}, .tabular td.field-${name}`).forEach((cell) => {
        cell.hidden = hide;
      });
    }
    if (!spec.text) return;
    document.querySelectorAll(".tabular th.column-text").forEach((cell) => {
      if (cell.firstChild && cell.firstChild.nodeType === Node.TEXT_NODE) cell.firstChild.textContent = `${spec.text} `;
    });
  };

  document.addEventListener("DOMContentLoaded", () => {
    const select = document.getElementById("id_type");
    if (!select) return;
    apply(select);
    select.addEventListener("change", () => apply(select));
    // Rows added with "Add another" start with every column: align them too.
    document.addEventListener("formset:added", () => apply(select));
  });
})();
