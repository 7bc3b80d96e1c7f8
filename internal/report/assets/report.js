(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-status]"));
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-card]"));
  var count = document.getElementById("filter-count");
  var empty = document.getElementById("filter-empty");
  var fields = ["f-severity", "f-status", "f-check", "f-criterion", "f-search"];

  function value(id) {
    var el = document.getElementById(id);
    return el ? el.value : "";
  }

  function apply() {
    var sev = value("f-severity");
    var status = value("f-status");
    var check = value("f-check");
    var crit = value("f-criterion");
    var q = value("f-search").trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!sev || r.getAttribute("data-severity") === sev) &&
        (!status || r.getAttribute("data-status") === status) &&
        (!check || r.getAttribute("data-check") === check) &&
        (!crit || (" " + r.getAttribute("data-criteria") + " ").indexOf(" " + crit + " ") >= 0) &&
        (!q || (r.textContent + " " + r.getAttribute("data-resource")).toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) {
        shown++;
      }
    });
    var cardsShown = 0;
    cards.forEach(function (c) {
      var any = c.querySelector("tr[data-status]:not([hidden])") !== null;
      c.hidden = !any;
      if (any) {
        cardsShown++;
      }
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " results in " +
      cardsShown + " of " + cards.length + " resources.";
    empty.hidden = shown !== 0;
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });

  // Summary links set a filter, then show the results.
  Array.prototype.forEach.call(document.querySelectorAll("a[data-filter]"), function (a) {
    a.addEventListener("click", function (e) {
      var target = document.getElementById(a.getAttribute("data-filter"));
      if (!target) {
        return;
      }
      e.preventDefault();
      fields.forEach(function (id) {
        var el = document.getElementById(id);
        if (el) {
          el.value = "";
        }
      });
      target.value = a.getAttribute("data-value");
      apply();
      document.getElementById("results").scrollIntoView();
      target.focus();
    });
  });

  // Print everything that is folded away.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      d.setAttribute("data-was-open", d.open ? "1" : "0");
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-was-open]"), function (d) {
      d.open = d.getAttribute("data-was-open") === "1";
      d.removeAttribute("data-was-open");
    });
  });

  apply();
})();
