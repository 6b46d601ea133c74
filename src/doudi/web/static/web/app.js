/* Charts of the pages: each <div data-chart="kind" data-source="id"> reads its data
   from the JSON script element of that id (json_script: no inline script, so the
   content-security policy can forbid them). Runs on load and after htmx swaps.
   A legend is one scrolling line at the top and the plot starts below it and the
   axis name (grid.top), its axis labels inside the chart (containLabel): many payers'
   names wrapped the legend onto the axis' "元", rotated county names fell off. */
(function () {
  "use strict";

  function data(el) {
    var node = document.getElementById(el.dataset.source);
    return node ? JSON.parse(node.textContent) : null;
  }

  function day(text) { return text ? new Date(text + "T00:00:00").getTime() : null; }

  /* Baseline against reform, one pair of bars per label (政策测算). */
  function compared(c, bottom) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["基准", "测算"] },
      grid: { left: 80, right: 16, top: 40, bottom: bottom },
      xAxis: { type: "category", data: c.labels, axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: "value", name: "元" },
      series: [
        { name: "基准", type: "bar", data: c.baseline.map(Number) },
        { name: "测算", type: "bar", data: c.reform.map(Number) }
      ]
    };
  }

  var builders = {
    coverage: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", top: 0, data: ["养老保险参保率", "医疗保险参保率"] },
        grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: d.counties, axisLabel: { rotate: 30 } },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: "养老保险参保率", type: "bar", data: d.pension_rate },
          { name: "医疗保险参保率", type: "bar", data: d.medical_rate }
        ]
      };
    },
    "payers-by-year": function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", top: 0, data: d.series.map(function (s) { return s.name; }) },
        grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: d.years },
        yAxis: { type: "value", name: "元" },
        series: d.series.map(function (s) {
          return { name: s.name, type: "bar", stack: s.stack, data: s.data.map(Number) };
        })
      };
    },
    pie: function (d) {
      return {
        tooltip: { trigger: "item", formatter: "{b}：{c} 元（{d}%）" },
        series: [{
          type: "pie", radius: ["35%", "65%"],
          data: d.labels.map(function (label, i) { return { name: label, value: Number(d.values[i]) }; })
        }]
      };
    },
    waterfall: function (d) {
      var values = d.values.map(Number), base = [], running = 0;
      values.forEach(function (v) { base.push(running); running += v; });
      return {
        tooltip: { trigger: "axis", formatter: function (p) { var b = p[p.length - 1]; return b.name + "：" + b.value.toFixed(2) + " 元"; } },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: d.labels, axisLabel: { rotate: 30 } },
        yAxis: { type: "value", name: "元" },
        series: [
          { type: "bar", stack: "w", data: base, itemStyle: { color: "transparent" }, emphasis: { disabled: true } },
          { type: "bar", stack: "w", data: values, label: { show: true, position: "top" } }
        ]
      };
    },
    "costing-payers": function (d) {
      return compared(d.payers, 96);
    },
    "costing-regions": function (d) {
      return compared(d.regions, 64);
    },
    "costing-distribution": function (d) {
      var c = d.distribution;
      return {
        tooltip: { trigger: "axis", formatter: function (p) { return p[0].name + "：" + p[0].value + " 人"; } },
        grid: { left: 56, right: 16, top: 24, bottom: 96 },
        xAxis: { type: "category", data: c.labels, axisLabel: { rotate: 40, interval: 0 } },
        yAxis: { type: "value", name: "人", minInterval: 1 },
        series: [{ name: "人数", type: "bar", barCategoryGap: "4%", data: c.people }]
      };
    },
    timeline: function (d) {
      var rows = [], items = [], end = day(d.today);
      d.statuses.forEach(function (s) {
        if (rows.indexOf(s.label) < 0) { rows.push(s.label); }
        items.push({ row: s.label, from: day(s.from), to: s.to ? day(s.to) : end, kind: "status" });
      });
      d.enrollments.forEach(function (e) {
        if (rows.indexOf(e.label) < 0) { rows.push(e.label); }
        items.push({ row: e.label, from: day(e.from), to: e.to ? day(e.to) : end, kind: "enrollment" });
      });
      var colors = { status: "#c0392b", enrollment: "#2471a3" };
      return {
        tooltip: { formatter: function (p) {
          var v = p.value; return v[3] + "：" + new Date(v[1]).toISOString().slice(0, 10) + " 至 " + new Date(v[2]).toISOString().slice(0, 10);
        } },
        grid: { left: 150, right: 24, top: 16, bottom: 32 },
        xAxis: { type: "time" },
        yAxis: { type: "category", data: rows },
        series: [{
          type: "custom",
          encode: { x: [1, 2], y: 0 },
          data: items.map(function (it) { return { value: [rows.indexOf(it.row), it.from, it.to, it.row], itemStyle: { color: colors[it.kind] } }; }),
          renderItem: function (params, api) {
            var start = api.coord([api.value(1), api.value(0)]);
            var stop = api.coord([api.value(2), api.value(0)]);
            var height = api.size([0, 1])[1] * 0.5;
            return {
              type: "rect",
              shape: { x: start[0], y: start[1] - height / 2, width: Math.max(stop[0] - start[0], 2), height: height },
              style: api.style()
            };
          }
        }]
      };
    }
  };

  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var d = data(el), build = builders[el.dataset.chart];
      if (!d || !build || el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      var option = build(d);
      option.animation = false;  // drawn at once: what a screenshot or a printout shows
      echarts.init(el).setOption(option);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
  document.addEventListener("htmx:configRequest", function (e) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { e.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
