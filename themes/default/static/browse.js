// Narrows the table on /intentions/ as the reader types or picks a filter. Progressive
// enhancement: without JavaScript the form stays hidden and the filter links above the table
// lead to pre-built pages. Each row carries its ids in data attributes (space-separated).
(function () {
  'use strict';
  var form = document.getElementById('browse-form');
  var table = document.getElementById('browse-table');
  var status = document.getElementById('browse-status');
  if (!form || !table || !status) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
  var text = document.getElementById('browse-text');
  var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-filter]'));
  var timer = null;

  function words(value) {
    return value.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function apply() {
    var wanted = words(text.value);
    var picks = selects
      .filter(function (s) { return s.value !== ''; })
      .map(function (s) { return { key: s.getAttribute('data-filter'), value: s.value }; });
    var shown = 0;
    rows.forEach(function (row, i) {
      var ok = wanted.every(function (w) { return texts[i].indexOf(w) !== -1; }) &&
        picks.every(function (p) {
          var ids = (row.getAttribute('data-' + p.key) || '').split(' ');
          return ids.indexOf(p.value) !== -1;
        });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    var total = rows.length;
    var filtered = wanted.length > 0 || picks.length > 0;
    status.textContent = !filtered ? '' :
      shown === 0 ? 'No intentions match. Clear the filters to see all ' + total + '.' :
      'Showing ' + shown + ' of ' + total + ' intentions.';
  }

  form.hidden = false;
  form.addEventListener('submit', function (event) { event.preventDefault(); apply(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  text.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 200);
  });
  apply();
})();
