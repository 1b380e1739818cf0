"""A look at rendered HTML without a browser: tags, headings, links, resources, colours."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Link:
    href: str
    text: str = ""


@dataclass
class Page:
    lang: str | None = None
    title: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)  # src=, url(...), <link href>
    styled: int = 0  # elements with an inline style
    style_blocks: list[str] = field(default_factory=list)
    # (foreground, background) of every element with text, from the inline styles
    colour_pairs: list[tuple[str, str, str]] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._heading: tuple[int, list[str]] | None = None
        self._link: Link | None = None
        self._in_title = self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.page.tags.append(tag)
        if tag == "html":
            self.page.lang = attributes.get("lang")
        if "src" in attributes or tag in ("img", "picture", "svg", "object", "iframe"):
            self.page.resources.append(attributes.get("src", tag))
        if tag == "link":
            self.page.resources.append(attributes.get("href", "link"))
        style = attributes.get("style", "")
        if style:
            self.page.styled += 1
            self.page.resources += re.findall(r"url\(([^)]*)\)", style)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])
        if tag == "a":
            self._link = Link(attributes.get("href", ""))
        self._in_title = tag == "title"
        self._in_style = tag == "style"
        if tag not in VOID:
            self._stack.append((tag, _declarations(style)))

    def handle_endtag(self, tag: str) -> None:
        if self._heading and tag == f"h{self._heading[0]}":
            self.page.headings.append((self._heading[0], "".join(self._heading[1]).strip()))
            self._heading = None
        if tag == "a" and self._link:
            self._link.text = " ".join(self._link.text.split())
            self.page.links.append(self._link)
            self._link = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break
        self._in_title = self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data
        if self._in_style:
            self.page.style_blocks.append(data)
            self.page.resources += re.findall(r"url\(([^)]*)\)", data)
            return
        if self._heading:
            self._heading[1].append(data)
        if self._link:
            self._link.text += data
        if data.strip() and self._stack:
            self.page.colour_pairs.append((self._colour("color"), self._colour("background-color"),
                                           data.strip()[:40]))

    def _colour(self, prop: str) -> str:
        for _, declarations in reversed(self._stack):
            if prop in declarations:
                return declarations[prop]
        return "#ffffff" if prop == "background-color" else "#000000"


def _declarations(style: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {name.strip().lower(): value.strip().lower() for name, value in pairs}


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
