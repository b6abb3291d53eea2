"""Charts drawn on the server as SVG (no script, no CDN): the 12-period bars
of a dashboard tile, with the target as a dashed line."""

from django.utils.html import escape
from django.utils.safestring import mark_safe


def bars(points: list[dict], *, target=None, width=240, height=64, label="") -> str:
    """``points``: [{"label", "value", "display"}] oldest first (value None:
    nothing to draw, e.g. suppressed or "—")."""
    values = [p["value"] for p in points if isinstance(p.get("value"), int | float)]
    top = max(values + [float(target) if target is not None else 0, 1])
    n = max(len(points), 1)
    gap = 2
    bar_w = (width - gap * (n - 1)) / n
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 14}" width="{width}" '
        f'height="{height + 14}" role="img" aria-label="{escape(label)}">'
    ]
    for i, point in enumerate(points):
        x = i * (bar_w + gap)
        value = point.get("value")
        title = f"{escape(point.get('label', ''))}: {escape(point.get('display', ''))}"
        last = " last" if i == n - 1 else ""
        if isinstance(value, int | float) and value > 0:
            h = max(1.0, height * value / top)
            parts.append(
                f'<rect class="bar{last}" x="{x:.1f}" y="{height - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}"><title>{title}</title></rect>'
            )
        else:
            parts.append(
                f'<rect class="bar empty" x="{x:.1f}" y="{height - 1}" width="{bar_w:.1f}" '
                f'height="1"><title>{title}</title></rect>'
            )
    if target is not None and float(target) > 0:
        y = height - height * float(target) / top
        parts.append(f'<line class="target" x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"></line>')
    if points:
        parts.append(
            f'<text x="0" y="{height + 12}" class="axis">{escape(points[0].get("label", ""))}</text>'
            f'<text x="{width}" y="{height + 12}" class="axis" text-anchor="end">'
            f"{escape(points[-1].get('label', ''))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
