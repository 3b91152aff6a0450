#!/usr/bin/env python3
"""Checks that a new abidw dump only appends to the public structs of a
baseline dump. Used by check-abi.sh when abidiff reports a change: it
accepts the change only if, for every struct defined in
alien/artifact_registry.h in the baseline, the new dump defines a struct of
that name whose members begin with exactly the baseline's members (same
names, offsets and types, function-pointer signatures compared in full) and
whose size did not shrink.

libabigail 2.2 cannot express this alone: a `has_data_member_inserted_at =
end` suppression also hides a retyped member or a changed slot signature
when nothing is inserted (measured here), so check-abi.sh pairs it with
this check.

Usage: abi-append-only.py BASELINE.abi NEW.abi   (exit 0 ok, 1 not append-only)
"""
import sys
import xml.etree.ElementTree as ET

HEADER = "artifact_registry.h"


class Dump:
    def __init__(self, path):
        self.root = ET.parse(path).getroot()
        self.types = {}
        for el in self.root.iter():
            tid = el.get("id")
            if tid is not None and el.tag != "elf-symbol":
                self.types.setdefault(tid, el)
        self.memo = {}

    def canon(self, tid, depth=0):
        if tid is None:
            return "?"
        if tid in self.memo:
            return self.memo[tid]
        el = self.types.get(tid)
        if el is None or depth > 50:
            return "<%s>" % tid
        t = el.tag
        if t == "type-decl":
            s = "%s:%s" % (el.get("name"), el.get("size-in-bits"))
        elif t == "typedef-decl":
            s = "typedef %s=%s" % (el.get("name"), self.canon(el.get("type-id"), depth + 1))
        elif t == "pointer-type-def":
            s = self.canon(el.get("type-id"), depth + 1) + "*"
        elif t == "qualified-type-def":
            q = [k for k in ("const", "volatile", "restrict") if el.get(k) == "yes"]
            s = "%s %s" % (" ".join(q), self.canon(el.get("type-id"), depth + 1))
        elif t in ("class-decl", "union-decl"):
            s = "%s %s" % ("union" if t == "union-decl" else "struct", el.get("name"))
        elif t == "enum-decl":
            en = ",".join("%s=%s" % (e.get("name"), e.get("value"))
                          for e in el.findall("enumerator"))
            s = "enum %s{%s}" % (el.get("name"), en)
        elif t == "function-type":
            params = []
            ret = "?"
            for c in el:
                if c.tag == "parameter":
                    params.append("..." if c.get("is-variadic") == "yes"
                                  else self.canon(c.get("type-id"), depth + 1))
                elif c.tag == "return":
                    ret = self.canon(c.get("type-id"), depth + 1)
            s = "fn(%s)->%s" % (",".join(params), ret)
        elif t == "array-type-def":
            subs = ",".join(str(c.get("length")) for c in el.findall("subrange"))
            s = "%s[%s]" % (self.canon(el.get("element-type-id"), depth + 1), subs)
        else:
            s = "%s %s" % (t, el.get("name"))
        self.memo[tid] = s
        return s

    def public_structs(self):
        out = {}
        for el in self.root.iter("class-decl"):
            fp = el.get("filepath") or ""
            if (fp == HEADER or fp.endswith("/" + HEADER)) \
                    and el.get("is-declaration-only") != "yes":
                out.setdefault(el.get("name"), []).append(el)
        return out

    def members(self, el):
        res = []
        for dm in el.findall("data-member"):
            v = dm.find("var-decl")
            res.append((v.get("name"), int(dm.get("layout-offset-in-bits")),
                        self.canon(v.get("type-id"))))
        return res


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    old, new = Dump(sys.argv[1]), Dump(sys.argv[2])
    old_s, new_s = old.public_structs(), new.public_structs()
    if not old_s:
        print("abi-append-only: no public structs in the baseline", file=sys.stderr)
        return 1
    bad = 0
    for name in sorted(old_s):
        base = old.members(old_s[name][0])
        base_size = int(old_s[name][0].get("size-in-bits"))
        if name not in new_s:
            print("  struct %s: definition missing from the new build" % name)
            bad += 1
            continue
        for el in new_s[name]:
            cur = new.members(el)
            size = int(el.get("size-in-bits"))
            if size < base_size:
                print("  struct %s: size shrank from %d to %d bits" % (name, base_size, size))
                bad += 1
            for i, m in enumerate(base):
                if i >= len(cur) or cur[i] != m:
                    got = cur[i] if i < len(cur) else "(nothing)"
                    print("  struct %s: member %d changed:\n    was %s\n    now %s"
                          % (name, i, m, got))
                    bad += 1
                    break
            else:
                for m in cur[len(base):]:
                    print("  struct %s: appended %s at bit %d" % (name, m[0], m[1]))
    if bad:
        print("abi-append-only: %d incompatible change(s) to public structs" % bad)
        return 1
    print("abi-append-only: public structs only grew at their end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
