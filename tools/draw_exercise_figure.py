"""Draw the exercise figure: docs/images/reverse-hyperextension{,-narrow,-print}.svg,
and the link-preview card around it (social.svg).

A side view of a reverse hyperextension machine as built (a high top pad that carries
the torso, handles at its front end, an ankle roller on an arm that swings from a
pivot behind the pad) with a person on it: START (legs hanging, dashed outline) and
FINISH (legs raised until the thighs are parallel to the floor, solid), the no-go zone
above parallel hatched, and badges numbered 1-5 as the steps on the exercise page,
the handout's card and docs/exercise.md's step list:

  1 hips at the pad's back edge   2 ankles under the roller   3 grip the handles
  4 raise to parallel             5 lower slowly

Every label stays at least 10 pt when the drawing is printed 90 mm wide (the card):
font size >= viewBox width / 25.5. The labels' font (digits and the few words used)
is embedded as a small subset, so the drawing looks the same in every browser and in
the PDF, which cannot reach the page's web fonts from an <img>.

Run: python -m tools.draw_exercise_figure   (writes the three files; needs fontTools
and brotli, both in the dev requirements through WeasyPrint)
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
LABEL_FONT = ROOT / "docs" / "fonts" / "atkinson-hyperlegible-next-latin-700-normal.woff2"
PRINT_WIDTH_PT = 90 / 25.4 * 72  # 90 mm in points
MIN_LABEL_PT = 10.0


@dataclass(frozen=True)
class Palette:
    card: str  # the drawing's background
    ink: str  # the person (finish), text
    ghost: str  # the person at the start (dashed outline)
    ghost_fill: str
    body: str  # the person's torso, head, arms
    machine: str  # frame
    pad: str  # upholstery (pad, roller)
    accent: str  # badges, the movement arrows
    on_accent: str
    stop: str  # the no-go zone and its line
    stop_fill: str
    floor: str


COLOUR = Palette(
    card="#ffffff",
    ink="#211a1e",
    ghost="#7a1f4e",
    ghost_fill="#f6e8ee",
    body="#7a1f4e",
    machine="#a59ca1",
    pad="#2e2a2c",
    accent="#211a1e",
    on_accent="#ffffff",
    stop="#8f1c17",
    stop_fill="#fdecea",
    floor="#8d8489",
)

# The card prints in black and white: greys only, the no-go zone by its hatching.
GREY = Palette(
    card="#ffffff",
    ink="#000000",
    ghost="#333333",
    ghost_fill="#f0f0f0",
    body="#333333",
    machine="#a6a6a6",
    pad="#1a1a1a",
    accent="#000000",
    on_accent="#ffffff",
    stop="#000000",
    stop_fill="#f2f2f2",
    floor="#808080",
)

Point = tuple[float, float]


def add(p: Point, q: Point) -> Point:
    return (p[0] + q[0], p[1] + q[1])


def scale(v: Point, k: float) -> Point:
    return (v[0] * k, v[1] * k)


def polar(angle_deg: float, r: float) -> Point:
    """A vector at `angle_deg` (0 = to the right, 90 = down: SVG's y grows downward)."""
    a = math.radians(angle_deg)
    return (r * math.cos(a), r * math.sin(a))


def el(tag: str, text: str = "", **attributes: object) -> str:
    """An SVG element; attribute names are written with "-" for "_" (stroke_width)."""
    attrs = "".join(f' {name.rstrip("_").replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f"<{tag}{attrs}>{text}</{tag}>" if text else f"<{tag}{attrs}/>"


def fmt(p: Point) -> str:
    return f"{p[0]:.1f},{p[1]:.1f}"


@dataclass(frozen=True)
class Layout:
    """Where things are in one variant of the drawing (viewBox units)."""

    width: int
    height: int
    dx: float  # shift of the whole scene
    dy: float
    label_size: float  # font size of every label (>= width / 25.5)
    words_start: Point  # where "Start" and "Finish" are written
    words_finish: Point


WIDE = Layout(800, 560, 0, 0, 32, (392, 505), (790, 268))
# The phone variant: the same scene cropped closer, so it is drawn 11 % larger.
NARROW = Layout(720, 540, -76, -8, 32, (392, 505), (790, 268))

# The scene (before a layout's shift): a 300-unit leg from a hip at HIP.
FLOOR_Y = 530.0
PAD_TOP, PAD_BOTTOM = 198.0, 228.0
PAD_FRONT, PAD_BACK = 150.0, 430.0
HIP: Point = (440.0, 180.0)
LEG = 290.0
ROLLER_AT = 262.0  # how far down the leg the roller sits (the lower shin)
ROLLER_R = 17.0
START_ANGLE = 90.0  # legs hanging straight down
FINISH_ANGLE = 0.0  # thighs parallel to the floor, in line with the body
NO_GO = 28.0  # the hatched zone: from parallel up to this many degrees above it


def leg_outline(angle: float) -> str:
    """A straight leg from the hip at `angle`: a tapered thigh and shin and a foot."""
    d = polar(angle, 1)
    n = polar(angle - 90, 1)  # the leg's back (up when raised, behind when hanging)
    hip_w, knee_w, ankle_w = 19.0, 14.0, 9.0
    knee = add(HIP, scale(d, LEG * 0.52))
    ankle = add(HIP, scale(d, LEG))
    toe_dir = polar(angle + 90, 1)  # the sole faces back: the toes point down or forward
    heel = add(add(ankle, scale(d, 12)), scale(n, ankle_w * 0.7))
    sole = add(add(ankle, scale(d, 16)), scale(toe_dir, 14))
    toe = add(add(ankle, scale(d, 12)), scale(toe_dir, 40))
    toe_top = add(add(ankle, scale(d, 2)), scale(toe_dir, 38))
    pts = [
        add(HIP, scale(n, hip_w)),
        add(knee, scale(n, knee_w)),
        add(ankle, scale(n, ankle_w)),
        heel,
        sole,
        toe,
        toe_top,
        add(ankle, scale(toe_dir, ankle_w)),
        add(knee, scale(n, -knee_w)),
        add(HIP, scale(n, -hip_w)),
    ]
    return "M" + " L".join(fmt(p) for p in pts) + " Z"


def roller_centre(angle: float) -> Point:
    d = polar(angle, 1)
    n = polar(angle - 90, 1)
    return add(add(HIP, scale(d, ROLLER_AT)), scale(n, 9 + ROLLER_R))


def pivot() -> Point:
    """The arm's pivot: on the frame behind the pad, equally far from the roller at the
    start and at the finish (so one rigid arm reaches both)."""
    s, f = roller_centre(START_ANGLE), roller_centre(FINISH_ANGLE)
    mid = scale(add(s, f), 0.5)
    along = (f[0] - s[0], f[1] - s[1])
    bis = (along[1], -along[0])
    norm = math.hypot(*bis)
    bis = scale(bis, 1 / norm)
    # the point on the bisector nearest the wanted spot, just behind and below the pad
    want = (PAD_BACK + 50, PAD_BOTTOM + 5)
    t = (want[0] - mid[0]) * bis[0] + (want[1] - mid[1]) * bis[1]
    return add(mid, scale(bis, t))


def hatch_lines(x0: float, y0: float, x1: float, y1: float, gap: float) -> str:
    """Diagonal lines (45 degrees) covering a box, for a clipped hatching."""
    out = []
    k = x0 - (y1 - y0)
    while k < x1:
        out.append(f"M{k:.1f},{y1:.1f} L{k + (y1 - y0):.1f},{y0:.1f}")
        k += gap
    return " ".join(out)


def arc(r: float, a0: float, a1: float) -> str:
    p0, p1 = add(HIP, polar(a0, r)), add(HIP, polar(a1, r))
    sweep = 1 if a1 > a0 else 0
    return f"M{fmt(p0)} A{r:.0f},{r:.0f} 0 0 {sweep} {fmt(p1)}"


def arrow_head(r: float, angle: float, towards: int, size: float = 16) -> str:
    """An arrowhead at `angle` on the circle of radius r, pointing along the circle
    (towards=-1: to smaller angles, i.e. upward here)."""
    tip = add(HIP, polar(angle, r))
    tangent = polar(angle + 90 * towards, 1)
    normal = polar(angle, 1)
    back = add(tip, scale(tangent, -size))
    left = add(back, scale(normal, size * 0.55))
    right = add(back, scale(normal, -size * 0.55))
    return f"M{fmt(tip)} L{fmt(left)} L{fmt(right)} Z"


def badge(number: int, centre: Point, pal: Palette, size: float) -> str:
    r = size * 0.72
    x, y = centre
    disc = el("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=f"{r:.1f}", fill=pal.accent, stroke=pal.card, stroke_width=3)
    digit = el(
        "text", str(number), x=f"{x:.1f}", y=f"{y + size * 0.35:.1f}", text_anchor="middle", fill=pal.on_accent,
        font_size=f"{size:.0f}",
    )  # fmt: skip
    return f"<g>{disc}{digit}</g>"


def leader(a: Point, b: Point, pal: Palette) -> str:
    return f'<path d="M{fmt(a)} L{fmt(b)}" stroke="{pal.ink}" stroke-width="2.5" fill="none"/>'


def label_font(text: str) -> str:
    """The label face as a data: URL, subset to the characters the drawing writes."""
    font = TTFont(LABEL_FONT, recalcTimestamp=False)  # the same bytes on every run
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern"]
    options.name_IDs = []
    options.notdef_outline = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return "data:font/woff2;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def draw(layout: Layout, pal: Palette, title: str) -> str:
    size = layout.label_size
    assert size * PRINT_WIDTH_PT / layout.width >= MIN_LABEL_PT, "labels under 10 pt at 90 mm"
    piv = pivot()
    r_start, r_finish = roller_centre(START_ANGLE), roller_centre(FINISH_ANGLE)
    words = ["Start", "Finish", "No higher"]
    parts: list[str] = []
    w = parts.append

    # -- the machine ------------------------------------------------------------------
    post_front_x, post_back_x = 236.0, piv[0] + 26
    w(f'<g fill="{pal.machine}">')
    w(el("rect", x="170", y=f"{FLOOR_Y - 12:.0f}", width=f"{post_back_x + 90 - 170:.0f}", height="12", rx="3"))  # base
    w(
        el(
            "rect",
            x=f"{post_front_x - 8:.0f}",
            y=f"{PAD_BOTTOM:.0f}",
            width="16",
            height=f"{FLOOR_Y - PAD_BOTTOM - 8:.0f}",
        )
    )
    w(
        el(
            "rect",
            x=f"{post_back_x - 8:.1f}",
            y=f"{PAD_BOTTOM:.0f}",
            width="16",
            height=f"{FLOOR_Y - PAD_BOTTOM - 8:.0f}",
        )
    )
    w(el("rect", x="200", y=f"{PAD_BOTTOM - 2:.0f}", width=f"{post_back_x + 8 - 200:.1f}", height="14", rx="3"))  # beam
    w("</g>")
    # handles: a bar from the front post, forward and down, to a grip
    grip = (176.0, 282.0)
    w(
        el(
            "path",
            d=f"M{post_front_x},{PAD_BOTTOM + 40:.0f} L{fmt(grip)}",
            stroke=f"{pal.machine}",
            stroke_width="12",
            stroke_linecap="round",
            fill="none",
        )
    )
    w(el("circle", cx=f"{grip[0]}", cy=f"{grip[1]}", r="11", fill=f"{pal.pad}"))
    # the top pad
    w(
        el(
            "rect",
            x=f"{PAD_FRONT}",
            y=f"{PAD_TOP}",
            width=f"{PAD_BACK - PAD_FRONT}",
            height=f"{PAD_BOTTOM - PAD_TOP}",
            rx="12",
            fill=f"{pal.pad}",
        )
    )
    # the swinging arm at the start (ghost) and at the finish, on its pivot
    for roller, ghost in ((r_start, True), (r_finish, False)):
        dash = "10 8" if ghost else "none"
        stroke = pal.machine
        width = 6 if ghost else 10
        w(
            el(
                "path",
                d=f"M{fmt(piv)} L{fmt(roller)}",
                stroke=f"{stroke}",
                stroke_width=f"{width}",
                stroke_linecap="round",
                fill="none",
                stroke_dasharray=dash,
            )
        )
        if ghost:
            w(
                el(
                    "circle",
                    cx=f"{roller[0]:.1f}",
                    cy=f"{roller[1]:.1f}",
                    r=f"{ROLLER_R}",
                    fill=f"{pal.card}",
                    stroke=f"{pal.pad}",
                    stroke_width="3",
                    stroke_dasharray="6 5",
                )
            )
    w(
        el(
            "circle",
            cx=f"{piv[0]:.1f}",
            cy=f"{piv[1]:.1f}",
            r="9",
            fill=f"{pal.card}",
            stroke=f"{pal.pad}",
            stroke_width="5",
        )
    )
    # the floor
    w(
        el(
            "path",
            d=f"M{40 - layout.dx:.0f},{FLOOR_Y} H{layout.width - 40 - layout.dx:.0f}",
            stroke=f"{pal.floor}",
            stroke_width="3",
        )
    )

    # -- the no-go zone above parallel ---------------------------------------------------
    reach = LEG + 12
    wedge = (
        f"M{fmt(HIP)} L{fmt(add(HIP, polar(-NO_GO, reach)))} A{reach},{reach} 0 0 1 {fmt(add(HIP, polar(0, reach)))} Z"
    )
    w(f'<clipPath id="nogo"><path d="{wedge}"/></clipPath>')
    w(el("path", d=f"{wedge}", fill=f"{pal.stop_fill}"))
    top = add(HIP, polar(-NO_GO, reach))
    w(
        f'<path clip-path="url(#nogo)" d="{hatch_lines(HIP[0], top[1] - 4, HIP[0] + reach + 4, HIP[1] + 4, 16)}" '
        f'stroke="{pal.stop}" stroke-width="2" stroke-opacity="0.55" fill="none"/>'
    )
    w(
        el(
            "path",
            d=f"M{fmt(HIP)} L{fmt(add(HIP, polar(-NO_GO, reach)))}",
            stroke=f"{pal.stop}",
            stroke_width="2.5",
            fill="none",
        )
    )
    # "No higher" on a card-coloured band inside the zone
    nh = add(HIP, polar(-NO_GO / 2.4, reach * 0.62))
    tw = size * 0.55 * len("No higher")
    w(
        el(
            "rect",
            x=f"{nh[0] - tw / 2 - 8:.1f}",
            y=f"{nh[1] - size * 0.85:.1f}",
            width=f"{tw + 16:.1f}",
            height=f"{size * 1.2:.1f}",
            rx="6",
            fill=f"{pal.card}",
        )
    )
    w(
        el(
            "text",
            "No higher",
            x=f"{nh[0]:.1f}",
            y=f"{nh[1]:.1f}",
            text_anchor="middle",
            fill=pal.stop,
            font_size=f"{size:.0f}",
        )
    )

    # -- the person ------------------------------------------------------------------------
    # start: the legs hanging, a dashed outline
    w(
        el(
            "path",
            d=f"{leg_outline(START_ANGLE)}",
            fill=f"{pal.ghost_fill}",
            stroke=f"{pal.ghost}",
            stroke_width="3",
            stroke_dasharray="10 7",
            stroke_linejoin="round",
        )
    )
    # torso, head and arm (the same at start and finish): chest and belly on the pad,
    # the glutes rounded over the hips
    torso = (
        f"M206,{PAD_TOP - 44:.0f} C240,{PAD_TOP - 58:.0f} 300,{PAD_TOP - 52:.0f} 350,{PAD_TOP - 42:.0f} "
        f"C380,{PAD_TOP - 38:.0f} 400,{PAD_TOP - 56:.0f} 430,{PAD_TOP - 50:.0f} "
        f"C456,{PAD_TOP - 44:.0f} 462,{PAD_TOP - 14:.0f} 446,{PAD_TOP - 2:.0f} "
        f"L300,{PAD_TOP:.0f} L214,{PAD_TOP:.0f} C192,{PAD_TOP - 2:.0f} 188,{PAD_TOP - 36:.0f} 206,{PAD_TOP - 44:.0f} Z"
    )
    w(el("path", d=f"{torso}", fill=f"{pal.body}"))
    shoulder = (216.0, PAD_TOP - 24)
    w(
        el(
            "path",
            d=f"M{fmt(shoulder)} L204,244 L{grip[0] + 4:.0f},{grip[1] - 8:.0f}",
            stroke=f"{pal.body}",
            stroke_width="15",
            stroke_linecap="round",
            stroke_linejoin="round",
            fill="none",
        )
    )
    w(
        el(
            "path",
            d=f"M200,{PAD_TOP - 26:.0f} L182,{PAD_TOP - 20:.0f}",
            stroke=f"{pal.body}",
            stroke_width="18",
            stroke_linecap="round",
        )
    )  # neck
    w(el("ellipse", cx="164", cy=f"{PAD_TOP - 22:.0f}", rx="24", ry="22", fill=f"{pal.body}"))  # head, face down
    # finish: the legs raised to parallel, solid
    w(
        el(
            "path",
            d=f"{leg_outline(FINISH_ANGLE)}",
            fill=f"{pal.body}",
            stroke=f"{pal.body}",
            stroke_width="2",
            stroke_linejoin="round",
        )
    )
    # the roller over the finish ankles is drawn again on top of the leg
    w(
        el(
            "circle",
            cx=f"{r_finish[0]:.1f}",
            cy=f"{r_finish[1]:.1f}",
            r=f"{ROLLER_R}",
            fill=f"{pal.pad}",
            stroke=f"{pal.card}",
            stroke_width="2",
        )
    )
    w(el("circle", cx=f"{r_finish[0]:.1f}", cy=f"{r_finish[1]:.1f}", r="5", fill=f"{pal.machine}"))

    # -- the movement: 4 up to parallel, 5 down slowly -------------------------------------
    r_up, r_down = 208.0, 150.0
    w(el("path", d=f"{arc(r_up, 80, 8)}", stroke=f"{pal.card}", stroke_width="13", fill="none"))
    w(el("path", d=f"{arc(r_down, 10, 80)}", stroke=f"{pal.card}", stroke_width="11", fill="none"))
    w(
        el(
            "path",
            d=f"{arc(r_up, 80, 8)}",
            stroke=f"{pal.accent}",
            stroke_width="5",
            fill="none",
            stroke_linecap="round",
        )
    )
    w(el("path", d=f"{arrow_head(r_up, 4, -1, 22)}", fill=f"{pal.accent}"))
    w(
        el(
            "path",
            d=f"{arc(r_down, 10, 80)}",
            stroke=f"{pal.accent}",
            stroke_width="4",
            fill="none",
            stroke_dasharray="3 9",
            stroke_linecap="round",
        )
    )
    w(el("path", d=f"{arrow_head(r_down, 84, 1, 18)}", fill=f"{pal.accent}"))

    # -- Start and Finish ----------------------------------------------------------------------
    sx, sy = layout.words_start
    w(f'<text x="{sx}" y="{sy}" text-anchor="end" fill="{pal.ghost}" font-size="{size:.0f}">Start</text>')
    fx, fy = layout.words_finish
    w(f'<text x="{fx}" y="{fy}" text-anchor="end" fill="{pal.ink}" font-size="{size:.0f}">Finish</text>')

    # -- the numbered badges, as the steps -----------------------------------------------
    hip_badge = (HIP[0] - 24, HIP[1] - 96)
    w(leader(add(hip_badge, (0, size * 0.7)), (HIP[0] - 6, HIP[1] - 24), pal))
    w(
        el(
            "circle",
            cx=f"{HIP[0]:.0f}",
            cy=f"{HIP[1]:.0f}",
            r="6",
            fill=f"{pal.card}",
            stroke=f"{pal.ink}",
            stroke_width="2.5",
        )
    )
    roller_badge = (r_finish[0] + 58, r_finish[1] - 46)
    w(leader(add(roller_badge, (-size * 0.6, size * 0.35)), add(r_finish, (ROLLER_R - 4, -8)), pal))
    grip_badge = (108.0, 300.0)
    w(leader(add(grip_badge, (size * 0.7, -4)), add(grip, (-11, 0)), pal))
    up_badge = add(HIP, polar(40, r_up + 40))
    down_badge = add(HIP, polar(44, (r_up + r_down) / 2))
    for number, centre in ((1, hip_badge), (2, roller_badge), (3, grip_badge), (4, up_badge), (5, down_badge)):
        w(badge(number, centre, pal, size))

    heading = "Reverse hyperextension (side view)"  # the drawing's own title, for the card
    heading_ink = "#333333" if pal is GREY else "#51454b"
    text = "".join(words) + "12345" + heading
    scene = "\n    ".join(parts)
    desc = (
        "Side view of a reverse hyperextension machine: a high top pad carries the torso, "
        "handles sit below its front end, and an ankle roller hangs on an arm that swings from a pivot behind the pad. "
        "A person lies face down on the pad with the hips just past its back edge (1), "
        "the ankles under the roller (2) and the hands on the handles (3). "
        "Start, dashed: the straight legs hang down. Finish, solid: the legs raised until the thighs are parallel "
        "to the floor (4); a hatched zone above parallel is marked No higher. "
        "A dotted arrow shows the slow way back down (5)."
    )
    family = "GB Label, 'Atkinson Hyperlegible Next', system-ui, sans-serif"
    face = (
        f'@font-face {{ font-family: "GB Label"; font-weight: 700; src: url("{label_font(text)}") format("woff2"); }}'
    )
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} {layout.height}" role="img"
     aria-labelledby="title desc" font-family="{family}" font-weight="700">
  <title id="title">{title}</title>
  <desc id="desc">{desc}</desc>
  <!-- Drawn by tools/draw_exercise_figure.py: edit that, not this file. Labels: Atkinson
       Hyperlegible Next Bold (SIL OFL 1.1, docs/fonts/OFL-atkinson-hyperlegible-next.txt),
       subset to the characters written here. -->
  <style>{face}</style>
  <rect width="{layout.width}" height="{layout.height}" rx="16" fill="{pal.card}"/>
  <text x="28" y="50" fill="{heading_ink}" font-size="{size:.0f}">{heading}</text>
  <g transform="translate({layout.dx},{layout.dy})">
    {scene}
  </g>
</svg>
"""


SOCIAL = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630"
     width="1200" height="630">
  <title>Tight Butt Blast: a cited guide to the reverse hyperextension</title>
  <!-- The link-preview image (Open Graph, Twitter). social.png is rendered from this
       file with Chromium at 1200 x 630 (open it as a document, so the fonts and the
       drawing load); regenerate it when this file or the drawing changes. Colours and
       faces are the tokens of docs/stylesheets/tokens.css. -->
  <style>
    @font-face { font-family: "Fraunces"; font-weight: 600; src: url("../fonts/fraunces-latin-600-normal.woff2"); }
    @font-face { font-family: "Atkinson Hyperlegible Next"; font-weight: 400;
                 src: url("../fonts/atkinson-hyperlegible-next-latin-400-normal.woff2"); }
    @font-face { font-family: "Atkinson Hyperlegible Next"; font-weight: 700;
                 src: url("../fonts/atkinson-hyperlegible-next-latin-700-normal.woff2"); }
    .title { font-family: "Fraunces", serif; font-weight: 600; }
    .text { font-family: "Atkinson Hyperlegible Next", sans-serif; }
  </style>
  <rect width="1200" height="630" fill="#fbf8f5"/>
  <rect width="1200" height="14" fill="#7a1f4e"/>
  <g transform="translate(72,74) scale(1.5)">
    <circle cx="32" cy="32" r="31" fill="#7a1f4e"/>
    <g fill="none" stroke="#fbf8f5" stroke-linecap="round" transform="translate(1 -2)">
      <circle cx="12.5" cy="26.5" r="4.6" fill="#fbf8f5" stroke="none"/>
      <path d="M19 27.5 H33" stroke-width="7.5"/>
      <path d="M33 28 H53" stroke-width="4.8"/>
      <path d="M13 35.5 H35" stroke-width="3" opacity=".65"/>
      <path d="M33 33 V52" stroke-width="3.4" stroke-dasharray="0.1 5.2"/>
      <path d="M38.2 45.6 A18 18 0 0 0 50.2 33.6" stroke-width="3"/>
      <path d="M45.6 34.6 L50.6 31.6 L52.6 37.2" stroke-width="3" stroke-linejoin="round"/>
    </g>
  </g>
  <text class="title" x="72" y="258" font-size="62" fill="#211a1e">Tight Butt Blast</text>
  <text class="text" x="74" y="330" font-size="34" fill="#51454b">A cited guide to the reverse</text>
  <text class="text" x="74" y="374" font-size="34" fill="#51454b">hyperextension: set-up, five</text>
  <text class="text" x="74" y="418" font-size="34" fill="#51454b">steps and one rule.</text>
  <text class="text" x="74" y="530" font-size="30" font-weight="700" fill="#a3201a">Stop at parallel.</text>
  <text class="text" x="74" y="574" font-size="26" fill="#51454b">Free PDF handout</text>
  __DRAWING__
</svg>
"""


def social(drawing: str) -> str:
    """The link-preview card (social.svg, rendered to social.png with Chromium at
    1200 x 630): the guide's name and the drawing, nested (no <image>: the guide's
    SVGs load nothing)."""
    inner = drawing[drawing.index("<svg ") :]
    inner = inner.replace("<svg ", '<svg x="612" y="118" width="540" height="378" ', 1)
    inner = inner.replace('id="title"', 'id="figure-title"').replace('id="desc"', 'id="figure-desc"')
    inner = inner.replace('aria-labelledby="title desc"', 'aria-labelledby="figure-title figure-desc"')
    return SOCIAL.replace("__DRAWING__", inner.strip())


def main() -> None:
    title = "Reverse hyperextension: start and finish, steps 1 to 5"
    files = {
        "reverse-hyperextension.svg": draw(WIDE, COLOUR, title),
        "reverse-hyperextension-narrow.svg": draw(NARROW, COLOUR, title),
        "reverse-hyperextension-print.svg": draw(WIDE, GREY, title),
    }
    files["social.svg"] = social(files["reverse-hyperextension.svg"])
    for name, svg in files.items():
        (IMAGES / name).write_text(svg, encoding="utf-8")
        print(f"{IMAGES / name}: {len(svg.encode()) / 1000:.1f} kB")


if __name__ == "__main__":
    main()
