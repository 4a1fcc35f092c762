"""Pastel pastry illustrations drawn with Pillow for the demo (nothing is downloaded).

:func:`draw(motif, palette, size)` returns a JPEG as bytes. Motifs: ``macarons``, ``cake``,
``tart``, ``gift``, ``croissant``, ``whisk``, ``storefront``. Drawing happens at twice the
size and is scaled down for smooth edges. Deterministic: the same arguments give the same
image.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTES = {
    "rose": {
        "bg1": (253, 232, 236),
        "bg2": (255, 246, 236),
        "main": (232, 141, 166),
        "alt": (246, 196, 208),
        "accent": (178, 74, 107),
        "cream": (255, 248, 238),
    },
    "pistachio": {
        "bg1": (228, 242, 226),
        "bg2": (255, 249, 236),
        "main": (160, 204, 150),
        "alt": (210, 232, 196),
        "accent": (92, 140, 90),
        "cream": (255, 250, 240),
    },
    "butter": {
        "bg1": (255, 241, 204),
        "bg2": (255, 250, 240),
        "main": (240, 196, 98),
        "alt": (250, 224, 160),
        "accent": (196, 132, 52),
        "cream": (255, 251, 243),
    },
    "lavender": {
        "bg1": (236, 230, 248),
        "bg2": (253, 247, 243),
        "main": (178, 160, 222),
        "alt": (214, 204, 240),
        "accent": (116, 92, 168),
        "cream": (255, 250, 246),
    },
    "peach": {
        "bg1": (255, 226, 210),
        "bg2": (255, 247, 240),
        "main": (244, 164, 128),
        "alt": (252, 206, 184),
        "accent": (196, 98, 70),
        "cream": (255, 249, 242),
    },
    "chocolate": {
        "bg1": (242, 228, 218),
        "bg2": (252, 246, 240),
        "main": (138, 90, 68),
        "alt": (196, 150, 120),
        "accent": (92, 56, 40),
        "cream": (255, 248, 238),
    },
}


def _gradient(size, top, bottom):
    w, h = size
    base = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        base.putpixel((0, y), tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3)))
    return base.resize((w, h), Image.BICUBIC)


def _shade(color, factor):
    return tuple(max(0, min(255, int(c * factor))) for c in color)


def _shadow(img, box, radius, strength=60):
    """Soft elliptical shadow under ``box``."""
    layer = Image.new("L", img.size, 0)
    ImageDraw.Draw(layer).ellipse(box, fill=strength)
    layer = layer.filter(ImageFilter.GaussianBlur(radius))
    dark = Image.new("RGB", img.size, (90, 60, 50))
    img.paste(dark, (0, 0), layer)


def _macaron(d, cx, cy, r, color, filling):
    h = r * 0.55
    d.ellipse((cx - r, cy - h * 1.6, cx + r, cy - h * 0.1), fill=color)  # top shell
    d.rounded_rectangle((cx - r * 0.96, cy - h * 0.45, cx + r * 0.96, cy + h * 0.25), radius=int(h * 0.3), fill=filling)
    d.ellipse((cx - r, cy - h * 0.1 + h * 0.2, cx + r, cy + h * 1.4), fill=_shade(color, 0.93))  # bottom shell
    d.ellipse((cx - r * 0.55, cy - h * 1.4, cx + r * 0.1, cy - h * 1.05), fill=_shade(color, 1.08))  # shine
    # the "feet" of the shells
    for side in (-1, 1):
        d.rectangle(
            (cx - r * 0.92, cy - h * 0.2 + side * h * 0.35, cx + r * 0.92, cy - h * 0.12 + side * h * 0.35),
            fill=_shade(color, 0.85),
        )


def _sprinkles(d, rng, w, h, colors, n=40, area=None):
    x0, y0, x1, y1 = area or (0, 0, w, h)
    for _ in range(n):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        r = rng.uniform(w * 0.004, w * 0.009)
        d.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(colors))


def _motif_macarons(img, d, p, rng):
    w, h = img.size
    colors = [p["main"], (246, 196, 208), (200, 226, 186), (250, 224, 160), (214, 204, 240), (244, 184, 150)]
    r = w * 0.085
    _shadow(img, (w * 0.12, h * 0.78, w * 0.88, h * 0.92), 30)
    d = ImageDraw.Draw(img)
    rows = [(h * 0.78, 4), (h * 0.56, 3), (h * 0.34, 2)]
    for cy, n in rows:
        total = n * r * 2.15
        for i in range(n):
            cx = w / 2 - total / 2 + r * 1.075 + i * r * 2.15
            color = colors[(i + n) % len(colors)]
            _macaron(d, cx, cy, r, color, p["cream"])
    _macaron(d, w * 0.5, h * 0.14, r * 0.95, p["main"], p["cream"])
    _sprinkles(d, rng, w, h, [p["alt"], p["accent"], (255, 255, 255)], 30, (0, h * 0.86, w, h))


def _motif_cake(img, d, p, rng):
    w, h = img.size
    cx = w / 2
    _shadow(img, (w * 0.2, h * 0.84, w * 0.8, h * 0.96), 30)
    d = ImageDraw.Draw(img)
    d.ellipse((w * 0.16, h * 0.82, w * 0.84, h * 0.94), fill=(255, 255, 255))  # plate
    tiers = [(0.30, 0.84, 0.62), (0.22, 0.62, 0.44), (0.14, 0.44, 0.30)]
    for i, (half, bottom, top) in enumerate(tiers):
        x0, x1 = cx - w * half, cx + w * half
        y0, y1 = h * top, h * bottom
        body = p["cream"] if i % 2 == 0 else p["alt"]
        d.rounded_rectangle((x0, y0, x1, y1), radius=int(w * 0.02), fill=body)
        d.rectangle((x0, y0 + (y1 - y0) * 0.55, x1, y0 + (y1 - y0) * 0.62), fill=p["main"])
        # drips
        d.rounded_rectangle((x0, y0, x1, y0 + (y1 - y0) * 0.18), radius=int(w * 0.015), fill=p["main"])
        steps = 9
        for k in range(steps):
            dx = x0 + (x1 - x0) * (k + 0.5) / steps
            dl = (y1 - y0) * rng.uniform(0.18, 0.38)
            dw = (x1 - x0) / steps * 0.32
            d.rounded_rectangle((dx - dw, y0, dx + dw, y0 + dl), radius=int(dw), fill=p["main"])
    # berries on top
    for k in range(5):
        bx = cx - w * 0.1 + k * w * 0.05
        d.ellipse((bx - w * 0.022, h * 0.255, bx + w * 0.022, h * 0.30), fill=p["accent"])
    d.ellipse((cx - w * 0.012, h * 0.2, cx + w * 0.012, h * 0.235), fill=(255, 214, 102))
    _sprinkles(d, rng, w, h, [p["alt"], (255, 255, 255)], 26, (0, 0, w, h * 0.2))


def _motif_tart(img, d, p, rng):
    w, h = img.size
    cx, cy, r = w / 2, h * 0.55, min(w, h) * 0.36
    _shadow(img, (cx - r * 1.05, cy - r * 0.55 + r * 0.35, cx + r * 1.05, cy + r * 0.75), 30)
    d = ImageDraw.Draw(img)
    d.ellipse((cx - r, cy - r * 0.62, cx + r, cy + r * 0.62), fill=(226, 178, 120))
    d.ellipse((cx - r * 0.88, cy - r * 0.52, cx + r * 0.88, cy + r * 0.52), fill=p["cream"])
    for _ in range(70):
        a = rng.uniform(0, 6.283)
        rr = rng.uniform(0, 0.78) ** 0.5 * r * 0.95
        bx, by = cx + math.cos(a) * rr, cy + math.sin(a) * rr * 0.56
        br = r * rng.uniform(0.05, 0.08)
        col = rng.choice([p["accent"], p["main"], _shade(p["accent"], 0.8), (90, 70, 140)])
        d.ellipse((bx - br, by - br * 0.85, bx + br, by + br * 0.85), fill=col)
        d.ellipse((bx - br * 0.4, by - br * 0.6, bx - br * 0.05, by - br * 0.25), fill=_shade(col, 1.3))
    for k in range(4):
        lx = cx + r * (-0.5 + k * 0.3)
        d.ellipse((lx - r * 0.06, cy - r * 0.05, lx + r * 0.06, cy + r * 0.12), fill=(120, 170, 110))


def _motif_gift(img, d, p, rng):
    w, h = img.size
    _shadow(img, (w * 0.18, h * 0.8, w * 0.82, h * 0.94), 30)
    d = ImageDraw.Draw(img)
    x0, x1, y0, y1 = w * 0.24, w * 0.76, h * 0.42, h * 0.86
    d.rounded_rectangle((x0, y0, x1, y1), radius=int(w * 0.015), fill=p["main"])
    d.rounded_rectangle(
        (x0 - w * 0.03, y0 - h * 0.1, x1 + w * 0.03, y0 + h * 0.02), radius=int(w * 0.012), fill=_shade(p["main"], 1.06)
    )
    rib = w * 0.035
    d.rectangle((w / 2 - rib, y0 - h * 0.1, w / 2 + rib, y1), fill=p["cream"])
    d.rectangle((x0, h * 0.62 - rib * 0.6, x1, h * 0.62 + rib * 0.6), fill=p["cream"])
    for side in (-1, 1):
        d.ellipse(
            (w / 2 + side * w * 0.02 - w * 0.09, y0 - h * 0.25, w / 2 + side * w * 0.02 + w * 0.09, y0 - h * 0.09),
            outline=p["cream"],
            width=int(w * 0.028),
        )
    d.ellipse((w / 2 - w * 0.035, y0 - h * 0.16, w / 2 + w * 0.035, y0 - h * 0.06), fill=p["cream"])
    # little macarons beside the box
    _macaron(d, w * 0.87, h * 0.84, w * 0.055, (200, 226, 186), p["cream"])
    _macaron(d, w * 0.13, h * 0.84, w * 0.055, (246, 196, 208), p["cream"])
    _sprinkles(d, rng, w, h, [p["alt"], p["accent"], (255, 255, 255)], 40, (0, 0, w, h * 0.3))


def _motif_croissant(img, d, p, rng):
    w, h = img.size
    cx, cy = w / 2, h * 0.56
    _shadow(img, (w * 0.2, h * 0.7, w * 0.8, h * 0.84), 28)
    d = ImageDraw.Draw(img)
    golden = (226, 160, 82)
    segs = [(-0.3, 0.09, 0.8), (-0.16, 0.13, 0.9), (0.0, 0.16, 1.0), (0.16, 0.13, 0.9), (0.3, 0.09, 0.8)]
    for dx, rad, shade in segs:
        sx, sy = cx + dx * w, cy - (0.16 - abs(dx) * 0.4) * h * 0.3
        rx, ry = rad * w, rad * w * 0.75
        d.ellipse((sx - rx, sy - ry, sx + rx, sy + ry), fill=_shade(golden, shade))
        d.arc(
            (sx - rx * 0.8, sy - ry * 0.7, sx + rx * 0.8, sy + ry * 0.9),
            200,
            340,
            fill=_shade(golden, 1.18),
            width=int(w * 0.008),
        )
    # coffee cup
    ux, uy = w * 0.8, h * 0.3
    d.ellipse((ux - w * 0.1, uy + h * 0.12, ux + w * 0.1, uy + h * 0.2), fill=(255, 255, 255))
    d.rounded_rectangle(
        (ux - w * 0.065, uy - h * 0.02, ux + w * 0.065, uy + h * 0.16), radius=int(w * 0.03), fill=p["cream"]
    )
    d.ellipse((ux - w * 0.065, uy - h * 0.05, ux + w * 0.065, uy + h * 0.01), fill=(140, 92, 64))
    d.arc((ux + w * 0.04, uy + h * 0.01, ux + w * 0.1, uy + h * 0.1), 270, 90, fill=p["cream"], width=int(w * 0.012))


def _motif_whisk(img, d, p, rng):
    w, h = img.size
    _shadow(img, (w * 0.15, h * 0.76, w * 0.6, h * 0.9), 28)
    d = ImageDraw.Draw(img)
    # bowl
    d.chord((w * 0.12, h * 0.3, w * 0.62, h * 0.9), 0, 180, fill=p["main"])
    d.ellipse((w * 0.12, h * 0.52, w * 0.62, h * 0.68), fill=p["cream"])
    d.ellipse((w * 0.16, h * 0.545, w * 0.58, h * 0.655), fill=(255, 255, 255))
    # whisk
    hx, hy = w * 0.72, h * 0.18
    for k in range(6):
        off = (k - 2.5) * w * 0.012
        d.arc((w * 0.36 + off, h * 0.3, w * 0.62 - off, h * 0.62), 200, 340, fill=(170, 170, 180), width=int(w * 0.006))
    d.line((w * 0.49, h * 0.34, hx, hy), fill=p["accent"], width=int(w * 0.028))
    # rolling pin
    d.rounded_rectangle((w * 0.62, h * 0.7, w * 0.94, h * 0.78), radius=int(h * 0.04), fill=(226, 188, 140))
    d.rounded_rectangle((w * 0.57, h * 0.72, w * 0.64, h * 0.76), radius=int(h * 0.02), fill=(196, 150, 100))
    d.rounded_rectangle((w * 0.92, h * 0.72, w * 0.99, h * 0.76), radius=int(h * 0.02), fill=(196, 150, 100))
    # eggs
    for ex in (0.74, 0.84):
        d.ellipse((w * ex, h * 0.5, w * (ex + 0.07), h * 0.62), fill=(255, 244, 228))
    _sprinkles(d, rng, w, h, [(255, 255, 255), p["alt"]], 60, (w * 0.05, h * 0.1, w * 0.95, h * 0.4))


def _motif_storefront(img, d, p, rng):
    w, h = img.size
    d.rectangle((w * 0.12, h * 0.3, w * 0.88, h * 0.92), fill=p["cream"])
    # awning stripes
    stripes = 10
    for k in range(stripes):
        x0 = w * 0.09 + k * (w * 0.82 / stripes)
        col = p["main"] if k % 2 == 0 else (255, 255, 255)
        d.rectangle((x0, h * 0.22, x0 + w * 0.82 / stripes, h * 0.34), fill=col)
        d.pieslice((x0, h * 0.3, x0 + w * 0.82 / stripes, h * 0.38), 0, 180, fill=col)
    d.rounded_rectangle((w * 0.3, h * 0.08, w * 0.7, h * 0.2), radius=int(h * 0.03), fill=p["accent"])
    # windows and door
    d.rounded_rectangle((w * 0.17, h * 0.45, w * 0.42, h * 0.8), radius=int(w * 0.01), fill=p["alt"])
    d.rounded_rectangle((w * 0.58, h * 0.45, w * 0.83, h * 0.8), radius=int(w * 0.01), fill=p["alt"])
    d.rounded_rectangle((w * 0.45, h * 0.5, w * 0.55, h * 0.92), radius=int(w * 0.01), fill=p["accent"])
    for wx in (0.2, 0.61):
        for i in range(3):
            _macaron(
                d,
                w * (wx + 0.035 + i * 0.07),
                h * 0.73,
                w * 0.028,
                [(246, 196, 208), (200, 226, 186), (250, 224, 160)][i],
                p["cream"],
            )
    _motif_cake_small(d, w * 0.295, h * 0.6, w * 0.06, p)
    _motif_cake_small(d, w * 0.705, h * 0.6, w * 0.06, p)
    d.rectangle((0, h * 0.92, w, h), fill=_shade(p["bg1"], 0.92))


def _motif_cake_small(d, cx, cy, r, p):
    d.rounded_rectangle((cx - r, cy - r * 0.5, cx + r, cy + r * 0.5), radius=int(r * 0.2), fill=p["cream"])
    d.rounded_rectangle((cx - r, cy - r * 0.5, cx + r, cy - r * 0.2), radius=int(r * 0.2), fill=p["main"])
    d.ellipse((cx - r * 0.15, cy - r * 0.85, cx + r * 0.15, cy - r * 0.5), fill=p["accent"])


MOTIFS = {
    "macarons": _motif_macarons,
    "cake": _motif_cake,
    "tart": _motif_tart,
    "gift": _motif_gift,
    "croissant": _motif_croissant,
    "whisk": _motif_whisk,
    "storefront": _motif_storefront,
}


def draw(motif: str, palette: str = "rose", size: tuple[int, int] = (1600, 1000), seed: int = 1) -> bytes:
    """Draw ``motif`` on a soft gradient with scattered dots; return JPEG bytes (quality 88)."""
    p = PALETTES[palette]
    w, h = size[0] * 2, size[1] * 2
    rng = random.Random(f"{motif}-{palette}-{seed}")
    # soft background circles, blurred at a quarter of the size (fast) then scaled up
    sw, sh = w // 4, h // 4
    img = _gradient((sw, sh), p["bg1"], p["bg2"])
    d = ImageDraw.Draw(img)
    for _ in range(7):
        r = rng.uniform(0.08, 0.22) * sw
        x, y = rng.uniform(0, sw), rng.uniform(0, sh)
        d.ellipse((x - r, y - r, x + r, y + r), fill=_shade(p["bg1"], rng.choice([0.97, 1.02, 1.03])))
    img = img.filter(ImageFilter.GaussianBlur(sw * 0.01)).resize((w, h), Image.BICUBIC)
    d = ImageDraw.Draw(img)
    # the motif is drawn in a square canvas centred in the image
    side = min(w, h)
    canvas = img.crop(((w - side) // 2, (h - side) // 2, (w - side) // 2 + side, (h - side) // 2 + side))
    MOTIFS[motif](canvas, ImageDraw.Draw(canvas), p, rng)
    img.paste(canvas, ((w - side) // 2, (h - side) // 2))
    img = img.resize(size, Image.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()
