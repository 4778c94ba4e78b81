// The admin's periodic-task form (django-celery-beat): shows the chosen crontab in
// words under the field. django-celery-beat ships this as an inline script, which the
// Content-Security-Policy blocks; templates/admin/djcelery/ loads this file instead.
(function () {
  "use strict";
  var $ = window.django && window.django.jQuery;
  if (!$) return;
  $(function () {
    var data = document.getElementById("readable-crontabs");
    var me = document.getElementById("periodic-task-overrides");
    if (!data || !me) return;
    var readableCrontabs = JSON.parse(data.textContent);
    var help = $(".field-crontab .help");
    var originalHelp = me.getAttribute("data-crontab-help") || "";
    var inWords = me.getAttribute("data-in-words") || "";
    $(".field-crontab_translation").hide();
    $(".field-crontab").change(function () {
      var words = readableCrontabs[$("#id_crontab").val()];
      help.text(originalHelp);
      if (words) {
        help.append(document.createElement("br"), document.createTextNode(inWords + " " + words));
      }
    });
  });
})();
