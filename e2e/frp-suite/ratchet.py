"""Reads ginkgo's JSON report of frp's suite and holds it to expected-pass.txt (see run beside this).

A spec is named '<suite> | <its full text>', suite v1 or legacy (from its file's path), one per line.
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
            text = " ".join((s.get("ContainerHierarchyTexts") or []) + [s.get("LeafNodeText", "")])
            out[which + " | " + re.sub(r"\s+", " ", text).strip()] = s.get("State")
    return out


def expected(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def main():
    report, listed_path, partial, status = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
    try:
        ran = specs(report)
    except (OSError, ValueError) as e:
        print(f"frp suite: no report ({e}); the run itself exited {status}")
        return 1
    listed = expected(listed_path)
    for which in ("v1", "legacy"):
        mine = {k: v for k, v in ran.items() if k.startswith(which + " |") and v != "skipped"}
        passed = sum(1 for v in mine.values() if v == "passed")
        print(f"frp suite {which}: {passed} of {len(mine)} passed")
    passing = {k for k, v in ran.items() if v == "passed"}
    if partial:
        print("frp suite: a partial run (--focus); the ratchet is not checked")
        return 0
    lost = [k for k in listed if k not in passing]
    new = sorted(passing - set(listed))
    if new and os.environ.get("FRP_SUITE_UPDATE") == "1":
        with open(listed_path, "a") as f:
            f.writelines(k + "\n" for k in new)
        print(f"frp suite: {len(new)} newly passing spec(s) added to {listed_path}")
    elif new:
        print(f"frp suite: {len(new)} spec(s) pass and are not in {listed_path} yet; add them:")
        for k in new:
            print("  " + k)
    if lost:
        print(f"frp suite: FAIL: {len(lost)} spec(s) listed as passing did not pass:")
        for k in lost:
            print(f"  {k} ({ran.get(k, 'did not run')})")
        return 1
    print(f"frp suite: all {len(listed)} listed specs pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
