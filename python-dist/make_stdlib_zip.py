"""Builds the standard library zip that the browser writes to /lib/python313.zip.

Run with the native build Python of the same version (the .pyc format must match).
Files are stored uncompressed: HTTP compression (gzip, brotli) over the whole archive is
about a third smaller than per-file deflate, and the browser decompresses it natively.
Docstrings are kept: help() is something students use.

The report (JSON) gives the size of everything left out and of every top-level entry kept,
so each choice below has a measured cost.
"""

import argparse
import gzip
import json
import pathlib
import py_compile
import re
import sys
import tempfile
import zipfile

# Left out because it cannot work in a browser tab (no processes, no sockets that block,
# no GUI toolkit, no package installs), or because it is CPython's own test suite.
OMIT_CANNOT_WORK = {
    "tests": ["test/", "idlelib/idle_test/", "tkinter/test/"],
    "gui (no Tk in a browser)": ["tkinter/", "idlelib/", "turtledemo/", "turtle.py"],
    "package installs": ["ensurepip/", "venv/"],
    "processes": ["multiprocessing/", "concurrent/futures/process.py"],
    "browser/OS specific": ["webbrowser.py", "antigravity.py", "_aix_support.py", "_osx_support.py",
                            "_ios_support.py", "_android_support.py"],
    "blocking network clients and servers": ["ftplib.py", "imaplib.py", "poplib.py", "smtplib.py",
                                             "socketserver.py", "http/server.py", "wsgiref/",
                                             "xmlrpc/"],
    "modules whose C part is not built": ["curses/", "ctypes/", "dbm/ndbm.py", "dbm/gnu.py",
                                         "_pydecimal.py", "_pylong.py"],
    "frozen hello-world test package": ["__phello__/"],
}


def omitted_group(rel: str) -> str | None:
    for group, prefixes in OMIT_CANNOT_WORK.items():
        for prefix in prefixes:
            if rel == prefix or (prefix.endswith("/") and rel.startswith(prefix)):
                return group
    return None


def compile_to_pyc(source: pathlib.Path, rel: str, tmpdir: pathlib.Path) -> bytes:
    target = tmpdir / "out.pyc"
    # dfile gives tracebacks a stable path inside the zip; unchecked hashes avoid a stat per import.
    py_compile.compile(str(source), cfile=str(target), dfile=f"/lib/python313.zip/{rel}",
                       doraise=True, optimize=0,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    return target.read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", type=pathlib.Path, required=True, help="CPython's Lib/ directory")
    parser.add_argument("--sysconfigdata", type=pathlib.Path, required=True)
    parser.add_argument("--makefile", type=pathlib.Path, required=True,
                        help="the wasm build's Makefile, to skip packages whose C module is missing")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--report", type=pathlib.Path, required=True)
    args = parser.parse_args()

    states = dict(re.findall(r"^MODULE_(\w+)_STATE=(\w+)", args.makefile.read_text(), re.M))
    # A pure-Python package over a C module that did not build only gives a confusing
    # ImportError deep inside; leave it out so the error names the package itself.
    needs_c = {"sqlite3/": "_SQLITE3", "zoneinfo/": "_ZONEINFO", "xml/": "PYEXPAT",
               "json/": "_JSON", "asyncio/": "_ASYNCIO", "decimal.py": "_DECIMAL"}
    missing_c = [p for p, mod in needs_c.items() if states.get(mod, "yes") != "yes"]

    kept: dict[str, int] = {}
    omitted: dict[str, int] = {}
    sources = sorted(p for p in args.lib.rglob("*.py") if "__pycache__" not in p.parts)
    tmp_out = args.out.with_suffix(".tmp")
    with tempfile.TemporaryDirectory() as tmp, \
            zipfile.ZipFile(tmp_out, "w", compression=zipfile.ZIP_STORED) as zf:
        tmpdir = pathlib.Path(tmp)
        entries = [(args.sysconfigdata, args.sysconfigdata.name)]
        entries += [(p, p.relative_to(args.lib).as_posix()) for p in sources]
        for source, rel in entries:
            group = omitted_group(rel)
            if group is None and any(rel.startswith(p) or rel == p for p in missing_c):
                group = "modules whose C part is not built"
            pyc = compile_to_pyc(source, rel, tmpdir)
            if group:
                omitted[group] = omitted.get(group, 0) + len(pyc)
                continue
            name = rel[:-3] + ".pyc"
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # reproducible
            info.external_attr = 0o644 << 16
            zf.writestr(info, pyc)
            top = rel.split("/")[0]
            kept[top] = kept.get(top, 0) + len(pyc)
    tmp_out.replace(args.out)

    data = args.out.read_bytes()
    report = {
        "zip_bytes": len(data),
        "zip_gzip9_bytes": len(gzip.compress(data, 9)),
        "omitted_pyc_bytes_by_reason": omitted,
        "kept_pyc_bytes_by_top_level": dict(sorted(kept.items(), key=lambda kv: -kv[1])),
        "missing_c_modules": missing_c,
    }
    args.report.write_text(json.dumps(report, indent=2) + "\n")
    print(f"stdlib zip: {len(data)} bytes, gzip -9 {report['zip_gzip9_bytes']} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
