"""Measurements in the browser for the WCAG 2.1 AA audit (issue 21), each one JavaScript function
that Playwright evaluates on the page as it is, and answers with what it found.

- `overflow(page)`: WCAG 1.4.10 reflow: is the page wider than the window, and which elements
  stick out (a table may scroll inside its own box, so what is inside a scroll box counts not).
- `loose_tables(page)`: tables that are not inside a `.table-responsive` box.
- `clipped_text_with_spacing(page)`: WCAG 1.4.12: sets the spacing of the success criterion and
  lists the elements whose text is then cut off by `overflow: hidden` or an ellipsis.
- `focus_indicator(page)`: WCAG 1.4.11: for the focused element, the colours of its outline and
  box-shadow ring and the contrast of the best of them against the background around it.
"""

from playwright.sync_api import Page

DESCRIBE = """
function describe(el) {
  let name = el.tagName.toLowerCase();
  if (el.id) name += "#" + el.id;
  const classes = [...el.classList].slice(0, 3);
  if (classes.length) name += "." + classes.join(".");
  const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  return text ? `${name} "${text}"` : name;
}
"""

OVERFLOW = (
    "async () => {"
    + DESCRIBE
    + """
  // After a resize, let the page settle (Chart.js redraws its charts in an animation frame).
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = window.innerWidth;
  const scrolls = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const x = getComputedStyle(node).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden" || x === "clip") return true;
    }
    return false;
  };
  const sticking = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (sticking.length >= 5) break;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || scrolls(el)) continue;
    // Report the innermost element that sticks out, not each of its ancestors.
    const child = [...el.children].some((c) => c.getBoundingClientRect().right > width + 1);
    if (!child) sticking.push(`${describe(el)} tot ${Math.round(box.right)} px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, sticking};
}"""
)

LOOSE_TABLES = (
    "() => {"
    + DESCRIBE
    + """
  return [...document.querySelectorAll("main table")]
    .filter((table) => !table.closest(".table-responsive"))
    .map(describe);
}"""
)

# WCAG 1.4.12 as the success criterion words it. A constructed style sheet, not a <style>
# element: the application's Content-Security-Policy rightly refuses inline styles.
TEXT_SPACING = (
    "() => {"
    + DESCRIBE
    + """
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
    * { line-height: 1.5 !important; letter-spacing: 0.12em !important;
        word-spacing: 0.16em !important; }
    p { margin-bottom: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const applied = getComputedStyle(document.body).letterSpacing !== "normal";
  const clipped = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (clipped.length >= 5) break;
    if (["INPUT", "SELECT", "TEXTAREA", "OPTION", "SCRIPT"].includes(el.tagName)) continue;
    if (el.closest(".visually-hidden, .visually-hidden-focusable")) continue;
    if (!el.checkVisibility() || !el.innerText || !el.innerText.trim()) continue;
    const style = getComputedStyle(el);
    const cuts = (axis) => axis === "hidden" || axis === "clip";
    const cutX = cuts(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const cutY = cuts(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const ellipsis = style.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1;
    if (cutX || cutY || ellipsis) clipped.push(describe(el));
  }
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  return {applied, clipped};
}"""
)

FOCUS_INDICATOR = (
    "() => {"
    + DESCRIBE
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const colours = (text) => [...text.matchAll(/rgba?\\(([^)]+)\\)/g)].map((m) => {
    const [r, g, b, a] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, Number.isNaN(a) || a === undefined ? 1 : a];
  });
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3]));
  // The background around the element: every ancestor's background, painted from the root down.
  const layers = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const [colour] = colours(getComputedStyle(node).backgroundColor);
    if (colour && colour[3] > 0) layers.unshift(colour);
  }
  let background = [255, 255, 255];
  for (const layer of layers) background = over(layer, background);
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const style = getComputedStyle(el);
  const indicator = [];
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) {
    indicator.push(...colours(style.outlineColor));
  }
  for (const shadow of style.boxShadow === "none" ? [] : style.boxShadow.split(/,(?![^(]*\\))/)) {
    const lengths = shadow.replace(/rgba?\\([^)]*\\)/, "").trim().split(/\\s+/).map(parseFloat);
    if ((lengths[3] || 0) >= 2) indicator.push(...colours(shadow));
  }
  const best = Math.max(0, ...indicator.map((c) => contrast(over(c, background), background)));
  return {
    element: describe(el),
    background: "rgb(" + background.map(Math.round).join(", ") + ")",
    contrast: Math.round(best * 100) / 100,
  };
}"""
)


def overflow(page: Page) -> dict:
    return page.evaluate(OVERFLOW)


def loose_tables(page: Page) -> list[str]:
    return page.evaluate(LOOSE_TABLES)


def clipped_text_with_spacing(page: Page) -> dict:
    return page.evaluate(TEXT_SPACING)


def focus_indicator(page: Page) -> dict | None:
    return page.evaluate(FOCUS_INDICATOR)
