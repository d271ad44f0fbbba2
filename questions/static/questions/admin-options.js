// Question admin: show only the option columns the chosen type uses, and name them for it.
// The server validates the same rules; this only keeps the form readable.
"use strict";

(() => {
  const columns = {
    single: { hide: ["match"], text: "Choice" },
    multiple: { hide: ["match"], text: "Choice" },
    ordering: { hide: ["match", "is_correct"], text: "Item" },
    matching: { hide: ["is_correct"], text: "Prompt" },
  };

  const apply = (type) => {
    const spec = columns[type] || { hide: [], text: "Text" };
    for (const name of ["match", "is_correct"]) {
      const hidden = spec.hide.includes(name);
      document.querySelectorAll(`.tabular th.column-${name}, .tabular td.field-${name}`).forEach((cell) => {
        cell.hidden = hidden;
      });
    }
    document.querySelectorAll(".tabular th.column-text").forEach((cell) => {
      if (cell.firstChild && cell.firstChild.nodeType === Node.TEXT_NODE) cell.firstChild.textContent = `${spec.text} `;
    });
  };

  document.addEventListener("DOMContentLoaded", () => {
    const select = document.getElementById("id_type");
    if (!select) return;
    apply(select.value);
    select.addEventListener("change", () => apply(select.value));
    // Rows added with "Add another" start with every column: align them too.
    document.addEventListener("formset:added", () => apply(select.value));
  });
})();
