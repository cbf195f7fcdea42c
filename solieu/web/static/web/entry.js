/* Data entry grid: spreadsheet keys, live totals, and safe ordering of saves and workflow.
 *
 * Saving is htmx's job (each cell is a small form posted on "change"). This file only moves
 * the focus like a spreadsheet, shows the sums of the parts next to a typed total, and keeps
 * a workflow button from leaving the page while a cell is still being saved. No inline code:
 * the CSP allows scripts from our own files only.
 */
(function () {
  "use strict";

  /* "1.234,5" -> 1234.5; international "1234.5" too; null when not a number. Display only:
   * the server reads the input again with solieu.vi.parse_number. */
  function parseVi(text) {
    var s = (text || "").replace(/[\s\u00a0\u202f]/g, "").replace("\u2212", "-");
    if (!s) return null;
    if (s.indexOf(",") >= 0) {
      s = s.replace(/\./g, "").replace(",", ".");
    } else if ((s.match(/\./g) || []).length > 1 || /^-?\d{1,3}\.\d{3}$/.test(s)) {
      s = s.replace(/\./g, "");
    }
    if (!/^[-+]?\d+(\.\d+)?$/.test(s)) return null;
    return parseFloat(s);
  }

  function formatVi(n) {
    var rounded = Math.round(n * 1e6) / 1e6;
    var parts = Math.abs(rounded).toFixed(6).replace(/0+$/, "").replace(/\.$/, "").split(".");
    var grouped = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (rounded < 0 ? "-" : "") + grouped + (parts[1] ? "," + parts[1] : "");
  }

  function valueInputs() {
    return Array.prototype.slice.call(document.querySelectorAll("input.v"));
  }

  function focusCell(input) {
    input.focus();
    input.select();
  }

  /* The cell below (or above): same column in the next row that has inputs, else that row's
   * total. Rows of a form have different breakdowns, so "same column" means same option. */
  function vertical(from, step) {
    var all = valueInputs();
    var i = all.indexOf(from);
    for (var j = i + step; j >= 0 && j < all.length; j += step) {
      if (all[j].dataset.row === from.dataset.row) continue;
      var row = all[j].dataset.row;
      var same = all.filter(function (x) { return x.dataset.row === row; });
      var target = same.filter(function (x) { return x.dataset.opt === from.dataset.opt; })[0] || same[0];
      focusCell(target);
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement) || !t.classList.contains("v")) return;
    if (e.key === "Enter" || e.key === "ArrowDown") {
      e.preventDefault();
      if (!vertical(t, 1) && e.key === "Enter") t.blur();  // last cell: leaving it saves it
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      vertical(t, -1);
    }
  });

  function sel(name, value) {
    return "[" + name + '="' + (window.CSS && CSS.escape ? CSS.escape(value) : value) + '"]';
  }

  /* Live totals: the sum of a row's columns, or of a total row's detail rows, next to the
   * typed total; marked when they differ (the server says the same on submit). */
  function recompute() {
    document.querySelectorAll("output.calc").forEach(function (out) {
      var row = out.dataset.row, opt = out.dataset.opt;
      var parts = out.dataset.calc === "options"
        ? document.querySelectorAll("input.v" + sel("data-row", row) + ":not([data-opt=TOTAL])")
        : document.querySelectorAll("input.v" + sel("data-parent", row) + sel("data-opt", opt));
      var sum = 0, any = false;
      parts.forEach(function (p) {
        var n = parseVi(p.value);
        if (n !== null) { sum += n; any = true; }
      });
      var typedInput = document.querySelector("input.v" + sel("data-row", row) + sel("data-opt", opt));
      var typed = typedInput ? parseVi(typedInput.value) : null;
      out.textContent = any ? out.dataset.label + ": " + formatVi(sum) : "";
      out.classList.toggle("off", any && typed !== null && Math.abs(typed - sum) > 1e-6);
    });
  }

  document.addEventListener("input", function (e) {
    if (e.target instanceof HTMLInputElement && e.target.classList.contains("v")) recompute();
  });
  document.addEventListener("htmx:afterSettle", recompute);
  document.addEventListener("DOMContentLoaded", recompute);

  /* A cell form is never submitted by the browser: htmx posts it on "change". A workflow
   * form waits for the cell being saved (blur fires "change" just before the click). */
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.classList.contains("cell")) {
      e.preventDefault();
    } else if (form.classList.contains("wf") && document.querySelector("form.cell.htmx-request")) {
      e.preventDefault();
      document.addEventListener("htmx:afterSettle", function () { form.requestSubmit(); }, { once: true });
    }
  });

  /* A cell that could not be saved must say so, never fail silently. An expired session
   * answers with the login page (after a redirect): it must not be swapped into the grid. */
  function cellProblem(form, text) {
    if (!form || !form.classList.contains("cell")) return;
    var p = form.querySelector(".msg-transport") || document.createElement("p");
    p.className = "msg msg-error msg-transport";
    p.setAttribute("role", "alert");
    p.textContent = text;
    form.appendChild(p);
    form.classList.add("has-error");
  }

  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/dang-nhap/") >= 0) {
      e.detail.shouldSwap = false;
      cellProblem(e.detail.elt, "Phiên làm việc đã hết: ô này chưa được lưu. Hãy đăng nhập lại rồi nhập lại.");
    }
  });
  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    cellProblem(e.detail.elt, status === 403
      ? "Máy chủ từ chối lưu ô này (phiên làm việc đã hết hoặc bạn không có quyền): ô chưa được lưu. "
        + "Hãy tải lại trang."
      : "Máy chủ gặp lỗi (mã " + status + "): ô này chưa được lưu. Hãy tải lại trang rồi nhập lại.");
  });
  document.addEventListener("htmx:sendError", function (e) {
    cellProblem(e.detail.elt, "Mất kết nối tới máy chủ: ô này chưa được lưu. Hãy kiểm tra mạng rồi nhập lại.");
  });

  /* Links from the list of issues put the cursor in the cell they name. */
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href^='#o-']") : null;
    if (!a) return;
    var cell = document.getElementById(a.getAttribute("href").slice(1));
    var input = cell && cell.querySelector("input.v");
    if (input) {
      e.preventDefault();
      cell.scrollIntoView({ block: "center" });
      focusCell(input);
    }
  });
})();
