"""Builds the standard library zips: the core one the browser writes to /lib/python313.zip at
boot, and the rest (python313-extra.zip), fetched on the first import that needs it.

Run with the native build Python of the same version (the .pyc format must match).
Files are stored uncompressed: HTTP compression (gzip, brotli) then works over the whole
archive, which is smaller than per-file deflate, and the browser decompresses it natively.
Docstrings are kept: help() is something students use.

With --core-list (zip members traced by running core_workload.py), modules not in the list
go to the extra zip, and the core zip gets `_stdlib_extra`, an import hook that fetches the
extra zip through the host (the /dev/stdlib-extra device) when one of its modules is first
imported. Without --core-list everything goes into one zip.

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
    # turtle.py and turtledemo/ stay: they draw through the worker's own small tkinter (the
    # Tk layer turtle uses, on a canvas in the page), which replaces CPython's.
    "gui (no Tk in a browser)": ["tkinter/", "idlelib/"],
    "package installs": ["ensurepip/", "venv/"],
    "processes": ["multiprocessing/", "concurrent/futures/process.py"],
    # webbrowser: the worker's sitecustomize gives its own, which asks the page.
    "browser/OS specific": ["webbrowser.py", "_aix_support.py", "_osx_support.py",
                            "_ios_support.py", "_android_support.py"],
    "blocking network clients and servers": ["ftplib.py", "imaplib.py", "poplib.py", "smtplib.py",
                                             "socketserver.py", "http/server.py", "wsgiref/",
                                             "xmlrpc/"],
    "modules whose C part is not built": ["curses/", "ctypes/", "dbm/ndbm.py", "dbm/gnu.py",
                                         "_pydecimal.py"],
    "frozen hello-world test package": ["__phello__/"],
}


# Kept, but replaced by a file of ours (next to this script) that works in the browser.
REPLACED = {
    # It reads terminfo through ctypes and the C curses library: PyREPL gets xterm's entry.
    "_pyrepl/_minimal_curses.py": "pyrepl_terminfo.py",
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


# The import hook installed in the core zip as _stdlib_extra; the lists it reads are
# generated into _stdlib_extra_lists.
EXTRA_HOOK = pathlib.Path(__file__).with_name("stdlib_extra_hook.py")


def module_name(rel: str) -> str:
    name = rel[:-3].replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def split_packages(extra_modules: list[str], core_list: set[str]) -> set[str]:
    """Packages whose __init__ is in the core zip but some modules are in the extra one."""
    core_packages = {module_name(m.replace(".pyc", ".py")) for m in core_list if m.endswith("__init__.py") or m.endswith("__init__.pyc")}
    return {p for p in core_packages if any(m.startswith(p + ".") for m in extra_modules)}


def add_member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # reproducible
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def compile_text(text: str, rel: str, tmpdir: pathlib.Path) -> bytes:
    source = tmpdir / "generated.py"
    source.write_text(text)
    return compile_to_pyc(source, rel, tmpdir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", type=pathlib.Path, required=True, help="CPython's Lib/ directory")
    parser.add_argument("--sysconfigdata", type=pathlib.Path, required=True)
    parser.add_argument("--makefile", type=pathlib.Path, required=True,
                        help="the wasm build's Makefile, to skip packages whose C module is missing")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--report", type=pathlib.Path, required=True)
    parser.add_argument("--core-list", type=pathlib.Path, help="zip members that go in the core zip")
    parser.add_argument("--extra-out", type=pathlib.Path, help="where the extra zip goes")
    args = parser.parse_args()
    core_list = set(args.core_list.read_text().split()) if args.core_list else None

    states = dict(re.findall(r"^MODULE_(\w+)_STATE=(\w+)", args.makefile.read_text(), re.M))
    # A pure-Python package over a C module that did not build only gives a confusing
    # ImportError deep inside; leave it out so the error names the package itself.
    needs_c = {"sqlite3/": "_SQLITE3", "zoneinfo/": "_ZONEINFO", "xml/": "PYEXPAT",
               "json/": "_JSON", "asyncio/": "_ASYNCIO", "decimal.py": "_DECIMAL"}
    missing_c = [p for p, mod in needs_c.items() if states.get(mod, "yes") != "yes"]

    kept: dict[str, int] = {}
    omitted: dict[str, int] = {}
    extra_modules: list[str] = []
    sources = sorted(p for p in args.lib.rglob("*.py") if "__pycache__" not in p.parts)
    tmp_out = args.out.with_suffix(".tmp")
    extra_tmp = (args.extra_out or args.out).with_suffix(".extra.tmp")
    with tempfile.TemporaryDirectory() as tmp, \
            zipfile.ZipFile(tmp_out, "w", compression=zipfile.ZIP_STORED) as core_zip, \
            zipfile.ZipFile(extra_tmp, "w", compression=zipfile.ZIP_STORED) as extra_zip:
        tmpdir = pathlib.Path(tmp)
        entries = [(args.sysconfigdata, args.sysconfigdata.name)]
        entries += [(p, p.relative_to(args.lib).as_posix()) for p in sources]
        for source, rel in entries:
            group = omitted_group(rel)
            if group is None and any(rel.startswith(p) or rel == p for p in missing_c):
                group = "modules whose C part is not built"
            if group:
                # Measured for the report only; some test files are deliberately invalid.
                try:
                    omitted[group] = omitted.get(group, 0) + len(compile_to_pyc(source, rel, tmpdir))
                except py_compile.PyCompileError:
                    pass
                continue
            if rel in REPLACED:
                source = pathlib.Path(__file__).with_name(REPLACED[rel])
            pyc = compile_to_pyc(source, rel, tmpdir)
            name = rel[:-3] + ".pyc"
            in_core = core_list is None or rel in core_list or name in core_list
            add_member(core_zip if in_core else extra_zip, name, pyc)
            if not in_core:
                extra_modules.append(module_name(rel))
            top = rel.split("/")[0]
            kept[top] = kept.get(top, 0) + len(pyc)
        if core_list is not None:
            lists = (f"# Generated by make_stdlib_zip.py: what _stdlib_extra imports lazily.\n"
                     f"MODULES = frozenset({sorted(extra_modules)!r})\n"
                     f"SPLIT_PACKAGES = frozenset({sorted(split_packages(extra_modules, core_list))!r})\n")
            add_member(core_zip, "_stdlib_extra_lists.pyc",
                       compile_text(lists, "_stdlib_extra_lists.py", tmpdir))
            add_member(core_zip, "_stdlib_extra.pyc", compile_to_pyc(EXTRA_HOOK, "_stdlib_extra.py", tmpdir))
    tmp_out.replace(args.out)
    if args.extra_out and core_list is not None:
        extra_tmp.replace(args.extra_out)
    else:
        extra_tmp.unlink()

    data = args.out.read_bytes()
    extra = args.extra_out.read_bytes() if args.extra_out and args.extra_out.exists() else b""
    report = {
        "zip_bytes": len(data),
        "zip_gzip9_bytes": len(gzip.compress(data, 9)),
        "extra_zip_bytes": len(extra),
        "extra_zip_gzip9_bytes": len(gzip.compress(extra, 9)) if extra else 0,
        "extra_modules": len(extra_modules),
        "omitted_pyc_bytes_by_reason": omitted,
        "kept_pyc_bytes_by_top_level": dict(sorted(kept.items(), key=lambda kv: -kv[1])),
        "missing_c_modules": missing_c,
    }
    args.report.write_text(json.dumps(report, indent=2) + "\n")
    print(f"stdlib zip: {len(data)} bytes, gzip -9 {report['zip_gzip9_bytes']} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
