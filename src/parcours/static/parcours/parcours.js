// Page behaviour that would otherwise be inline (the Content-Security-Policy
// allows scripts from static files only): data-print buttons print the page,
// data-autosubmit fields submit their form when changed.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
