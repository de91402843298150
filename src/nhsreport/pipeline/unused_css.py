"""Drop the CSS rules no page of the built site can match.

The theme's stylesheet bundles all of Bootstrap and the names of all ~1,900 Font Awesome icons
(387 KiB, loaded by every page); the site uses a small part of either. A rule is dropped only
when none of its selectors can match: every selector names a class that appears in no page's
``class`` attribute and in no script (scripts add classes such as ``show`` or ``bs-tooltip-auto``
at run time). The check errs towards keeping a rule:

* a class inside ``:not(...)``, ``:is(...)`` or any other functional pseudo-class, or inside an
  attribute selector, never makes a selector unmatchable;
* any selector with a CSS escape (``\\``) is kept, as its class names are not parsed;
* every word in a script counts as a used class, and so does every class starting with a prefix a
  script completes at run time (``\\`bs-${name}-auto\\``, ``"toggle-" + id``);
* a rule is kept or dropped whole, never rewritten: dropping part of a selector list could make
  a list the browser ignores (one unknown vendor pseudo-element) valid;
* at-rules holding rules (``@media``, ``@supports``, ``@container``, ``@layer``) are pruned inside
  and dropped once empty; every other at-rule (``@font-face``, ``@keyframes``) is kept.
"""

import re

CLASS_NAME = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
FUNCTIONAL_PSEUDO = re.compile(r":[a-zA-Z-]+\((?:[^()]|\([^()]*\))*\)")
ATTRIBUTE = re.compile(r"\[[^\]]*\]")
COMMENT = re.compile(r"/\*.*?\*/", re.S)
LEADING_COMMENTS = re.compile(r"\s*(?:/\*.*?\*/\s*)+", re.S)
GROUPING_AT_RULE = re.compile(r"@(?:media|supports|container|layer)\b")
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
INLINE_SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.S)
SCRIPT_WORD = re.compile(r"[A-Za-z0-9_-]+")
# The literal start of a class name a script completes: `bs-${...}` or "toggle-" + ...
SCRIPT_PREFIX = re.compile(r"""([A-Za-z][A-Za-z0-9_-]*-)(?:\$\{|["'`]\s*\+)""")


def skip_string(css, start):
    """Index just after the quoted string starting at ``start``."""
    quote, i = css[start], start + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def skip_comment(css, start):
    end = css.find("*/", start + 2)
    return len(css) if end < 0 else end + 2


def end_of_block(css, start):
    """Index just after the ``}`` closing the block whose ``{`` is at ``start``."""
    depth, i = 1, start + 1
    while i < len(css) and depth:
        if css.startswith("/*", i):
            i = skip_comment(css, i)
        elif css[i] in "\"'":
            i = skip_string(css, i)
        else:
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            i += 1
    return i


def top_level_rules(css):
    """(prelude, body) of each top-level rule; body is None for a statement such as
    ``@import ...;`` or for trailing text."""
    rules, start, i = [], 0, 0
    while i < len(css):
        if css.startswith("/*", i):
            i = skip_comment(css, i)
        elif css[i] in "\"'":
            i = skip_string(css, i)
        elif css[i] == ";":
            rules.append((css[start : i + 1], None))
            start = i = i + 1
        elif css[i] == "{":
            end = end_of_block(css, i)
            rules.append((css[start:i], css[i + 1 : end - 1]))
            start = i = end
        else:
            i += 1
    if css[start:]:
        rules.append((css[start:], None))
    return rules


def split_selector_list(prelude):
    """The selectors of a comma-separated list (commas inside brackets do not split)."""
    selectors, depth, current = [], 0, []
    for char in prelude:
        if char == "," and depth == 0:
            selectors.append("".join(current))
            current = []
            continue
        depth += (char in "([") - (char in ")]")
        current.append(char)
    selectors.append("".join(current))
    return selectors


def required_classes(selector):
    """Classes an element must carry (or have an ancestor carry) to match ``selector``."""
    bare = ATTRIBUTE.sub("", FUNCTIONAL_PSEUDO.sub("", COMMENT.sub("", selector)))
    return set(CLASS_NAME.findall(bare))


def can_match(selector, used):
    if "\\" in selector:
        return True
    return all(name in used for name in required_classes(selector))


def drop_unused_rules(css, used):
    """``css`` without the rules whose every selector needs a class that is not ``used``."""
    kept = []
    for prelude, body in top_level_rules(css):
        at_rule = COMMENT.sub("", prelude).strip()
        if body is None:
            kept.append(prelude)
        elif GROUPING_AT_RULE.match(at_rule):
            inner = drop_unused_rules(body, used)
            if inner.strip():
                kept.append(f"{prelude}{{{inner}}}")
        elif at_rule.startswith("@") or any(can_match(s, used) for s in split_selector_list(prelude)):
            kept.append(f"{prelude}{{{body}}}")
        elif comments := LEADING_COMMENTS.match(prelude):
            kept.append(comments.group(0))  # licence banners stay with the file
    return "".join(kept)


def classes_in_pages(pages):
    """Every class named in the pages' markup or in their inline scripts."""
    used = set()
    for text in pages:
        for value in CLASS_ATTRIBUTE.findall(text):
            used.update(value.split())
        for script in INLINE_SCRIPT.findall(text):
            used.update(SCRIPT_WORD.findall(script))
    return used


def classes_in_scripts(scripts, candidates):
    """Every word of the scripts, and every candidate class a script may build from a prefix."""
    used, prefixes = set(), set()
    for text in scripts:
        used.update(SCRIPT_WORD.findall(text))
        prefixes.update(SCRIPT_PREFIX.findall(text))
    used.update(name for name in candidates if name.startswith(tuple(prefixes)))
    return used


def classes_named_in(css):
    return set(CLASS_NAME.findall(css))
