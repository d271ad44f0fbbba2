// Question admin: show only the option columns the chosen type uses, and name them for it.
// The server validates the same rules; this only keeps the form readable.
"use strict";

(() => {
  // Per type, from the server (data-type-columns on the type select, questions.types):
  // the columns it does not use and its text column's name, translated.
  const apply = (select) => {
    const columns = JSON.parse(select.dataset.typeColumns || "{}");
    const spec = columns[select.value] || { hide: [] };
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
