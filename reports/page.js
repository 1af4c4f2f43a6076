// The script inside report.html: draws the timeline charts with uPlot from the data the renderer put
// in #run-data, shading fault windows and marking moments on every chart. Plain JavaScript because it
// is inlined into the page as is, with no build step; reports/html-timeline.ts shapes its input.

(() => {
  const data = JSON.parse(document.getElementById('run-data').textContent);
  const tl = data.timeline;
  const host = document.getElementById('charts');
  const ratio = () => uPlot.pxRatio || 1;
  const seconds = (v) => (v == null ? '-' : `${v.toFixed(v < 10 ? 2 : 1)}s`);
  const number = (v, unit) =>
    v == null
      ? '-'
      : `${Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100}${unit === 'ms' ? 'ms' : ''}`;

  // Places labels in rows so that they do not overlap; returns the row index for a span.
  const rows = () => {
    const taken = [];
    return (x0, x1) => {
      for (let r = 0; ; r++) {
        taken[r] = taken[r] || [];
        if (!taken[r].some(([a, b]) => x0 < b && x1 > a)) {
          taken[r].push([x0, x1]);
          return r;
        }
      }
    };
  };

  const label = (ctx, text, x, y, colour, bold) => {
    const px = ratio();
    ctx.font = `${bold ? '600 ' : ''}${11 * px}px system-ui, sans-serif`;
    const w = ctx.measureText(text).width + 6 * px;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(x, y, w, 15 * px);
    ctx.fillStyle = colour;
    // uPlot leaves the context right-aligned after drawing axis labels.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(text, x + 3 * px, y + 2 * px);
    return w;
  };

  const bandsFor = (id) => tl.bands.filter((b) => b.chart === undefined || b.chart === id);
  const markersFor = (id) => tl.markers.filter((m) => m.chart === undefined || m.chart === id);
  const MARK_COLOUR = {
    phase: '#777777',
    dark: '#B00020',
    climb: '#B00020',
    error: '#B00020',
    effect: '#7A4D00',
  };

  // Fault windows and the probe gap, under the grid and the series; at least 3px wide so an instant
  // fault (a recycle) is still seen.
  const drawBands = (id) => (u) => {
    const { ctx, bbox } = u;
    const px = ratio();
    ctx.save();
    for (const b of bandsFor(id)) {
      const x0 = u.valToPos(b.from, 'x', true);
      const x1 = Math.max(u.valToPos(b.to, 'x', true), x0 + 3 * px);
      if (b.kind === 'fault') ctx.fillStyle = 'rgba(230,159,0,0.28)';
      else if (b.kind === 'outage') ctx.fillStyle = 'rgba(120,120,120,0.16)';
      else ctx.fillStyle = 'rgba(213,94,0,0.12)';
      ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
      // An outage is hatched: nothing succeeded there, so no line is drawn through it.
      if (b.kind === 'outage') {
        ctx.save();
        ctx.beginPath();
        ctx.rect(x0, bbox.top, x1 - x0, bbox.height);
        ctx.clip();
        ctx.strokeStyle = 'rgba(90,90,90,0.35)';
        ctx.lineWidth = px;
        for (let x = x0 - bbox.height; x < x1; x += 8 * px) {
          ctx.beginPath();
          ctx.moveTo(x, bbox.top + bbox.height);
          ctx.lineTo(x + bbox.height, bbox.top);
          ctx.stroke();
        }
        ctx.restore();
      }
      if (b.kind === 'gap') {
        ctx.strokeStyle = 'rgba(176,0,32,0.8)';
        ctx.lineWidth = 1.5 * px;
        ctx.setLineDash([4 * px, 3 * px]);
        ctx.strokeRect(x0, bbox.top, x1 - x0, bbox.height);
        ctx.setLineDash([]);
      }
    }
    ctx.restore();
  };

  // Labels of the bands and the marks, over the series.
  const drawMarks = (id) => (u) => {
    const { ctx, bbox } = u;
    const px = ratio();
    const top = rows();
    const bottom = rows();
    ctx.save();
    for (const b of bandsFor(id)) {
      const x0 = u.valToPos(b.from, 'x', true);
      const text = b.label;
      ctx.font = `${11 * px}px system-ui, sans-serif`;
      const w = ctx.measureText(text).width + 6 * px;
      const x = Math.min(x0 + 2 * px, bbox.left + bbox.width - w);
      const r = top(x, x + w);
      const colour = b.kind === 'fault' ? '#7A4D00' : b.kind === 'outage' ? '#444444' : '#B00020';
      label(ctx, text, x, bbox.top + 2 * px + r * 16 * px, colour, true);
    }
    for (const m of markersFor(id)) {
      const x = u.valToPos(m.t, 'x', true);
      const colour = MARK_COLOUR[m.kind];
      ctx.strokeStyle = colour;
      ctx.lineWidth = (m.kind === 'phase' ? 1 : 2) * px;
      ctx.setLineDash(m.kind === 'phase' ? [3 * px, 3 * px] : m.kind === 'effect' ? [6 * px, 2 * px] : []);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = `${m.kind === 'phase' ? '' : '600 '}${11 * px}px system-ui, sans-serif`;
      const w = ctx.measureText(m.label).width + 6 * px;
      const lx = Math.min(x + 2 * px, bbox.left + bbox.width - w);
      if (m.kind === 'phase') {
        const r = bottom(lx, lx + w);
        label(ctx, m.label, lx, bbox.top + bbox.height - (r + 1) * 16 * px, colour, false);
      } else {
        const r = top(lx, lx + w);
        label(ctx, m.label, lx, bbox.top + 2 * px + r * 16 * px, colour, true);
      }
    }
    ctx.restore();
  };

  const charts = [];
  const widthOf = (el) => Math.max(320, el.clientWidth);

  for (const spec of tl.charts) {
    const box = document.createElement('figure');
    box.className = 'chart';
    box.id = `chart-${spec.id}`;
    const title = document.createElement('figcaption');
    title.innerHTML = '<b></b> <span class="note"></span>';
    title.firstChild.textContent = spec.title;
    title.lastChild.textContent = spec.note;
    box.appendChild(title);
    const plot = document.createElement('div');
    box.appendChild(plot);
    host.appendChild(box);
    const points = spec.series.reduce((n, s) => n + s.v.filter((v) => v != null).length, 0);
    if (points === 0) {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = 'Nothing was recorded for this chart.';
      plot.appendChild(empty);
      charts.push({ id: spec.id, title: spec.title, points, series: [], plot: null });
      continue;
    }
    const aligned = uPlot.join(spec.series.map((s) => [s.t, s.v]));
    // uPlot.join leaves undefined where a series has no reading at an x (the line goes on across it);
    // null is a window with nothing to draw (no session succeeded), a break in the line. A log scale
    // needs zeroes left out rather than drawn at the bottom.
    const plotData = aligned.map((col, i) =>
      i === 0 || !spec.log
        ? col
        : col.map((v) => (v === null ? null : v === undefined || v <= 0 ? undefined : v)),
    );
    const rawAt = spec.series.map((s) => (s.raw ? new Map(s.t.map((t, i) => [t, s.raw[i]])) : null));
    const opts = {
      width: widthOf(host),
      height: 220,
      scales: {
        x: { time: false, range: () => [0, tl.end] },
        y: spec.log ? { distr: 3 } : { range: (u, min, max) => [0, max > 0 ? max * 1.08 : 1] },
      },
      axes: [
        {
          values: (u, vals) => vals.map((v) => `${v}s`),
          label: 'run time',
          labelSize: 16,
          labelFont: '11px system-ui, sans-serif',
        },
        { label: spec.unit, size: 56, labelSize: 18 },
      ],
      series: [
        { label: 'run time', value: (u, v) => seconds(v) },
        ...spec.series.map((s, si) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? (s.style === 'area' ? 1 : 1.5),
          dash: s.dash ? [6, 4] : undefined,
          fill: s.style === 'area' ? s.color : undefined,
          paths: s.style === 'points' ? () => null : undefined,
          points:
            s.style === 'points'
              ? { show: true, size: 6, width: 1, stroke: s.color, fill: s.color }
              : { show: false },
          value: (u, v, _si, idx) => {
            if (rawAt[si] && idx != null) return number(rawAt[si].get(u.data[0][idx]), spec.unit);
            return number(v, spec.unit);
          },
        })),
      ],
      cursor: { sync: { key: 'run' }, points: { show: false } },
      legend: { live: true },
      hooks: { drawClear: [drawBands(spec.id)], draw: [drawMarks(spec.id)] },
    };
    const u = new uPlot(opts, plotData, plot);
    charts.push({
      id: spec.id,
      title: spec.title,
      points,
      series: spec.series.map((s) => ({ label: s.label, points: s.v.filter((v) => v != null).length })),
      plot: u,
    });
  }

  let pending = 0;
  window.addEventListener('resize', () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      for (const c of charts) if (c.plot) c.plot.setSize({ width: widthOf(host), height: 220 });
    }, 100);
  });

  // For people poking at the page and for the page's own tests: what was drawn.
  window.nettcpChaosReport = { charts, ready: true };
})();
