"""Reads ginkgo's JSON reports of frp's suite and holds them to expected-pass.txt (see run beside this).

A spec is named '<suite> | <its full text>', suite v1 or legacy (from its file's path), one per line.
  ratchet.py score REPORT                          the score per suite
  ratchet.py focus LIST                            a ginkgo --focus regex for the listed specs
  ratchet.py check REPORT LIST LOST_REGEX_FILE     exit 3 when listed specs failed (a focus regex for them is written)
  ratchet.py retry RETRY_REPORT LIST FIRST_REPORT  exit 1 when a listed spec failed in both runs
"""
import json
import os
import re
import sys


def specs(report_path):
    """{name: state} for every spec that ran (skipped ones too)."""
    out = {}
    with open(report_path) as f:
        report = json.load(f)
    for suite in report:
        for s in suite.get("SpecReports") or []:
            if s.get("LeafNodeType") != "It":
                continue
            path = (s.get("LeafNodeLocation") or {}).get("FileName", "")
            which = "legacy" if "/legacy/" in path else "v1"
            out[which + " | " + text(s)] = s.get("State")
            failure = s.get("Failure") or {}
            if failure:
                # Why it failed, kept so that a flaky spec in CI leaves its reason in the log.
                where = failure.get("Location") or {}
                message = " ".join((failure.get("Message") or "").split())[:300]
                took = (s.get("RunTime") or 0) / 1e9
                WHY[which + " | " + text(s)] = f"after {took:.1f} s, {os.path.basename(where.get('FileName', '?'))}:{where.get('LineNumber', '?')}: {message}"
    return out


WHY = {}


def text(s):
    return re.sub(r"\s+", " ", " ".join((s.get("ContainerHierarchyTexts") or []) + [s.get("LeafNodeText", "")])).strip()


def go_regex_escape(s):
    """ginkgo's --focus is a Go (RE2) regex: escape only its metacharacters (RE2 refuses some of Python's escapes)."""
    return re.sub(r"([\\.^$*+?()\[\]{}|])", r"\\\1", s)


def listed(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def score(ran):
    for which in ("v1", "legacy"):
        suite = {k: v for k, v in ran.items() if k.startswith(which + " |")}
        mine = {k: v for k, v in suite.items() if v != "skipped"}
        passed = sum(1 for v in mine.values() if v == "passed")
        note = f" ({len(suite) - len(mine)} not run: skipped, or not in expected-pass.txt)" if len(suite) > len(mine) else ""
        print(f"frp suite {which}: {passed} of {len(mine)} passed{note}")


def focus(expected):
    # ginkgo matches a longer text than the report's (it starts before it): anchored at the end only.
    return "|".join(sorted({go_regex_escape(k.split(" | ", 1)[1]) + "$" for k in expected}))


def load(path):
    try:
        return specs(path)
    except (OSError, ValueError) as e:
        print(f"frp suite: no report in {path} ({e})")
        sys.exit(1)


def main():
    mode = sys.argv[1]
    if mode == "focus":
        print(focus(listed(sys.argv[2])))
        return 0
    ran = load(sys.argv[2])
    if mode == "score":
        score(ran)
        return 0
    expected = listed(sys.argv[3])
    if mode == "check":
        score(ran)
        passing = {k for k, v in ran.items() if v == "passed"}
        new = sorted(passing - set(expected))
        if new and os.environ.get("FRP_SUITE_UPDATE") == "1":
            with open(sys.argv[3], "a") as f:
                f.writelines(k + "\n" for k in new)
            print(f"frp suite: {len(new)} newly passing spec(s) added to {sys.argv[3]}")
        elif new:
            print(f"frp suite: {len(new)} spec(s) pass and are not in expected-pass.txt yet; add them:")
            for k in new:
                print("  " + k)
        lost = [k for k in expected if k not in passing]
        if not lost:
            print(f"frp suite: all {len(expected)} listed specs pass")
            return 0
        print(f"frp suite: {len(lost)} listed spec(s) did not pass:")
        for k in lost:
            print(f"  {k} ({ran.get(k, 'did not run')})")
            if k in WHY:
                print(f"    {WHY[k]}")
        with open(sys.argv[4], "w") as f:
            f.write(focus(lost))
        return 3
    # retry: a listed spec that failed the first time must pass now
    first = load(sys.argv[4])
    still = [k for k in expected if first.get(k) != "passed" and ran.get(k) != "passed"]
    flaky = [k for k in expected if first.get(k) != "passed" and ran.get(k) == "passed"]
    for k in flaky:
        print(f"frp suite: flaky (passed when run again): {k}")
    if still:
        print(f"frp suite: FAIL: {len(still)} listed spec(s) failed twice:")
        for k in still:
            print(f"  {k} ({ran.get(k, 'did not run')})")
        return 1
    print(f"frp suite: all {len(expected)} listed specs pass ({len(flaky)} on a second run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
